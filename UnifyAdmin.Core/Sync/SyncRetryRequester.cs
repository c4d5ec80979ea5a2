using UnifyAdmin.Core.Monitoring;
using UnifyAdmin.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace UnifyAdmin.Core.Sync;

/// <summary>
/// "Retry failed records now": records the request (Admins only) and starts the source's run at once.
/// Every run retries a mapping's open errors with their latest data, so the run is the retry.
/// </summary>
public sealed class SyncRetryRequester(RecordingRetryRequester recorder, SyncScheduler scheduler, IDbContextFactory<AppDbContext> contexts) : IRetryRequester
{
    public async Task<RetryOutcome> RequestRetryAsync(Guid runId, CancellationToken ct)
    {
        bool waiting;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            waiting = await db.Set<RetryRequest>().AnyAsync(r => r.RunId == runId && r.HandledAt == null, ct);
        }

        var outcome = await recorder.RequestRetryAsync(runId, ct);
        if (!outcome.Accepted || waiting)
        {
            return outcome;
        }

        Guid sourceId;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            sourceId = await db.SyncRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => r.SourceId).FirstAsync(ct);
        }

        await scheduler.TriggerNowAsync(sourceId, ct);
        return outcome with { Message = $"{outcome.Records:N0} failed record(s) are being retried with their latest data in a run that starts now." };
    }
}
