using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Sync;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Demo.Segment;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Sync;

/// <summary>Drift, limits, expired tokens, outages, cancel and resync: every run ends where an admin can see why, and nothing is lost.</summary>
public sealed class SyncFaultTests(SyncHost host) : IClassFixture<SyncHost>
{
    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, Roles.Admin)], "test"));

    private async Task AssertEveryContactDeliveredAsync()
        => Assert.Equal(SyncHost.Contacts, host.Delivered().Select(m => m.UserId).Distinct().Count());

    [Fact]
    public async Task Fields_added_or_removed_outside_the_model_become_one_notice_each_and_the_flow_goes_on()
    {
        host.ResetDemo();
        var source = await host.CreateSourceAsync();
        var destination = await host.CreateDestinationAsync();
        var model = await host.CreateModelAsync(source, "Email", "FirstName");
        var mapping = await host.CreateMappingAsync(model, destination, traits: [new("email", "Email")]);
        host.Org.AddField("Contact", new DemoFieldDefinition("Loyalty_Tier__c", "string", "Loyalty tier", 40));
        host.Org.RemoveField("Contact", "Department");

        var first = await host.RunAsync(source);
        var second = await host.RunAsync(source);

        Assert.Equal(SyncRunState.Succeeded, first.Mappings.Single().State);
        Assert.Equal(SyncHost.Contacts, first.Mappings.Single().Accepted);
        Assert.Equal(SyncRunState.Succeeded, second.Mappings.Single().State);
        Assert.Null((await host.GetMappingAsync(mapping)).PausedReason);
        var ct = TestContext.Current.CancellationToken;
        await using var db = await host.Db.CreateDbContextAsync(ct);
        var notices = (await db.SchemaNotices.Where(n => n.ModelId == model).ToListAsync(ct)).Select(n => n.Message).Order().ToList();
        Assert.Equal(2, notices.Count);
        Assert.Contains(notices, m => m.Contains("`Department` was removed from Contact", StringComparison.Ordinal));
        Assert.Contains(notices, m => m.Contains("`Loyalty_Tier__c` was added to Contact", StringComparison.Ordinal) && m.Contains("edit the model to add it", StringComparison.Ordinal));

        // What the model page and the dashboard show, until an Admin dismisses it.
        var models = host.Services.GetRequiredService<ModelService>();
        var open = await models.OpenNoticesAsync(model, ct);
        Assert.Equal(2, open.Count);
        Assert.All(open, n => Assert.False(n.PausedAMapping));
        var viewer = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "viewer"), new Claim(ClaimTypes.Role, Roles.Viewer)], "test"));
        Assert.Equal("Only an Admin can dismiss schema notices.", Assert.Single((await models.DismissNoticeAsync(viewer, open[0].Id, ct)).Errors));
        Assert.True((await models.DismissNoticeAsync(Admin, open[0].Id, ct)).Succeeded);
        Assert.Equal(open[1].Id, Assert.Single(await models.OpenNoticesAsync(model, ct)).Id);
    }

    [Fact]
    public async Task A_removed_or_retyped_mapped_field_pauses_only_the_mapping_that_sends_it()
    {
        host.ResetDemo();
        var source = await host.CreateSourceAsync();
        var destination = await host.CreateDestinationAsync();
        var model = await host.CreateModelAsync(source, "Email", "FirstName", "LastName", "Title", "Department");
        var usesTitle = await host.CreateMappingAsync(model, destination, traits: [new("title", "Title")]);
        var emailOnly = await host.CreateMappingAsync(model, destination, traits: [new("email", "Email")]);
        host.Org.RemoveField("Contact", "Title");
        host.Org.RetypeField("Contact", "Department", "double");

        var run = await host.RunAsync(source);

        var paused = await host.GetMappingAsync(usesTitle);
        Assert.Contains("Title", paused.PausedReason);
        Assert.Contains("removed", paused.PausedReason);
        Assert.Null((await host.GetMappingAsync(emailOnly)).PausedReason);
        Assert.Equal(SyncRunState.Paused, run.Mappings.Single(m => m.MappingId == usesTitle).State);
        Assert.Equal(SyncHost.Contacts, run.Mappings.Single(m => m.MappingId == emailOnly).Accepted);
        var ct = TestContext.Current.CancellationToken;
        await using var db = await host.Db.CreateDbContextAsync(ct);
        var notices = await db.SchemaNotices.Where(n => n.ModelId == model).ToListAsync(ct);
        Assert.Contains(notices, n => n.MappingId == usesTitle && n.Message.Contains("Title", StringComparison.Ordinal));
        Assert.Contains(notices, n => n.MappingId == null && n.Message.Contains("Department", StringComparison.Ordinal) && n.Message.Contains("double", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_api_budget_guard_pauses_before_crossing_and_the_limit_refusal_pauses_at_a_checkpoint()
    {
        host.ResetDemo();
        var flow = await host.CreateFlowAsync();
        // 1,000,000 allowed; leave 400,000: used 60% is above the 50% budget.
        host.Org.SetRemainingApiCalls(400_000);
        await host.Services.GetRequiredService<UnifyAdmin.Core.Salesforce.ApiUsageMeter>().Let(m => m.Record(flow.Source, new(600_000, 1_000_000)));

        var budget = await host.RunAsync(flow.Source);
        Assert.Equal(SyncRunState.Paused, budget.State);
        Assert.StartsWith("Paused: API budget", budget.Reason);
        Assert.Empty(host.Delivered());

        // Another integration spent the allowance since the last header: Salesforce refuses the run's first call.
        host.Org.SetRemainingApiCalls(0);
        var limited = await host.RunAsync(flow.Source);
        Assert.Equal(SyncRunState.Paused, limited.State);
        Assert.StartsWith("Paused: API limit", limited.Reason);
        Assert.Null((await host.GetMappingAsync(flow.Mapping)).CursorId);

        host.Org.Reset();
        var resumed = await host.RunAsync(flow.Source);
        Assert.Equal(SyncRunState.Succeeded, resumed.State);
        await AssertEveryContactDeliveredAsync();
    }

    [Fact]
    public async Task An_expired_session_and_503_pages_mid_run_are_survived()
    {
        host.ResetDemo();
        var flow = await host.CreateFlowAsync();
        host.Org.ExpireAccessTokens();
        host.Org.InjectFaults(503, 2);

        var run = await host.RunAsync(flow.Source);

        Assert.Equal(SyncRunState.Succeeded, run.State);
        await AssertEveryContactDeliveredAsync();
    }

    [Fact]
    public async Task An_access_token_that_expires_mid_run_is_renewed_once_and_the_run_goes_on()
    {
        host.ResetDemo();
        var flow = await host.CreateFlowAsync();
        var running = await StartSlowRunAsync(flow.Source);
        var tokenRequests = host.Org.TokenRequests;

        host.Org.ExpireAccessTokens();
        var run = await FinishSlowRunAsync(running);

        Assert.Equal(SyncRunState.Succeeded, run.State);
        Assert.Equal(1, host.Org.TokenRequests - tokenRequests);
        Assert.Equal(SyncHost.Contacts, run.RecordsRead);
        await AssertEveryContactDeliveredAsync();
    }

    [Fact]
    public async Task A_refresh_refused_with_invalid_grant_mid_run_marks_the_source_needs_reconnect_and_pauses_at_the_checkpoint()
    {
        host.ResetDemo();
        var secrets = host.Services.GetRequiredService<SecretProtector>();
        var sourceId = await host.CreateSourceAsync();
        // Before any client of the source exists, so its session renews with this refresh token.
        await UpdateSourceAsync(sourceId, s => s.RefreshTokenProtected = secrets.Protect("a-refresh-token-the-org-revoked"));
        var model = await host.CreateModelAsync(sourceId, "Email", "FirstName", "LastName", "Title");
        var flow = (Source: sourceId, Mapping: await host.CreateMappingAsync(model, await host.CreateDestinationAsync()));
        var running = await StartSlowRunAsync(flow.Source);

        host.Org.ExpireAccessTokens();
        var run = await FinishSlowRunAsync(running);

        Assert.Equal(SyncRunState.Paused, run.State);
        Assert.Contains("reconnect", run.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("invalid_grant", run.Reason, StringComparison.Ordinal);
        var source = await ReadSourceAsync(flow.Source);
        Assert.Equal(UnifyAdmin.Core.Sources.SourceConnectionState.NeedsReconnect, source.ConnectionState);
        var accepted = run.Mappings.Single().Accepted;
        Assert.InRange(accepted, 1, SyncHost.Contacts - 1);
        Assert.Equal(accepted, host.Delivered().Count);
        Assert.NotNull((await host.GetMappingAsync(flow.Mapping)).CursorId);
        Assert.Null(await host.Engine.RunSourceAsync(flow.Source, SyncTrigger.Schedule, CancellationToken.None));

        // The admin reconnects: the next run resumes from the checkpoint and everything arrives.
        var token = await host.Services.GetRequiredService<UnifyAdmin.Core.Salesforce.SalesforceOAuthClient>()
            .ClientCredentialsAsync(new Uri(host.DemoUrl("/demo/salesforce")), "demo-client-id", "demo-client-secret", CancellationToken.None);
        await UpdateSourceAsync(flow.Source, s =>
        {
            s.RefreshTokenProtected = null;
            s.AccessTokenProtected = secrets.Protect(token.AccessToken);
            s.ConnectionState = UnifyAdmin.Core.Sources.SourceConnectionState.Connected;
            s.ConnectionProblem = null;
        });
        // As the reconnect flow does once it saved the new tokens.
        host.Services.GetRequiredService<UnifyAdmin.Core.Salesforce.SalesforceSessions>().Forget(flow.Source);
        var resumed = await host.RunAsync(flow.Source);
        Assert.Equal(SyncRunState.Succeeded, resumed.State);
        Assert.True(resumed.RecordsRead < SyncHost.Contacts, $"The resumed run read {resumed.RecordsRead} records: it started over instead of at the checkpoint.");
        await AssertEveryContactDeliveredAsync();
    }

    [Fact]
    public async Task An_unchanged_describe_costs_a_304_and_a_changed_one_is_read_again()
    {
        host.ResetDemo();
        var flow = await host.CreateFlowAsync();
        await host.RunAsync(flow.Source);
        var notModified = host.Org.DescribesNotModified;

        var unchanged = await host.RunAsync(flow.Source);

        Assert.Equal(SyncRunState.Succeeded, unchanged.State);
        Assert.Equal(notModified + 1, host.Org.DescribesNotModified);

        host.Org.RemoveField("Contact", "Title");
        var changed = await host.RunAsync(flow.Source);

        Assert.Equal(notModified + 1, host.Org.DescribesNotModified);
        Assert.Contains("Title", (await host.GetMappingAsync(flow.Mapping)).PausedReason);
        Assert.Equal(SyncRunState.Paused, changed.Mappings.Single().State);
    }

    /// <summary>Starts a run whose pages each take a second, and returns once its first page is checkpointed.</summary>
    private async Task<(Task<Guid?> Run, Guid RunId)> StartSlowRunAsync(Guid sourceId)
    {
        host.Org.SetResponseDelay(TimeSpan.FromSeconds(1));
        var running = host.Engine.RunSourceAsync(sourceId, SyncTrigger.Manual, CancellationToken.None);
        Guid runId = default;
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await host.Db.CreateDbContextAsync();
            runId = await db.SyncRuns.Where(r => r.SourceId == sourceId && r.RecordsRead > 0).Select(r => r.Id).FirstOrDefaultAsync();
            return runId != default;
        }, "the run checkpointed its first page");
        return (running, runId);
    }

    private async Task<SyncRun> FinishSlowRunAsync((Task<Guid?> Run, Guid RunId) running)
    {
        await running.Run;
        host.Org.SetResponseDelay(TimeSpan.Zero);
        return await host.GetRunAsync(running.RunId);
    }

    private async Task UpdateSourceAsync(Guid sourceId, Action<UnifyAdmin.Core.Sources.Source> change)
    {
        await using var db = await host.Db.CreateDbContextAsync();
        var source = await db.Sources.FirstAsync(s => s.Id == sourceId);
        change(source);
        await db.SaveChangesAsync();
    }

    private async Task<UnifyAdmin.Core.Sources.Source> ReadSourceAsync(Guid sourceId)
    {
        await using var db = await host.Db.CreateDbContextAsync();
        return await db.Sources.AsNoTracking().FirstAsync(s => s.Id == sourceId);
    }

    [Fact]
    public async Task A_429_storm_beyond_retries_fails_the_run_keeping_the_checkpoint_and_the_next_run_delivers_everything()
    {
        host.ResetDemo();
        var flow = await host.CreateFlowAsync();
        host.Segment.InjectFaults(new SegmentDemoFault("429", Count: 10, RetryAfterSeconds: 0));

        var failed = await host.RunAsync(flow.Source);

        Assert.Equal(SyncRunState.Failed, failed.State);
        Assert.Contains("429", failed.Reason);
        Assert.Null((await host.GetMappingAsync(flow.Mapping)).CursorId);
        host.Segment.Reset();
        var next = await host.RunAsync(flow.Source);
        Assert.Equal(SyncRunState.Succeeded, next.State);
        await AssertEveryContactDeliveredAsync();
    }

    [Fact]
    public async Task Cancel_stops_at_a_batch_boundary_and_resync_from_scratch_reads_everything_again()
    {
        host.ResetDemo();
        var flow = await host.CreateFlowAsync();
        // Each page takes 2 s, so the cancel lands well before the last page even on a busy machine (300 ms lost that race under load).
        host.Org.SetResponseDelay(TimeSpan.FromSeconds(2));
        var running = host.Engine.RunSourceAsync(flow.Source, SyncTrigger.Manual, CancellationToken.None);
        Guid runId = default;
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await host.Db.CreateDbContextAsync();
            runId = await db.SyncRuns.Where(r => r.SourceId == flow.Source && r.RecordsRead > 0).Select(r => r.Id).FirstOrDefaultAsync();
            return runId != default;
        }, "the run read its first page");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<SyncControl>().CancelAsync(Admin, runId, CancellationToken.None));
        }

        await running;
        host.Org.SetResponseDelay(TimeSpan.Zero);
        var cancelled = await host.GetRunAsync(runId);
        Assert.Equal(SyncRunState.Cancelled, cancelled.State);
        Assert.True(cancelled.RecordsRead < SyncHost.Contacts);
        Assert.Equal(cancelled.Mappings.Single().Accepted, host.Delivered().Count);
        Assert.NotNull((await host.GetMappingAsync(flow.Mapping)).CursorId);

        var finished = await host.RunAsync(flow.Source);
        Assert.Equal(SyncRunState.Succeeded, finished.State);
        await AssertEveryContactDeliveredAsync();

        await using (var scope = host.Services.CreateAsyncScope())
        {
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<SyncControl>().ResyncFromScratchAsync(Admin, flow.Mapping, CancellationToken.None));
        }

        var again = await host.RunAsync(flow.Source);
        Assert.Equal(SyncRunKind.Initial, again.Kind);
        Assert.Equal(SyncHost.Contacts, again.RecordsRead);
        Assert.Equal(SyncHost.Contacts, again.Mappings.Single().MessagesSent);
    }

    [Fact]
    public async Task Sync_now_runs_the_sources_quartz_job_and_the_schedule_shows_the_next_run()
    {
        host.ResetDemo();
        var flow = await host.CreateFlowAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var control = scope.ServiceProvider.GetRequiredService<SyncControl>();
        Assert.Empty(await control.SaveScheduleAsync(Admin, flow.Source, 30, null, CancellationToken.None));
        Assert.NotEmpty(await control.SaveScheduleAsync(Admin, flow.Source, 5, null, CancellationToken.None));
        Assert.NotEmpty(await control.SaveScheduleAsync(Admin, flow.Source, 60, "not a cron", CancellationToken.None));

        Assert.Empty(await control.SyncNowAsync(Admin, flow.Source, CancellationToken.None));

        await Eventually.TrueAsync(async () =>
        {
            var last = await control.LastAndNextAsync(flow.Source, null, CancellationToken.None);
            return last.Last is { State: SyncRunState.Succeeded };
        }, "the manual run succeeded", TimeSpan.FromSeconds(30));
        var state = await control.LastAndNextAsync(flow.Source, null, CancellationToken.None);
        Assert.Equal(SyncTrigger.Manual, state.Last!.Trigger);
        Assert.NotNull(state.Next);
        Assert.InRange(state.Next!.Value, DateTimeOffset.UtcNow.AddMinutes(25), DateTimeOffset.UtcNow.AddMinutes(31));
        await AssertEveryContactDeliveredAsync();
    }
}

