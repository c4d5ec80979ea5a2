using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using UnifyAdmin.Demo.Segment;
using UnifyAdmin.Core.Segment;
using UnifyAdmin.Tests.Core.Segment;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Demo.Segment;

/// <summary>Tests that need a demo of their own: restarts, settings, the control API over HTTP.</summary>
public sealed class SegmentDemoHostTests : IDisposable
{
    private readonly ServiceProvider clients = SegmentDemoFixture.CreateClients();
    private readonly HttpClient http = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        clients.Dispose();
        http.Dispose();
    }

    private static Task<LoopbackHost> StartAsync(Dictionary<string, string?> settings)
        => LoopbackHost.StartAsync(b => b.Services.AddSegmentDemo(b.Configuration), app => app.MapSegmentDemo(), settings);

    private static AuthenticationHeaderValue Basic(string user) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":")));

    [Fact]
    public async Task Profiles_survive_a_restart_when_a_state_path_is_set()
    {
        var directory = Directory.CreateTempSubdirectory("segment-demo-");
        try
        {
            var settings = new Dictionary<string, string?> { ["Demo:Segment:StatePath"] = Path.Combine(directory.FullName, "state", "segment.json") };
            var tracking = clients.GetRequiredService<SegmentTrackingClient>();
            var profiles = clients.GetRequiredService<SegmentProfileClient>();
            var anon = TestMessages.Unique("anon");
            await using (var first = await StartAsync(settings))
            {
                var result = await tracking.SendAsync(new Uri(first.Url("/demo/segment")), "demo-write-key",
                    [
                        TestMessages.Identify("persisted-user", new() { ["name"] = "Kept", ["score"] = 4.5 }, anon),
                        new GroupMessage("g-1", "persisted-account", "persisted-user", null, new Dictionary<string, object?> { ["name"] = "Acme" }, DateTimeOffset.UtcNow),
                    ],
                    Token);
                Assert.Empty(result.Failed);
            }

            await using var second = await StartAsync(settings);
            var space = new SegmentProfileSpace(new Uri(second.Url("/demo/segment-profiles")), "spa_demo", "demo-access-token");
            var traits = await profiles.GetAllTraitsAsync(space, SegmentProfileId.AnonymousId(anon), Token);
            var account = await profiles.GetAllTraitsAsync(space, SegmentProfileId.Account("persisted-account"), Token);

            Assert.Equal("Kept", traits!["name"].GetString());
            Assert.Equal(4.5, traits["score"].GetDouble());
            Assert.Equal("Acme", account!["name"].GetString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Serves_extra_spaces_each_with_its_own_keys()
    {
        await using var host = await StartAsync(new()
        {
            ["Demo:Segment:Spaces:0:Id"] = "spa_second",
            ["Demo:Segment:Spaces:0:Name"] = "Second",
            ["Demo:Segment:Spaces:0:WriteKey"] = "second-write-key",
            ["Demo:Segment:Spaces:0:AccessToken"] = "second-token",
        });
        var tracking = clients.GetRequiredService<SegmentTrackingClient>();
        var profiles = clients.GetRequiredService<SegmentProfileClient>();
        var profilesBase = new Uri(host.Url("/demo/segment-profiles"));
        await tracking.SendAsync(new Uri(host.Url("/demo/segment")), "second-write-key", [TestMessages.Identify("second-user")], Token);

        var inSecond = await profiles.GetAllTraitsAsync(new SegmentProfileSpace(profilesBase, "spa_second", "second-token"), SegmentProfileId.UserId("second-user"), Token);
        var inDemo = await profiles.GetAllTraitsAsync(new SegmentProfileSpace(profilesBase, "spa_demo", "demo-access-token"), SegmentProfileId.UserId("second-user"), Token);

        Assert.NotNull(inSecond);
        Assert.Null(inDemo);
        await Assert.ThrowsAsync<SegmentProfileAuthException>(
            () => profiles.GetAllTraitsAsync(new SegmentProfileSpace(profilesBase, "spa_second", "demo-access-token"), SegmentProfileId.UserId("second-user"), Token));
    }

    [Fact]
    public async Task Limits_the_profile_api_per_space_and_second_with_retry_after()
    {
        await using var host = await StartAsync(new() { ["Demo:Segment:ProfileApiRequestsPerSecond"] = "3" });
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, host.Url("/demo/segment-profiles/v1/spaces/spa_demo/collections/users/profiles/user_id:x/traits"));
            request.Headers.Authorization = Basic("demo-access-token");
            statuses.Add(await http.SendAsync(request, Token));
        }

        var limited = statuses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(limited.Count >= 4, $"{limited.Count} of 10 requests were limited");
        Assert.All(limited, r => Assert.Equal(TimeSpan.FromSeconds(1), r.Headers.RetryAfter!.Delta));
        statuses.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task Control_api_injects_faults_lists_messages_and_resets_over_http()
    {
        await using var host = await StartAsync(new() { ["Demo:Segment:ControlApiEnabled"] = "true" });
        var tracking = clients.GetRequiredService<SegmentTrackingClient>();
        var trackingBase = new Uri(host.Url("/demo/segment"));

        using var inject = await http.PostAsJsonAsync(host.Url("/demo/segment/_control/faults"), new { kind = "500", count = 5 }, Token);
        var outage = await tracking.SendAsync(trackingBase, "demo-write-key", [TestMessages.Identify("c-user", messageId: "c-1")], Token);
        using var clear = await http.PostAsync(host.Url("/demo/segment/_control/reset"), null, Token);
        var delivered = await tracking.SendAsync(trackingBase, "demo-write-key", [TestMessages.Identify("c-user", messageId: "c-2")], Token);
        using var listed = JsonDocument.Parse(await http.GetStringAsync(host.Url("/demo/segment/_control/messages?space=spa_demo"), Token));

        Assert.Equal(HttpStatusCode.OK, inject.StatusCode);
        Assert.Single(outage.Failed);
        Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        Assert.Equal(["c-2"], delivered.Accepted);
        var message = Assert.Single(listed.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("c-2", message.GetProperty("messageId").GetString());
        Assert.Contains("\"userId\":\"c-user\"", message.GetProperty("json").GetString());
    }

    [Fact]
    public async Task Control_api_is_not_mapped_unless_enabled()
    {
        await using var host = await StartAsync([]);

        using var response = await http.PostAsync(host.Url("/demo/segment/_control/reset"), null, Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
