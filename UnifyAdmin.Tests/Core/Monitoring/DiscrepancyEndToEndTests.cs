using System.Net.Http.Headers;
using System.Text;
using UnifyAdmin.Core.Monitoring;
using UnifyAdmin.Core.Sync;
using UnifyAdmin.Tests.Core.Sync;

namespace UnifyAdmin.Tests.Core.Monitoring;

/// <summary>A discrepancy check after a real sync, against the demo org and workspace over loopback HTTP.</summary>
public sealed class DiscrepancyEndToEndTests(DiscrepancyEndToEndTests.Host host) : IClassFixture<DiscrepancyEndToEndTests.Host>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_trait_changed_by_hand_in_segment_is_found_on_exactly_that_record_and_trait()
    {
        host.ResetDemo();
        var flow = await host.CreateFlowAsync();
        var run = await host.RunAsync(flow.Source);
        Assert.Equal(SyncRunState.Succeeded, run.State);

        // Someone changes one profile's title through the Tracking API by hand.
        var changed = host.ContactId(7);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "demo/segment/v1/identify")
        {
            Content = new StringContent(
                $$$"""{"type":"identify","userId":"{{{changed}}}","messageId":"by-hand-1","timestamp":"{{{DateTimeOffset.UtcNow:O}}}","traits":{"title":"Changed by hand"}}""",
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("demo-write-key:")));
        using (var response = await http.SendAsync(request, Ct))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        }

        await using var scope = host.Services.CreateAsyncScope();
        var checker = scope.ServiceProvider.GetRequiredService<DiscrepancyChecker>();
        DiscrepancyCheck check;
        using (CurrentUser.Use(new ActingUser("a", "admin@example.com", IsAdmin: true)))
        {
            check = await checker.RunAsync(flow.Mapping, scheduled: false, Ct);
        }

        Assert.Null(check.Problem);
        Assert.Equal(SyncHost.Contacts, check.Sampled);
        Assert.Equal(1, check.Differs);
        Assert.Equal(SyncHost.Contacts - 1, check.Matched);
        var differing = Assert.Single(await checker.SamplesAsync(check.Id, Ct), s => s.Outcome == DiscrepancyOutcome.Differs);
        Assert.Equal(changed, differing.RecordId);
        Assert.Contains("title", differing.Differences);
        Assert.Contains("Changed by hand", differing.Differences);
        Assert.DoesNotContain("email", differing.Differences);
    }

    /// <summary>The sync host, sampling every record so the check cannot miss the changed one.</summary>
    public sealed class Host : SyncHost
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
            [.. BaseSettings, new("Monitoring:DiscrepancySampleSize", "1000")];
    }
}
