using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Sync;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Sync;

public sealed class SyncSchedulerTests(SyncHost host) : IClassFixture<SyncHost>
{
    [Fact]
    public async Task Applying_an_unchanged_schedule_again_keeps_the_next_run_and_a_changed_one_replaces_it()
    {
        // Every instance of a cluster applies every source's schedule when it starts.
        var ct = TestContext.Current.CancellationToken;
        var sourceId = await host.CreateSourceAsync();
        var scheduler = host.Services.GetRequiredService<SyncScheduler>();
        await scheduler.ApplyAsync(sourceId, ct);
        var next = await scheduler.NextRunAsync(sourceId, ct);
        Assert.NotNull(next);
        var appliedAt = DateTimeOffset.UtcNow;
        // A replaced interval trigger would start one interval after "now": let "now" move on first.
        await Eventually.TrueAsync(() => DateTimeOffset.UtcNow >= appliedAt.AddMilliseconds(50), "the clock moved on");

        await scheduler.ApplyAsync(sourceId, ct);
        Assert.Equal(next, await scheduler.NextRunAsync(sourceId, ct));

        await using (var db = await host.Db.CreateDbContextAsync(ct))
        {
            await db.Sources.Where(s => s.Id == sourceId).ExecuteUpdateAsync(u => u.SetProperty(s => s.SyncIntervalMinutes, 30), ct);
        }

        await scheduler.ApplyAsync(sourceId, ct);
        var changed = await scheduler.NextRunAsync(sourceId, ct);
        Assert.InRange(changed!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
    }
}
