using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Monitoring;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Core.Sync;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Monitoring;

/// <summary>Short webhook retries and timeouts, so failures show within a test.</summary>
public sealed class AlertAppHost : AppHost
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Monitoring:WebhookAttempts", "3"),
        new("Monitoring:WebhookFirstRetryDelay", "00:00:00.100"),
        new("Monitoring:WebhookTimeout", "00:00:02"),
        new("Monitoring:EvaluateInterval", "01:00:00"),
        new("Logging:LogLevel:Default", "Debug"),
    ];
}

/// <summary>Alerts: one per change of state, a recovery notice, webhooks that never hold anything up.</summary>
public sealed class AlertTests(AlertAppHost host) : IClassFixture<AlertAppHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ActingUser Admin = new("a", "admin@example.com", IsAdmin: true);

    private async Task<Guid> AddWebhookAsync(string url)
    {
        var webhooks = host.Services.GetRequiredService<WebhookService>();
        using (CurrentUser.Use(Admin))
        {
            var result = await webhooks.AddAsync($"hook {Guid.NewGuid():N}", url, Ct);
            Assert.True(result.Succeeded, result.Message);
        }

        return (await webhooks.ListAsync(Ct)).OrderByDescending(w => w.Name).First(w => url.StartsWith(w.DisplayHost, StringComparison.Ordinal)).Id;
    }

    private async Task RemoveWebhooksAsync()
    {
        var webhooks = host.Services.GetRequiredService<WebhookService>();
        using (CurrentUser.Use(Admin))
        {
            foreach (var w in await webhooks.ListAsync(Ct))
            {
                await webhooks.RemoveAsync(w.Id, Ct);
            }
        }
    }

    private async Task<List<Notification>> NotificationsAboutAsync(string text)
        => (await host.Services.GetRequiredService<NotificationService>().RecentAsync(500, Ct)).Where(n => n.Title.Contains(text) || n.Message.Contains(text)).ToList();

    [Theory]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("ftp://hooks.example.com/x")]
    [InlineData("/relative/path")]
    [InlineData("https://user:password@hooks.example.com/x")]
    [InlineData("javascript:alert(1)")]
    public async Task An_invalid_webhook_url_is_refused_with_a_reason(string url)
    {
        var webhooks = host.Services.GetRequiredService<WebhookService>();
        WebhookResult result;
        using (CurrentUser.Use(Admin))
        {
            result = await webhooks.AddAsync("bad", url, Ct);
        }

        Assert.False(result.Succeeded);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
        Assert.DoesNotContain(await webhooks.ListAsync(Ct), w => w.Name == "bad");
    }

    [Fact]
    public async Task A_viewer_cannot_add_webhooks_or_switch_alert_rules_off()
    {
        var flow = await MonitoringSeed.FlowAsync(host.Services, "Viewer rules org");
        using (CurrentUser.Use(new ActingUser("v", "viewer@example.com", IsAdmin: false)))
        {
            Assert.False((await host.Services.GetRequiredService<WebhookService>().AddAsync("x", "https://hooks.example.com/a", Ct)).Succeeded);
            Assert.False((await host.Services.GetRequiredService<AlertRuleService>().SetAsync(flow.MappingId, AlertKind.RunFailed, false, null, Ct)).Succeeded);
        }

        var rules = await host.Services.GetRequiredService<AlertRuleService>().ListAsync(Ct);
        Assert.True(rules.Single(r => r.MappingId == flow.MappingId && r.Kind == AlertKind.RunFailed).Enabled);
    }

    [Fact]
    public async Task A_failed_run_alerts_once_however_often_it_is_evaluated_and_recovery_is_notified_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await AddWebhookAsync(receiver.Url);
        var flow = await MonitoringSeed.FlowAsync(host.Services, "Storm org");
        await MonitoringSeed.RunAsync(host.Services, flow, SyncRunState.Failed, 0, 0, DateTimeOffset.UtcNow.AddMinutes(-10), "Segment refused the write key.");
        var evaluator = host.Services.GetRequiredService<IFlowStateEvaluator>();

        await evaluator.EvaluateAsync(flow.SourceId, Ct);
        await evaluator.EvaluateAsync(flow.SourceId, Ct);
        await evaluator.EvaluateAllAsync(Ct);
        await Eventually.TrueAsync(() => receiver.Received.Any(r => r.GetProperty("text").GetString()!.Contains("Storm org")), "the firing alert");

        await MonitoringSeed.RunAsync(host.Services, flow, SyncRunState.Succeeded, 10, 0, DateTimeOffset.UtcNow.AddMinutes(-1));
        await evaluator.EvaluateAsync(flow.SourceId, Ct);
        await evaluator.EvaluateAsync(flow.SourceId, Ct);
        await Eventually.TrueAsync(() => receiver.Received.Count(r => r.GetProperty("text").GetString()!.Contains("Storm org")) == 2, "the recovery notice");

        var notes = await NotificationsAboutAsync("Storm org");
        var hooks = receiver.Received.Where(r => r.GetProperty("text").GetString()!.Contains("Storm org")).ToList();
        Assert.Equal(2, notes.Count);
        Assert.Single(notes, n => !n.Recovery && n.Kind == AlertKind.RunFailed);
        Assert.Single(notes, n => n.Recovery && n.Kind == AlertKind.RunFailed);
        Assert.Equal(["firing", "resolved"], hooks.Select(h => h.GetProperty("state").GetString()));
        Assert.Contains("Segment refused the write key.", hooks[0].GetProperty("text").GetString());
        await RemoveWebhooksAsync();
    }

    [Fact]
    public async Task A_rule_switched_off_for_a_flow_raises_nothing()
    {
        var flow = await MonitoringSeed.FlowAsync(host.Services, "Quiet org");
        using (CurrentUser.Use(Admin))
        {
            Assert.True((await host.Services.GetRequiredService<AlertRuleService>().SetAsync(flow.MappingId, AlertKind.NeedsReconnect, false, null, Ct)).Succeeded);
        }

        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct))
        {
            var source = await db.Sources.SingleAsync(s => s.Id == flow.SourceId, Ct);
            source.ConnectionState = SourceConnectionState.NeedsReconnect;
            await db.SaveChangesAsync(Ct);
        }

        await host.Services.GetRequiredService<IFlowStateEvaluator>().EvaluateAsync(flow.SourceId, Ct);

        Assert.Empty(await NotificationsAboutAsync("Quiet org"));
    }

    [Fact]
    public async Task A_dead_or_slow_webhook_never_holds_up_evaluation_and_its_last_problem_is_shown()
    {
        await using var down = await WebhookReceiver.StartAsync();
        down.FailWith = 500;
        await using var slow = await WebhookReceiver.StartAsync();
        slow.Delay = TimeSpan.FromSeconds(30);
        var downId = await AddWebhookAsync(down.Url);
        var slowId = await AddWebhookAsync(slow.Url);
        var flow = await MonitoringSeed.FlowAsync(host.Services, "Unreachable hooks org");
        await MonitoringSeed.RunAsync(host.Services, flow, SyncRunState.Failed, 0, 0, reason: "Boom.");

        var clock = Stopwatch.StartNew();
        await host.Services.GetRequiredService<IFlowStateEvaluator>().EvaluateAsync(flow.SourceId, Ct);
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Evaluation took {clock.Elapsed}");
        var webhooks = host.Services.GetRequiredService<WebhookService>();
        await Eventually.TrueAsync(async () => (await webhooks.ListAsync(Ct)).Where(w => w.Id == downId || w.Id == slowId).All(w => w.LastError is not null),
            "both webhooks to give up", TimeSpan.FromSeconds(20));
        var list = await webhooks.ListAsync(Ct);
        Assert.Contains("500", list.Single(w => w.Id == downId).LastError);
        Assert.Contains("did not answer", list.Single(w => w.Id == slowId).LastError);
        Assert.Equal(3, down.Attempts);
        Assert.DoesNotContain(host.Logs.Lines, m => m.Contains("secret-path-token", StringComparison.Ordinal));
        await RemoveWebhooksAsync();
    }

    [Fact]
    public async Task The_test_button_reports_whether_the_endpoint_accepted_the_message()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var id = await AddWebhookAsync(receiver.Url);
        var webhooks = host.Services.GetRequiredService<WebhookService>();

        WebhookResult ok, failed;
        using (CurrentUser.Use(Admin))
        {
            ok = await webhooks.TestAsync(id, Ct);
            receiver.FailWith = 503;
            failed = await webhooks.TestAsync(id, Ct);
        }

        Assert.True(ok.Succeeded, ok.Message);
        Assert.Contains("alerts reach this channel", receiver.Received.Single().GetProperty("text").GetString());
        Assert.False(failed.Succeeded);
        Assert.Contains("503", failed.Message);
        await RemoveWebhooksAsync();
    }

    [Fact]
    public async Task Notifications_one_user_reads_stay_unread_for_another_user()
    {
        await host.CreateUserAsync("reader-a@example.com", "Reader-Password-1", UnifyAdmin.Core.Security.Roles.Admin);
        await host.CreateUserAsync("reader-b@example.com", "Reader-Password-1", UnifyAdmin.Core.Security.Roles.Viewer);
        string a, b;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
            a = (await users.FindByEmailAsync("reader-a@example.com"))!.Id;
            b = (await users.FindByEmailAsync("reader-b@example.com"))!.Id;
        }

        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct))
        {
            db.Add(new Notification { At = DateTimeOffset.UtcNow, Kind = AlertKind.RunFailed, Title = "Run failed: Reader org", Message = "Segment answered 401." });
            await db.SaveChangesAsync(Ct);
        }

        var notifications = host.Services.GetRequiredService<NotificationService>();
        var unreadForB = await notifications.UnreadCountAsync(b, Ct);
        var shown = await notifications.RecentAsync(200, Ct);

        await notifications.MarkReadAsync(a, shown.Max(n => n.Id), Ct);

        Assert.True(unreadForB >= 1);
        Assert.Equal(0, await notifications.UnreadCountAsync(a, Ct));
        Assert.Equal(unreadForB, await notifications.UnreadCountAsync(b, Ct));

        // A newer notification is unread again for the reader, and one more for the other user.
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct))
        {
            db.Add(new Notification { At = DateTimeOffset.UtcNow, Kind = AlertKind.RunFailed, Recovery = true, Title = "Recovered: Run failed: Reader org", Message = "Runs succeed again." });
            await db.SaveChangesAsync(Ct);
        }

        Assert.Equal(1, await notifications.UnreadCountAsync(a, Ct));
        Assert.Equal(unreadForB + 1, await notifications.UnreadCountAsync(b, Ct));
    }
}
