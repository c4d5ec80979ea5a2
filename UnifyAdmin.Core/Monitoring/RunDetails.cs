using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sync;

namespace UnifyAdmin.Core.Monitoring;

/// <summary>A run with its source's name and each mapping's counts, named.</summary>
public sealed record RunDetail(SyncRun Run, string SourceName, IReadOnlyList<RunMappingDetail> Mappings, IReadOnlyList<ErrorGroup> ErrorGroups, RetryRequest? PendingRetry)
{
    /// <summary>The run's error count, from the grouped query (no second scan of its errors).</summary>
    public long ErrorCount => ErrorGroups.Sum(g => (long)g.Count);
}

public sealed record RunMappingDetail(SyncRunMapping Counts, string FlowName);

/// <summary>Errors of one run that share a reason.</summary>
public sealed record ErrorGroup(string Reason, int Count);

/// <summary>One page of a group's records.</summary>
public sealed record ErrorPage(IReadOnlyList<ErrorRow> Rows, int Total);

public sealed record ErrorRow(long Id, string RecordId, Guid MappingId, string Reason, string? PayloadSample, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, int Attempts, RecordErrorState State);

/// <summary>The run detail page's queries: every one bounded by an index, so a run with a million errors stays fast.</summary>
public sealed class RunDetailQueries(IDbContextFactory<AppDbContext> contexts)
{
    public async Task<RunDetail?> GetAsync(Guid runId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.SyncRuns.AsNoTracking().Include(r => r.Mappings).FirstOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            return null;
        }

