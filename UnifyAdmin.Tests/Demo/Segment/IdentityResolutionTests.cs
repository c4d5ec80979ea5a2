using UnifyAdmin.Core.Segment;
using UnifyAdmin.Tests.Core.Segment;

namespace UnifyAdmin.Tests.Core.Demo.Segment;

public sealed class IdentityResolutionTests(SegmentDemoFixture demo) : IClassFixture<SegmentDemoFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task SendAsync(params SegmentMessage[] messages)
    {
        // One call per message keeps arrival order explicit.
        foreach (var message in messages)
        {
            var result = await demo.Tracking.SendAsync(demo.TrackingBase, "demo-write-key", [message], Token);
            Assert.Empty(result.Failed);
        }
    }

    private static IdentifyMessage Identify(string? userId = null, string? anonymousId = null, Dictionary<string, object?>? traits = null, DateTimeOffset? at = null)
        => TestMessages.Identify(userId, traits ?? [], anonymousId, at);

    private async Task<HashSet<(string Type, string Id)>?> IdsAsync(SegmentProfileId id)
        => (await demo.Profiles.GetAllExternalIdsAsync(demo.Space, id, Token))?.Select(i => (i.Type, i.Id)).ToHashSet();

    private async Task<IReadOnlyDictionary<string, System.Text.Json.JsonElement>?> TraitsAsync(SegmentProfileId id)
        => await demo.Profiles.GetAllTraitsAsync(demo.Space, id, Token);

    [Fact]
    public async Task Merges_two_profiles_that_a_message_links_by_a_shared_identifier()
    {
        var anon = TestMessages.Unique("anon");
        var user = TestMessages.Unique("user");
        await SendAsync(
            Identify(anonymousId: anon, traits: new() { ["visited"] = "pricing" }),
            Identify(userId: user, traits: new() { ["plan"] = "pro" }),
            Identify(userId: user, anonymousId: anon));

        var byAnon = await IdsAsync(SegmentProfileId.AnonymousId(anon));
        var traits = await TraitsAsync(SegmentProfileId.UserId(user));

        Assert.Equal([("anonymous_id", anon), ("user_id", user)], byAnon!.Order());
        Assert.Equal("pricing", traits!["visited"].GetString());
        Assert.Equal("pro", traits["plan"].GetString());
    }

    [Fact]
    public async Task Merges_by_email_lower_cased_from_traits()
    {
        var email = TestMessages.Unique("mixed") + "@Example.COM";
        var anon = TestMessages.Unique("anon");
        var user = TestMessages.Unique("user");
        await SendAsync(
            Identify(anonymousId: anon, traits: new() { ["email"] = email }),
            Identify(userId: user, traits: new() { ["email"] = email.ToUpperInvariant() }));

        var ids = await IdsAsync(SegmentProfileId.Email(email.ToLowerInvariant()));

        Assert.Equal([("anonymous_id", anon), ("email", email.ToLowerInvariant()), ("user_id", user)], ids!.Order());
    }

    [Fact]
    public async Task Does_not_merge_when_the_result_would_hold_two_user_ids()
    {
        var anon = TestMessages.Unique("anon");
        var first = TestMessages.Unique("user");
        var second = TestMessages.Unique("user");
        await SendAsync(
            Identify(userId: first, anonymousId: anon, traits: new() { ["name"] = "First" }),
            Identify(userId: second, anonymousId: anon, traits: new() { ["name"] = "Second" }));

        var firstIds = await IdsAsync(SegmentProfileId.UserId(first));
        var secondIds = await IdsAsync(SegmentProfileId.UserId(second));

        // The anonymous id, lower in priority than user_id, is dropped from the second message.
        Assert.Equal([("anonymous_id", anon), ("user_id", first)], firstIds!.Order());
        Assert.Equal([("user_id", second)], secondIds!.Order());
        Assert.Equal("First", (await TraitsAsync(SegmentProfileId.AnonymousId(anon)))!["name"].GetString());
        Assert.Equal("Second", (await TraitsAsync(SegmentProfileId.UserId(second)))!["name"].GetString());
    }

    [Fact]
    public async Task Drops_the_lowest_priority_identifier_first_when_a_merge_is_blocked()
    {
        var email = TestMessages.Unique("e") + "@example.com";
        var anon = TestMessages.Unique("anon");
        var owner = TestMessages.Unique("user");
        var other = TestMessages.Unique("user");
        await SendAsync(
            Identify(userId: owner, traits: new() { ["email"] = email }),
            Identify(userId: other, anonymousId: anon),

            // email points at owner, anon at other: joining both would give two user_ids, so the
            // anonymous id (priority below email) is dropped and the message lands on owner.
            Identify(anonymousId: anon, traits: new() { ["email"] = email, ["source"] = "webinar" }));

        Assert.Equal("webinar", (await TraitsAsync(SegmentProfileId.UserId(owner)))!["source"].GetString());
        Assert.False((await TraitsAsync(SegmentProfileId.UserId(other)))!.ContainsKey("source"));
        Assert.Contains(("anonymous_id", anon), (await IdsAsync(SegmentProfileId.UserId(other)))!);
        Assert.DoesNotContain(("anonymous_id", anon), (await IdsAsync(SegmentProfileId.UserId(owner)))!);
    }

    [Fact]
    public async Task Keeps_at_most_five_anonymous_ids_on_a_profile()
    {
        var user = TestMessages.Unique("user");
        var anons = Enumerable.Range(0, 6).Select(_ => TestMessages.Unique("anon")).ToArray();
        await SendAsync(anons.Select(a => (SegmentMessage)Identify(userId: user, anonymousId: a, traits: new() { ["last"] = a })).ToArray());

        var ids = await IdsAsync(SegmentProfileId.UserId(user));

        Assert.Equal(5, ids!.Count(i => i.Type == "anonymous_id"));
        Assert.Null(await IdsAsync(SegmentProfileId.AnonymousId(anons[5])));

        // The message still updated the profile; only the identifier was dropped.
        Assert.Equal(anons[5], (await TraitsAsync(SegmentProfileId.UserId(user)))!["last"].GetString());
    }

    [Fact]
    public async Task Later_trait_values_win_by_message_timestamp_then_by_arrival()
    {
        var user = TestMessages.Unique("user");
        var now = DateTimeOffset.UtcNow;
        await SendAsync(
            Identify(userId: user, traits: new() { ["plan"] = "gold", ["tier"] = "a" }, at: now),
            Identify(userId: user, traits: new() { ["plan"] = "silver", ["region"] = "emea" }, at: now.AddMinutes(-5)),
            Identify(userId: user, traits: new() { ["tier"] = "b" }, at: now));

        var traits = await TraitsAsync(SegmentProfileId.UserId(user));

        Assert.Equal("gold", traits!["plan"].GetString());
        Assert.Equal("emea", traits["region"].GetString());
        Assert.Equal("b", traits["tier"].GetString());
    }

    [Fact]
    public async Task Group_calls_build_account_profiles_keyed_by_group_id()
    {
        var groupId = TestMessages.Unique("acct");
        var user = TestMessages.Unique("user");
        var now = DateTimeOffset.UtcNow;
        await SendAsync(
            new GroupMessage(TestMessages.Unique("g"), groupId, user, null, new Dictionary<string, object?> { ["name"] = "Acme", ["industry"] = "Retail" }, now),
            new GroupMessage(TestMessages.Unique("g"), groupId, null, TestMessages.Unique("anon"), new Dictionary<string, object?> { ["industry"] = "Energy" }, now.AddSeconds(1)));

        var account = await TraitsAsync(SegmentProfileId.Account(groupId));
        var accountIds = await demo.Profiles.GetAllExternalIdsAsync(demo.Space, SegmentProfileId.Account(groupId), Token);

        Assert.Equal("Acme", account!["name"].GetString());
        Assert.Equal("Energy", account["industry"].GetString());
        Assert.Equal(("group_id", groupId, "accounts"), accountIds!.Select(i => (i.Type, i.Id, i.Collection)).Single());

        // Group traits describe the account, not the user.
        Assert.Empty((await TraitsAsync(SegmentProfileId.UserId(user)))!);
    }
}
