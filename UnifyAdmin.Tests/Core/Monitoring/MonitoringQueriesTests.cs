using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Monitoring;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sync;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Monitoring;

/// <summary>Run details, the errors CSV, flow states, retries and the audit log, over a real database seeded as the engine would fill it.</summary>
public sealed class MonitoringQueriesTests(AppHost host) : IClassFixture<AppHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(MonitoringSeed.SeededFlow Flow, Guid RunId)> FailingRunAsync(string name)
    {
        var flow = await MonitoringSeed.FlowAsync(host.Services, name);
        var run = await MonitoringSeed.RunAsync(host.Services, flow, SyncRunState.Partial, accepted: 90, failed: 10);
        await MonitoringSeed.ErrorsAsync(host.Services, flow, run,
            Enumerable.Range(1, 7).Select(i => (MonitoringSeed.ContactId(i), "Message larger than 32 KB", (string?)$"{{\"userId\":\"u{i}\"}}"))
                .Concat(Enumerable.Range(8, 3).Select(i => (MonitoringSeed.ContactId(i), "=HYPERLINK(\"x\") no userId or anonymousId", (string?)null))));
        return (flow, run);
    }

    [Fact]
    public async Task Errors_are_grouped_by_reason_biggest_first_and_paged_in_a_stable_order()
    {
        var (_, run) = await FailingRunAsync("Grouping org");
        var queries = host.Services.GetRequiredService<RunDetailQueries>();

        var groups = await queries.GroupsAsync(run, Ct);
        var first = await queries.PageAsync(run, groups[0].Reason, page: 0, pageSize: 5, knownTotal: null, Ct);
        var second = await queries.PageAsync(run, groups[0].Reason, page: 1, pageSize: 5, knownTotal: null, Ct);

        Assert.Equal([("Message larger than 32 KB", 7), ("=HYPERLINK(\"x\") no userId or anonymousId", 3)], groups.Select(g => (g.Reason, g.Count)));
        Assert.Equal(7, first.Total);
        Assert.Equal(5, first.Rows.Count);
        Assert.Equal(2, second.Rows.Count);
        Assert.Empty(first.Rows.Select(r => r.RecordId).Intersect(second.Rows.Select(r => r.RecordId)));
    }

    [Fact]
    public async Task The_errors_csv_has_a_header_and_every_error_and_defuses_spreadsheet_formulas()
    {
        var (_, run) = await FailingRunAsync("Csv org");
        using var output = new MemoryStream();

        await host.Services.GetRequiredService<RunDetailQueries>().WriteCsvAsync(run, output, Ct);
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("record_id,flow,reason,attempts,state,first_seen,last_seen,payload_sample", lines[0]);
        Assert.Equal(11, lines.Length);
        Assert.Contains(lines, l => l.StartsWith(MonitoringSeed.ContactId(1), StringComparison.Ordinal) && l.Contains("Csv org contacts") && l.Contains("\"{\"\"userId\"\":\"\"u1\"\"}\""));
        Assert.DoesNotContain(lines, l => l.Contains(",=HYPERLINK", StringComparison.Ordinal) || l.Contains(",\"=HYPERLINK", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_flow_whose_run_failed_comes_before_healthy_flows_and_links_to_its_run()
    {
        var healthy = await MonitoringSeed.FlowAsync(host.Services, "AAA healthy org");
        await MonitoringSeed.RunAsync(host.Services, healthy, SyncRunState.Succeeded, accepted: 500, failed: 0);
        var broken = await MonitoringSeed.FlowAsync(host.Services, "ZZZ broken org");
        var failedRun = await MonitoringSeed.RunAsync(host.Services, broken, SyncRunState.Failed, accepted: 0, failed: 0, reason: "Segment answered 401: the write key was refused.");

        var flows = await host.Services.GetRequiredService<FlowStatusReader>().ReadAsync(Ct);
        var brokenFlow = flows.Single(f => f.MappingId == broken.MappingId);
        var healthyFlow = flows.Single(f => f.MappingId == healthy.MappingId);

        Assert.Equal(FlowState.RunFailed, brokenFlow.State);
        Assert.Equal($"/sync-runs/{failedRun}", brokenFlow.FixLink);
        Assert.Contains("write key was refused", brokenFlow.StateText);
        Assert.Equal(FlowState.Healthy, healthyFlow.State);
        Assert.Equal(500, healthyFlow.Synced24h);
        Assert.True(flows.ToList().IndexOf(brokenFlow) < flows.ToList().IndexOf(healthyFlow));
    }

    [Fact]
    public async Task An_enabled_flow_carries_its_sources_next_scheduled_run_and_a_disabled_one_says_why_it_has_none()
    {
        var scheduled = await MonitoringSeed.FlowAsync(host.Services, "Scheduled org");
        var switchedOff = await MonitoringSeed.FlowAsync(host.Services, "Switched off org");
        var contexts = host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync(Ct))
        {
            await db.Sources.Where(s => s.Id == scheduled.SourceId).ExecuteUpdateAsync(u => u.SetProperty(s => s.SyncIntervalMinutes, 30), Ct);
            await db.Sources.Where(s => s.Id == switchedOff.SourceId).ExecuteUpdateAsync(u => u.SetProperty(s => s.Enabled, false), Ct);
        }

        var scheduler = host.Services.GetRequiredService<SyncScheduler>();
        var before = DateTimeOffset.UtcNow;
        await scheduler.ApplyAsync(scheduled.SourceId, Ct);
        await scheduler.ApplyAsync(switchedOff.SourceId, Ct);
        var after = DateTimeOffset.UtcNow;

        var flows = await host.Services.GetRequiredService<FlowStatusReader>().ReadAsync(Ct);
        var on = flows.Single(f => f.MappingId == scheduled.MappingId);
        var off = flows.Single(f => f.MappingId == switchedOff.MappingId);

        Assert.NotNull(on.NextRunAt);
        Assert.InRange(on.NextRunAt.Value, before.AddMinutes(30).AddSeconds(-1), after.AddMinutes(30).AddSeconds(1));
        Assert.Equal(await scheduler.NextRunAsync(scheduled.SourceId, Ct), on.NextRunAt);
        Assert.Null(on.NotScheduledReason);
        Assert.Null(off.NextRunAt);
        Assert.Equal("the source is switched off", off.NotScheduledReason);
    }

    [Fact]
    public async Task A_viewer_cannot_request_a_retry_and_an_admin_request_is_recorded_once_for_the_engine()
    {
        var (flow, run) = await FailingRunAsync("Retry org");
        var retry = host.Services.GetRequiredService<IRetryRequester>();

        RetryOutcome refused, accepted, again;
        using (CurrentUser.Use(new ActingUser("v", "viewer@example.com", IsAdmin: false)))
        {
            refused = await retry.RequestRetryAsync(run, Ct);
        }

        using (CurrentUser.Use(new ActingUser("a", "admin@example.com", IsAdmin: true)))
        {
            accepted = await retry.RequestRetryAsync(run, Ct);
            again = await retry.RequestRetryAsync(run, Ct);
        }

        // The request starts the source's run at once, which may already have taken it: count what was recorded.
        await using var db = await host.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<UnifyAdmin.Core.Persistence.AppDbContext>>().CreateDbContextAsync(Ct);
        var recorded = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Set<RetryRequest>(), r => r.RunId == run && r.SourceId == flow.SourceId, Ct);

        Assert.False(refused.Accepted);
        Assert.True(accepted.Accepted);
        Assert.Equal(10, accepted.Records);
        Assert.Contains("already waiting", again.Message);
        Assert.Equal(1, recorded);
    }

    [Fact]
    public async Task Configuration_changes_are_audited_with_who_and_before_and_after_and_secrets_only_as_changed()
    {
        var flow = await MonitoringSeed.FlowAsync(host.Services, "Audited org");
        var contexts = host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        using (CurrentUser.Use(new ActingUser("u1", "alice@example.com", IsAdmin: true)))
        {
            await using var db = await contexts.CreateDbContextAsync(Ct);
            var source = await db.Sources.SingleAsync(s => s.Id == flow.SourceId, Ct);
            source.SyncIntervalMinutes = 15;
            source.ClientSecretProtected = "ciphertext-of-a-new-secret";
            source.ApiUsed = 4242;
            await db.SaveChangesAsync(Ct);

            // The engine's own bookkeeping is not configuration.
            source.ApiUsed = 4343;
            source.CursorlessTouch();
            await db.SaveChangesAsync(Ct);
        }

        var (rows, _) = await host.Services.GetRequiredService<AuditLogQueries>().PageAsync(new AuditFilter("Source", "alice"), 0, 10, Ct);
        var entry = Assert.Single(rows);
        var json = JsonSerializer.Serialize(entry);

        Assert.Equal(AuditAction.Changed, entry.Action);
        Assert.Equal("Audited org", entry.EntityName);
        Assert.Contains(new AuditChange("SyncIntervalMinutes", "60", "15"), entry.Changes);
        Assert.Contains(new AuditChange("ClientSecretProtected", null, AuditInterceptor.Changed), entry.Changes);
        Assert.DoesNotContain("ciphertext-of-a-new-secret", json);
        Assert.DoesNotContain(entry.Changes, c => c.Setting == "ApiUsed");
    }
}

internal static class SourceTestExtensions
{
    /// <summary>A change the audit ignores (the engine's usage reading time).</summary>
    public static void CursorlessTouch(this UnifyAdmin.Core.Sources.Source source) => source.ApiUsageAt = DateTimeOffset.UtcNow;
}