        var sourceName = await db.Sources.Where(s => s.Id == run.SourceId).Select(s => s.Name).FirstOrDefaultAsync(ct) ?? "(removed source)";
        var mappingIds = run.Mappings.Select(m => m.MappingId).ToList();
        var names = await FlowNamesAsync(db, mappingIds, ct);
        var groups = await GroupsAsync(db, runId, ct);
        var retry = await db.Set<RetryRequest>().AsNoTracking().Where(r => r.RunId == runId && r.HandledAt == null)
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        return new RunDetail(
            run,
            sourceName,
            run.Mappings.Select(m => new RunMappingDetail(m, names.GetValueOrDefault(m.MappingId, "(removed mapping)"))).ToList(),
            groups,
            retry);
    }

    /// <summary>Errors grouped by reason, counted by the database (index RunId, Reason).</summary>
    public async Task<IReadOnlyList<ErrorGroup>> GroupsAsync(Guid runId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await GroupsAsync(db, runId, ct);
    }

    private static async Task<IReadOnlyList<ErrorGroup>> GroupsAsync(AppDbContext db, Guid runId, CancellationToken ct)
    {
        var rows = await db.RecordErrors.Where(e => e.RunId == runId)
            .GroupBy(e => e.Reason)
            .Select(g => new { Reason = g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Reason)
            .ToListAsync(ct);
        return rows.Select(g => new ErrorGroup(g.Reason, g.Count)).ToList();
    }

    /// <summary>One page of the records of a group, in a stable order.</summary>
    public async Task<ErrorPage> PageAsync(Guid runId, string reason, int page, int pageSize, int? knownTotal, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.RecordErrors.AsNoTracking().Where(e => e.RunId == runId && e.Reason == reason);
        var total = knownTotal ?? await query.CountAsync(ct);
        var rows = await query.OrderBy(e => e.Id).Skip(page * pageSize).Take(pageSize)
            .Select(e => new ErrorRow(e.Id, e.RecordId, e.MappingId, e.Reason, e.PayloadSample, e.FirstSeenAt, e.LastSeenAt, e.Attempts, e.State))
            .ToListAsync(ct);
        return new ErrorPage(rows, total);
    }

    /// <summary>
    /// Writes the run's errors as CSV, streaming rows from the database as they are written, so memory
    /// stays flat however many there are.
    /// </summary>
    public async Task WriteCsvAsync(Guid runId, Stream output, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var names = await FlowNamesAsync(db, await db.SyncRunMappings.Where(m => m.RunId == runId).Select(m => m.MappingId).ToListAsync(ct), ct);

        // Record Ids and payloads come from Salesforce: escape anything a spreadsheet would run as a formula.
        await using var csv = CsvWriter.Create(output, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        await csv.WriteRecordAsync(["record_id", "flow", "reason", "attempts", "state", "first_seen", "last_seen", "payload_sample"], ct);
        var rows = db.RecordErrors.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Id)
            .Select(e => new { e.RecordId, e.MappingId, e.Reason, e.Attempts, e.State, e.FirstSeenAt, e.LastSeenAt, e.PayloadSample })
            .AsAsyncEnumerable();
        var flow = "";
        var flowOf = Guid.Empty;
        await foreach (var e in rows.WithCancellation(ct))
        {
            if (e.MappingId != flowOf)
            {
                flowOf = e.MappingId;
                flow = names.GetValueOrDefault(e.MappingId, e.MappingId.ToString());
            }

            csv.WriteField(e.RecordId);
            csv.WriteField(flow);
            csv.WriteField(e.Reason);
            csv.WriteField(e.Attempts, default);
            csv.WriteField(StateText(e.State));
            csv.WriteField(e.FirstSeenAt, "O");
            csv.WriteField(e.LastSeenAt, "O");
            csv.WriteField(e.PayloadSample);
            await csv.EndRecordAsync(ct);
        }

        await csv.FlushAsync(ct);
    }

    private static string StateText(RecordErrorState state) => state switch
    {
        RecordErrorState.Open => "open",
        RecordErrorState.Resolved => "resolved",
        _ => "given up",
    };

    internal static async Task<Dictionary<Guid, string>> FlowNamesAsync(AppDbContext db, IReadOnlyCollection<Guid> mappingIds, CancellationToken ct)
    {
        var rows = await (
            from m in db.Mappings
            join model in db.Models on m.ModelId equals model.Id
            where mappingIds.Contains(m.Id)
            select new { m.Id, model.Name, m.Action, m.ProfileSpaceId }).ToListAsync(ct);
        var spaceIds = rows.Select(r => r.ProfileSpaceId).Distinct().ToList();
        var spaces = await db.Set<Destinations.ProfileSpace>().Where(s => spaceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return rows.ToDictionary(r => r.Id, r => $"{r.Name} → {r.Action} → {spaces.GetValueOrDefault(r.ProfileSpaceId, "?")}");
    }
}

/// <summary>Asks for a run's failed records to be retried now. The sync engine replaces or follows the default.</summary>
public interface IRetryRequester
{
    /// <summary>Records the request (and starts a retry run where an engine is wired); returns how many open errors it covers.</summary>
    Task<RetryOutcome> RequestRetryAsync(Guid runId, CancellationToken ct);
}

public sealed record RetryOutcome(bool Accepted, long Records, string Message);

/// <summary>
/// The default: refuses Viewers, records a <see cref="RetryRequest"/> the engine picks up with
/// <see cref="RetryRequests.TakePendingAsync"/>, and leaves the errors open until they succeed.
/// </summary>
public sealed class RecordingRetryRequester(IDbContextFactory<AppDbContext> contexts, TimeProvider time) : IRetryRequester
{
    public async Task<RetryOutcome> RequestRetryAsync(Guid runId, CancellationToken ct)
    {
        var user = CurrentUser.Current;
        if (!user.IsAdmin)
        {
            return new RetryOutcome(false, 0, "Only an Admin can retry records.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.SyncRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            return new RetryOutcome(false, 0, "This run no longer exists.");
        }

        var open = await db.RecordErrors.LongCountAsync(e => e.RunId == runId && e.State == RecordErrorState.Open, ct);
        if (open == 0)
        {
            return new RetryOutcome(false, 0, "This run has no open errors to retry.");
        }

        if (await db.Set<RetryRequest>().AnyAsync(r => r.RunId == runId && r.HandledAt == null, ct))
        {
            return new RetryOutcome(true, open, "A retry of these records is already waiting for the next run.");
        }

        db.Add(new RetryRequest { RunId = runId, SourceId = run.SourceId, RequestedAt = time.GetUtcNow(), RequestedBy = user.Name, Records = open });
        await db.SaveChangesAsync(ct);
        return new RetryOutcome(true, open, $"{open:N0} failed record(s) will be retried with their latest data on the source's next run.");
    }
}

/// <summary>The engine's side of retry requests.</summary>
public sealed class RetryRequests(IDbContextFactory<AppDbContext> contexts, TimeProvider time)
{
    /// <summary>Pending requests of a source, marked handled: the caller retries the open errors of these runs.</summary>
    public async Task<IReadOnlyList<Guid>> TakePendingAsync(Guid sourceId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var pending = await db.Set<RetryRequest>().Where(r => r.SourceId == sourceId && r.HandledAt == null).ToListAsync(ct);
        foreach (var request in pending)
        {
            request.HandledAt = time.GetUtcNow();
        }

        await db.SaveChangesAsync(ct);
        return pending.Select(r => r.RunId).Distinct().ToList();
    }
}