/// <summary>Viewers see sync state but every change is refused by the server, not just hidden.</summary>
public sealed class SyncControlAccessTests(SyncHost host) : IClassFixture<SyncHost>
{
    private static readonly ClaimsPrincipal Viewer = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "viewer"), new Claim(ClaimTypes.Role, Roles.Viewer)], "test"));

    [Fact]
    public async Task A_viewer_reads_the_switches_state_but_cannot_change_anything()
    {
        var ct = TestContext.Current.CancellationToken;
        var flow = await host.CreateFlowAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var control = scope.ServiceProvider.GetRequiredService<SyncControl>();

        Assert.True((await control.GetMappingStateAsync(flow.Mapping, ct))!.Enabled);
        Assert.NotEmpty(await control.SetMappingEnabledAsync(Viewer, flow.Mapping, false, ct));
        Assert.NotEmpty(await control.SetSourceEnabledAsync(Viewer, flow.Source, false, ct));
        Assert.NotEmpty(await control.SaveScheduleAsync(Viewer, flow.Source, 30, null, ct));
        Assert.NotEmpty(await control.SyncNowAsync(Viewer, flow.Source, ct));
        Assert.NotEmpty(await control.ResyncFromScratchAsync(Viewer, flow.Mapping, ct));
        Assert.True((await control.GetMappingStateAsync(flow.Mapping, ct))!.Enabled);
        Assert.True((await control.GetSourceStateAsync(flow.Source, ct))!.Enabled);
    }

    [Fact]
    public async Task A_switch_that_cannot_take_effect_says_why()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = await host.CreateSourceAsync();
        var destination = await host.CreateDestinationAsync();
        var model = await host.CreateModelAsync(source, "Email");
        var mapping = await host.CreateMappingAsync(model, destination);
        await using var scope = host.Services.CreateAsyncScope();
        var control = scope.ServiceProvider.GetRequiredService<SyncControl>();
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, Roles.Admin)], "test"));

        Assert.Empty(await control.SetMappingEnabledAsync(admin, mapping, false, ct));

        Assert.Contains("No mapping of this source is enabled.", (await control.GetSourceStateAsync(source, ct))!.Blockers);
        Assert.Null(await host.Engine.RunSourceAsync(source, SyncTrigger.Manual, ct));
    }
}

internal static class TestExtensions
{
    public static Task Let<T>(this T value, Action<T> action)
    {
        action(value);
        return Task.CompletedTask;
    }
}
