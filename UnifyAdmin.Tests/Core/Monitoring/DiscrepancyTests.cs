using System.Diagnostics;
using UnifyAdmin.Core.Monitoring;
using UnifyAdmin.Demo.Segment;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Monitoring;

/// <summary>Reading profiles back: a missing token explained, a missing profile said so, 429s waited out and then reported.</summary>
public sealed class DiscrepancyTests(AppHost host) : IClassFixture<AppHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ActingUser Admin = new("a", "admin@example.com", IsAdmin: true);

    [Fact]
    public async Task A_check_without_a_profile_api_token_explains_what_is_needed_and_is_kept_in_the_history()
    {
        var flow = await MonitoringSeed.FlowAsync(host.Services, "Tokenless org");
        await using var scope = host.Services.CreateAsyncScope();
        var checker = scope.ServiceProvider.GetRequiredService<DiscrepancyChecker>();

        DiscrepancyCheck check;
        using (CurrentUser.Use(Admin))
        {
            check = await checker.RunAsync(flow.MappingId, scheduled: false, Ct);
        }

        Assert.Contains("Profile API access token", check.Problem);
        Assert.Contains("Demo space", check.Problem);
        Assert.Null(check.MatchPercent);
        Assert.Equal(check.Id, Assert.Single(await checker.HistoryAsync(flow.MappingId, 10, Ct)).Id);
    }

    [Fact]
    public async Task A_viewer_cannot_start_a_check_that_spends_api_calls()
    {
        var flow = await MonitoringSeed.FlowAsync(host.Services, "Viewer check org");
        await using var scope = host.Services.CreateAsyncScope();
        var checker = scope.ServiceProvider.GetRequiredService<DiscrepancyChecker>();

        using (CurrentUser.Use(new ActingUser("v", "viewer@example.com", IsAdmin: false)))
        {
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => checker.RunAsync(flow.MappingId, scheduled: false, Ct));
        }

        Assert.Empty(await checker.HistoryAsync(flow.MappingId, 10, Ct));
    }

    [Fact]
    public async Task Reading_a_profile_back_says_when_it_is_missing_and_waits_out_429s_before_reporting_them()
    {
        await host.EnsureAdminAsync();
        var flow = await MonitoringSeed.FlowAsync(host.Services, "Read-back org", accessToken: "demo-access-token", profileApiUrl: host.Url("demo/segment-profiles"));
        await using var scope = host.Services.CreateAsyncScope();
        var traces = scope.ServiceProvider.GetRequiredService<RecordTraceService>();

        var missing = await traces.ReadProfileAsync(flow.MappingId, "nobody-" + Guid.NewGuid().ToString("N"), Ct);

        host.Services.GetRequiredService<SegmentDemoControl>().InjectFaults(new SegmentDemoFault("429", Count: 4, RetryAfterSeconds: 1, Target: "profiles"));
        var clock = Stopwatch.StartNew();
        var limited = await traces.ReadProfileAsync(flow.MappingId, "someone", Ct);
        clock.Stop();
        host.Services.GetRequiredService<SegmentDemoControl>().Reset();

        Assert.False(missing.Found);
        Assert.StartsWith("No profile has user_id:nobody-", missing.Problem);
        Assert.False(limited.Found);
        Assert.Contains("429", limited.Problem);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), $"Retry-After was not respected: gave up after {clock.Elapsed}");
    }
}
