using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UnifyAdmin.Core.Monitoring;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Sync;
using UnifyAdmin.Tests.Core.Monitoring;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E.Monitoring;

public sealed class MonitoringJourneyTests(AppHost host, BrowserFixture browsers)
    : BrowserTest<AppHost>(host, browsers), IClassFixture<AppHost>
{
    private const string ViewerEmail = "monitoring-viewer@example.com";
    private const string ViewerPassword = "Viewer-Password-7";

    [Fact]
    public async Task An_admin_follows_a_failing_flow_to_its_errors_and_record_and_gets_one_alert_then_a_recovery_notice()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var healthy = await MonitoringSeed.FlowAsync(Host.Services, "Healthy org");
        await MonitoringSeed.RunAsync(Host.Services, healthy, SyncRunState.Succeeded, 250, 0);
        await Host.Services.GetRequiredService<SyncScheduler>().ApplyAsync(healthy.SourceId, TestContext.Current.CancellationToken);
        var failing = await MonitoringSeed.FlowAsync(Host.Services, "Failing org");
        var run = await MonitoringSeed.RunAsync(Host.Services, failing, SyncRunState.Partial, accepted: 70, failed: 30);
        await Host.Services.GetRequiredService<SyncScheduler>().ApplyAsync(failing.SourceId, TestContext.Current.CancellationToken);
        await MonitoringSeed.ErrorsAsync(Host.Services, failing, run,
            Enumerable.Range(1, 27).Select(i => (MonitoringSeed.ContactId(i), "Message larger than 32 KB", (string?)$"{{\"userId\":\"{MonitoringSeed.ContactId(i)}\",\"traits\":{{\"email\":\"p{i}@example.com\"}}}}"))
                .Concat(Enumerable.Range(28, 3).Select(i => (MonitoringSeed.ContactId(i), "Neither userId nor anonymousId", (string?)null))));
        var shell = new ShellPage(Page);
        await SignInAsAdminAsync();

        // The dashboard puts the failing flow first, red, with a warning on top that links to its fix.
        await shell.GotoAsync("");
        var card = Page.GetByTestId("flow-card").Filter(new() { HasText = "Failing org" });
        await Expect(card.GetByTestId("flow-state")).ToHaveTextAsync("Failing records");
        await Expect(card.GetByTestId("flow-state")).ToHaveClassAsync(new Regex("mud-chip-color-error"));
        await Expect(Page.GetByTestId("flow-card").First).ToContainTextAsync("Failing org");
        await Expect(Page.GetByTestId("flow-warning").First).ToContainTextAsync("30 record(s) failing");
        var healthyCard = Page.GetByTestId("flow-card").Filter(new() { HasText = "Healthy org" });
        await Expect(healthyCard.GetByTestId("flow-state")).ToHaveTextAsync("Healthy");
        var nextRun = (await Host.Services.GetRequiredService<SyncScheduler>().NextRunAsync(healthy.SourceId, TestContext.Current.CancellationToken))!.Value;
        await Expect(healthyCard.GetByTestId("flow-next-run")).ToHaveTextAsync($"{nextRun.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        await ScreenshotAsync("monitor-1");

        // Its run groups the errors by reason, biggest group first.
        await card.GetByTestId("flow-fix").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"/sync-runs/{run}$"));
        await Expect(Page.GetByTestId("run-counts")).ToBeVisibleAsync();
        await Page.WaitForCircuitAsync();
        var groups = Page.GetByTestId("error-group");
        await Expect(groups).ToHaveCountAsync(2);
        await Expect(groups.First.GetByTestId("error-group-reason")).ToHaveTextAsync("Message larger than 32 KB");
        await Expect(groups.First.GetByTestId("error-group-count")).ToHaveTextAsync("27");
        await ScreenshotAsync("monitor-2");

        // A group opens to its records, a page at a time.
        await groups.First.GetByTestId("error-group-reason").ClickAsync();
        await Expect(groups.First.GetByTestId("error-record-id")).ToHaveCountAsync(25);
        await Expect(groups.First).ToContainTextAsync("1-25 of 27");
        await ScreenshotAsync("monitor-3");

        // The CSV comes from the same signed-in session.
        var csv = await Page.Context.APIRequest.GetAsync($"sync-runs/{run}/errors.csv");
        Assert.Equal(200, csv.Status);
        var text = await csv.TextAsync();
        Assert.Equal(31, text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        // Record trace finds the failing record by its Id, with its error history.
        await shell.GotoAsync("monitoring/records");
        await Page.GetByLabel("Salesforce Id").FillAsync(MonitoringSeed.ContactId(28));
        await Page.GetByTestId("trace-search").ClickAsync();
        await Expect(Page.GetByTestId("trace-errors")).ToContainTextAsync("Neither userId nor anonymousId");
        await Expect(Page.GetByTestId("trace-flows")).ToContainTextAsync("Failing org contacts");
        await ScreenshotAsync("monitor-4");

        // A webhook added on the alerts page receives one alert, then one recovery notice.
        await shell.GotoAsync("monitoring/alerts");
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Ops channel");
        await Page.GetByLabel("URL", new() { Exact = true }).FillAsync(receiver.Url);
        await Page.GetByTestId("webhook-add").ClickAsync();
        await Expect(Page.GetByTestId("webhooks")).ToContainTextAsync(receiver.Url[..receiver.Url.IndexOf("/hook", StringComparison.Ordinal)]);
        await Expect(Page.GetByTestId("webhooks")).Not.ToContainTextAsync("secret-path-token");
        await ScreenshotAsync("monitor-5");

        var evaluator = Host.Services.GetRequiredService<IFlowStateEvaluator>();
        await evaluator.EvaluateAllAsync(TestContext.Current.CancellationToken);
        await evaluator.EvaluateAllAsync(TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => receiver.Received.Any(), "the alert at the webhook");
        await MonitoringSeed.RunAsync(Host.Services, failing, SyncRunState.Succeeded, 100, 0, DateTimeOffset.UtcNow.AddMinutes(-1));
        await evaluator.EvaluateAllAsync(TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => receiver.Received.Count >= 2, "the recovery notice at the webhook");
        await evaluator.EvaluateAllAsync(TestContext.Current.CancellationToken);

        var received = receiver.Received.ToList();
        Assert.Equal(["firing", "resolved"], received.Select(r => r.GetProperty("state").GetString()));
        Assert.Contains("failed records above 10%", received[0].GetProperty("text").GetString());
        Assert.Contains("Failing org", received[1].GetProperty("text").GetString());

        // The bell counts both; its page lists them.
        await shell.GotoAsync("");
        await Expect(Page.GetByTestId("bell")).ToHaveAttributeAsync("aria-label", "Notifications, 2 unread");
        await Page.GetByTestId("bell").ClickAsync();
        await Expect(Page.GetByTestId("notification")).ToHaveCountAsync(2);
        await Expect(Page.GetByTestId("notification").First).ToContainTextAsync("Recovered");
        await Expect(Page.GetByTestId("notification-new")).ToHaveCountAsync(2);
        await ScreenshotAsync("monitor-6");

        // Reading them clears the admin's count only: a viewer who has not opened them still sees both unread.
        await Expect(Page.GetByTestId("bell")).ToHaveAttributeAsync("aria-label", "Notifications, 0 unread");
        await Page.ReloadAsync();
        await Page.WaitForCircuitAsync();
        await Expect(Page.GetByTestId("notification-new")).ToHaveCountAsync(0);
        await Host.CreateUserAsync(ViewerEmail, ViewerPassword, Roles.Viewer);
        await using (var viewerContext = await Page.Context.Browser!.NewContextAsync(new() { BaseURL = Host.BaseAddress.ToString() }))
        {
            var viewer = await viewerContext.NewPageAsync();
            await new LoginPage(viewer).GotoAsync();
            await new LoginPage(viewer).SignInAsync(ViewerEmail, ViewerPassword);
            await Expect(viewer).ToHaveURLAsync(Host.Url(""));
            await viewer.WaitForCircuitAsync();
            await Expect(viewer.GetByTestId("bell")).ToHaveAttributeAsync("aria-label", "Notifications, 2 unread");
        }

        // The audit log names the admin who added the webhook, without its address.
        await shell.GotoAsync("monitoring/audit");
        var row = Page.GetByTestId("audit-table").Locator("tr").Filter(new() { HasText = "Ops channel" });
        await Expect(row).ToContainTextAsync(AppHost.AdminEmail);
        await Expect(row).ToContainTextAsync("UrlProtected: — → changed");
    }
}
