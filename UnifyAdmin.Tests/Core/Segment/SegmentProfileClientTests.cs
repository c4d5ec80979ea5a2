using Microsoft.Extensions.Time.Testing;
using UnifyAdmin.Tests.Infrastructure;
using UnifyAdmin.Demo.Segment;
using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Tests.Core.Segment;

public sealed class SegmentProfileClientTests(SegmentDemoFixture demo) : IClassFixture<SegmentDemoFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<string> CreateProfileAsync(Dictionary<string, object?> traits, string? anonymousId = null, SegmentContext? context = null)
    {
        var userId = TestMessages.Unique("user");
        var result = await demo.Tracking.SendAsync(
            demo.TrackingBase, "demo-write-key", [TestMessages.Identify(userId, traits, anonymousId, context: context)], Token);
        Assert.Empty(result.Failed);
        return userId;
    }

    [Fact]
    public async Task Reads_traits_page_by_page_following_the_cursor()
    {
        var userId = await CreateProfileAsync(TestMessages.Traits(25));
        var id = SegmentProfileId.UserId(userId);

        var first = await demo.Profiles.GetTraitsPageAsync(demo.Space, id, limit: 10, cancellationToken: Token);
        var second = await demo.Profiles.GetTraitsPageAsync(demo.Space, id, limit: 10, next: first!.Cursor.Next, cancellationToken: Token);
        var all = await demo.Profiles.GetAllTraitsAsync(demo.Space, id, Token);

        Assert.Equal(10, first.Traits.Count);
        Assert.True(first.Cursor.HasMore);
        Assert.Equal(10, first.Cursor.Limit);
        Assert.Contains("/traits?limit=10", first.Cursor.Url);
        Assert.Empty(first.Traits.Keys.Intersect(second!.Traits.Keys));
        Assert.Equal(25, all!.Count);
        Assert.Equal("value 24", all["trait_024"].GetString());
    }

    [Fact]
    public async Task Lists_external_ids_and_metadata()
    {
        var anonymousId = TestMessages.Unique("anon");
        var context = new SegmentContext([new SegmentExternalIdentifier("SF-003ABC", "salesforce_id")]);
        var userId = await CreateProfileAsync(new() { ["email"] = "Grace@Example.COM" }, anonymousId, context);

        var ids = await demo.Profiles.GetAllExternalIdsAsync(demo.Space, SegmentProfileId.UserId(userId), Token);
        var metadata = await demo.Profiles.GetMetadataAsync(demo.Space, SegmentProfileId.Email("grace@example.com"), Token);
        var bySalesforceId = await demo.Profiles.GetAllTraitsAsync(demo.Space, SegmentProfileId.User("salesforce_id", "SF-003ABC"), Token);

        Assert.Equal(
            [("anonymous_id", anonymousId), ("email", "grace@example.com"), ("salesforce_id", "sf-003abc"), ("user_id", userId)],
            ids!.Select(i => (i.Type, i.Id)).Order());
        Assert.NotNull(ids);
        Assert.All(ids, i => Assert.Equal("users", i.Collection));
        Assert.All(ids, i => Assert.NotNull(i.CreatedAt));
        Assert.NotNull(metadata);
        Assert.NotNull(metadata.CreatedAt);
        Assert.NotNull(metadata.LastMessageId);
        Assert.NotNull(bySalesforceId);
    }

    [Fact]
    public async Task Returns_null_for_a_profile_that_does_not_exist()
    {
        var id = SegmentProfileId.UserId(TestMessages.Unique("nobody"));

        Assert.Null(await demo.Profiles.GetTraitsPageAsync(demo.Space, id, cancellationToken: Token));
        Assert.Null(await demo.Profiles.GetAllExternalIdsAsync(demo.Space, id, Token));
        Assert.Null(await demo.Profiles.GetMetadataAsync(demo.Space, id, Token));
    }

    [Fact]
    public async Task Throws_a_clear_auth_error_for_a_wrong_token_without_revealing_it()
    {
        var space = demo.Space with { AccessToken = "not-the-token" };

        var error = await Assert.ThrowsAsync<SegmentProfileAuthException>(
            () => demo.Profiles.GetTraitsPageAsync(space, SegmentProfileId.UserId("u"), cancellationToken: Token));

        Assert.Contains("rejected the access token (401)", error.Message);
        Assert.DoesNotContain("not-the-token", error.Message);
        Assert.DoesNotContain("not-the-token", space.ToString());
    }

    [Fact]
    public async Task Waits_for_retry_after_when_the_profile_api_is_rate_limited()
    {
        var userId = await CreateProfileAsync(new() { ["name"] = "Linus" });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Request timeouts far beyond the wait: only Retry-After may use the time the test moves on.
        await using var clients = SegmentDemoFixture.CreateClients(new() { ["Segment:RequestTimeout"] = "00:30:00" }, clock);
        demo.Control.InjectFaults(new SegmentDemoFault("429", Count: 1, RetryAfterSeconds: 30, Target: "profiles"));
        var faults = demo.Control.FaultsServed("profiles");

        var read = clients.GetRequiredService<SegmentProfileClient>().GetAllTraitsAsync(demo.Space, SegmentProfileId.UserId(userId), Token);
        var waited = await clock.AdvanceUntilDoneAsync(read, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));

        Assert.Equal("Linus", (await read)!["name"].GetString());
        Assert.True(waited >= TimeSpan.FromSeconds(30), $"sent again after {waited} of the 30 s Segment asked for");
        Assert.Equal(1, demo.Control.FaultsServed("profiles") - faults);
    }

    [Fact]
    public async Task Test_connection_reports_a_profile_api_that_does_not_answer_in_time()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var clients = SegmentDemoFixture.CreateClients(clock: clock);
        var endpoints = SegmentEndpoints.For(SegmentRegion.Us, demo.TrackingBase, demo.ProfilesBase);
        demo.Control.InjectFaults(new SegmentDemoFault("delay", Count: 1, DelayMs: 600_000, Target: "profiles"));
        var faults = demo.Control.FaultsServed("profiles");

        var test = clients.GetRequiredService<SegmentProfileClient>().TestConnectionAsync(endpoints, "demo-write-key", "spa_demo", "demo-access-token", Token);
        await clock.AdvanceUntilDoneAsync(test, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

        var result = await test;
        Assert.False(result.Success);
        Assert.True(result.TrackingReachable);
        Assert.Contains("did not answer", result.Message);
        Assert.Equal(1, demo.Control.FaultsServed("profiles") - faults);
    }

    [Fact]
    public async Task Test_connection_reports_a_profile_api_url_that_answers_something_other_than_json()
    {
        var endpoints = SegmentEndpoints.For(SegmentRegion.Us, demo.TrackingBase, demo.ProfilesBase);
        demo.Control.InjectFaults(new SegmentDemoFault("html", Count: 1, Target: "profiles"));
        var faults = demo.Control.FaultsServed("profiles");

        var result = await demo.Profiles.TestConnectionAsync(endpoints, "demo-write-key", "spa_demo", "demo-access-token", Token);

        Assert.False(result.Success);
        Assert.Contains("not JSON", result.Message);
        Assert.Equal(1, demo.Control.FaultsServed("profiles") - faults);
    }

    [Fact]
    public async Task Gives_up_with_a_typed_error_when_rate_limiting_persists()
    {
        demo.Control.InjectFaults(new SegmentDemoFault("429", Count: 4, RetryAfterSeconds: 0, Target: "profiles"));

        await Assert.ThrowsAsync<SegmentProfileRateLimitedException>(
            () => demo.Profiles.GetTraitsPageAsync(demo.Space, SegmentProfileId.UserId("u"), cancellationToken: Token));
    }

    [Fact]
    public async Task Reads_account_traits_written_by_group_calls()
    {
        var groupId = TestMessages.Unique("acct");
        var group = new GroupMessage(TestMessages.Unique("msg"), groupId, TestMessages.Unique("user"), null, new Dictionary<string, object?> { ["name"] = "Acme", ["employees"] = 250 }, DateTimeOffset.UtcNow);
        await demo.Tracking.SendAsync(demo.TrackingBase, "demo-write-key", [group], Token);

        var traits = await demo.Profiles.GetAllTraitsAsync(demo.Space, SegmentProfileId.Account(groupId), Token);

        Assert.Equal("Acme", traits!["name"].GetString());
        Assert.Equal(250, traits["employees"].GetInt32());
    }

    [Fact]
    public async Task Test_connection_passes_with_good_credentials_and_changes_no_profile()
    {
        var endpoints = SegmentEndpoints.For(SegmentRegion.Us, demo.TrackingBase, demo.ProfilesBase);
        var before = demo.Control.Spaces().Single(s => s.Id == "spa_demo").Users;

        var result = await demo.Profiles.TestConnectionAsync(endpoints, "demo-write-key", "spa_demo", "demo-access-token", Token);

        Assert.True(result.Success, result.Message);
        Assert.True(result.ProfileTokenAccepted);
        Assert.Equal(before, demo.Control.Spaces().Single(s => s.Id == "spa_demo").Users);
    }

    [Fact]
    public async Task Test_connection_names_the_credential_that_was_rejected()
    {
        var endpoints = SegmentEndpoints.For(SegmentRegion.Eu, demo.TrackingBase, demo.ProfilesBase);

        var badKey = await demo.Profiles.TestConnectionAsync(endpoints, "bad-key", "spa_demo", "demo-access-token", Token);
        var badToken = await demo.Profiles.TestConnectionAsync(endpoints, "demo-write-key", "spa_demo", "bad-token", Token);
        var unreachable = await demo.Profiles.TestConnectionAsync(
            SegmentEndpoints.For(SegmentRegion.Us, new Uri("http://127.0.0.1:9"), null), "demo-write-key", null, null, Token);

        Assert.False(badKey.Success);
        Assert.Contains("write key", badKey.Message);
        Assert.False(badToken.Success);
        Assert.False(badToken.ProfileTokenAccepted);
        Assert.False(unreachable.TrackingReachable);
    }

    [Fact]
    public void Chooses_endpoints_by_region_unless_overridden()
    {
        Assert.Equal(new Uri("https://api.segment.io"), SegmentEndpoints.For(SegmentRegion.Us).Tracking);
        Assert.Equal(new Uri("https://profiles.segment.com"), SegmentEndpoints.For(SegmentRegion.Us).Profiles);
        Assert.Equal(new Uri("https://events.eu1.segmentapis.com"), SegmentEndpoints.For(SegmentRegion.Eu).Tracking);
        Assert.Equal(new Uri("https://profiles.euw1.segment.com"), SegmentEndpoints.For(SegmentRegion.Eu).Profiles);
        var demo = SegmentEndpoints.For(SegmentRegion.Eu, new Uri("http://app/demo/segment"), new Uri("http://app/demo/segment-profiles"));
        Assert.Equal("http://app/demo/segment/v1/batch", SegmentEndpoints.Combine(demo.Tracking, "v1/batch").ToString());
    }

    [Fact]
    public void Reads_retry_after_as_seconds_or_as_an_http_date()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(7), RetryAfter.Read(new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), now));
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.Read(new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(30)), now));
        Assert.Equal(TimeSpan.Zero, RetryAfter.Read(new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(-5)), now));
        Assert.Null(RetryAfter.Read(null, now));
    }
}
