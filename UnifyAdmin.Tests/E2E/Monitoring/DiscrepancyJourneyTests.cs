using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using UnifyAdmin.Tests.Core.Monitoring;
using UnifyAdmin.Tests.Core.Sync;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E.Monitoring;

/// <summary>
/// The monitoring journey's step 7 in the browser: after a real sync, one profile trait is changed by hand
/// through the Tracking API, and a discrepancy check started from the page finds exactly that record and trait.
/// </summary>
public sealed class DiscrepancyJourneyTests(DiscrepancyEndToEndTests.Host host, BrowserFixture browsers)
    : BrowserTest<DiscrepancyEndToEndTests.Host>(host, browsers), IClassFixture<DiscrepancyEndToEndTests.Host>
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_check_run_from_the_page_finds_exactly_the_trait_changed_by_hand_with_both_values()
    {
        Host.ResetDemo();
        var flow = await Host.CreateFlowAsync();
        string modelName;
        await using (var db = await Host.Db.CreateDbContextAsync(Ct))
        {
            modelName = await db.Models.Where(m => m.Id == flow.Model).Select(m => m.Name).SingleAsync(Ct);
        }

        await SignInAsAdminAsync();

        // A real sync, started with Sync now, sends every Contact to the demo workspace.
        var source = new SourcePage(Page);
        await source.GotoAsync(flow.Source);
        await source.OpenTabAsync("Settings");
        await Page.GetByTestId("sync-now").ClickAsync();
        await Expect(Page.GetByText("Sync started")).ToBeVisibleAsync();
        var shell = new ShellPage(Page);
        await shell.GotoAsync("sync-runs");
        var runs = Page.GetByTestId("sync-runs").Locator("tbody tr").Filter(new() { Has = Page.GetByTestId("run-state") });
        await Expect(runs).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(runs.First.GetByTestId("run-state")).ToHaveTextAsync("succeeded", new() { Timeout = (float)SyncTimeout.TotalMilliseconds });

        // Someone changes one profile's title by hand: the first synced Contact that has a title.
        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        string? changed = null, synced = null;
        for (var i = 1; i <= 50 && changed is null; i++)
        {
            if ((await TraitsAsync(http, Host.ContactId(i))).TryGetValue("title", out var title) && title is not null)
            {
                (changed, synced) = (Host.ContactId(i), title);
            }
        }

        Assert.NotNull(changed);
        await IdentifyByHandAsync(http, changed, "Changed by hand");
        await Eventually.TrueAsync(
            async () => (await TraitsAsync(http, changed)).GetValueOrDefault("title") == "Changed by hand", "the hand-made change in the profile", TimeSpan.FromSeconds(30));

        // The check, run from the page, lists that one record as differing in that one trait, with both values.
        await shell.GotoAsync("monitoring/discrepancies");
        var card = Page.GetByTestId("discrepancy-flow").Filter(new() { HasText = modelName });
        await card.GetByTestId("discrepancy-check").ClickAsync();
        var samples = card.GetByTestId("discrepancy-sample");
        await Expect(samples).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Expect(card.GetByTestId("stat-sampled")).ToHaveTextAsync(SyncHost.Contacts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(card.GetByTestId("stat-differs")).ToHaveTextAsync("1");
        await Expect(samples.First).ToContainTextAsync(changed);
        await Expect(samples.First.GetByTestId("discrepancy-outcome")).ToHaveTextAsync("differs");
        var difference = samples.First.GetByTestId("discrepancy-difference");
        await Expect(difference).ToHaveCountAsync(1);
        await Expect(difference).ToHaveTextAsync($"title: {JsonSerializer.Serialize(synced)} → \"Changed by hand\"");
        await ScreenshotAsync("monitor-7");
    }

    private static async Task IdentifyByHandAsync(HttpClient http, string userId, string title)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "demo/segment/v1/identify")
        {
            Content = new StringContent(
                JsonSerializer.Serialize(new { type = "identify", userId, messageId = "by-hand-" + Guid.NewGuid().ToString("N"), timestamp = DateTimeOffset.UtcNow, traits = new { title } }),
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("demo-write-key:")));
        using var response = await http.SendAsync(request, Ct);
        Assert.True(response.IsSuccessStatusCode, $"The Tracking API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private static async Task<Dictionary<string, string?>> TraitsAsync(HttpClient http, string userId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"demo/segment-profiles/v1/spaces/spa_demo/collections/users/profiles/user_id:{userId}/traits?limit=200");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("demo-access-token:")));
        using var response = await http.SendAsync(request, Ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"The Profile API answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("traits").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ToString());
    }
}
