using Microsoft.Extensions.Time.Testing;
using UnifyAdmin.Tests.Infrastructure;
using UnifyAdmin.Demo.Segment;
using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Tests.Core.Segment;

public sealed class SegmentTrackingClientTests(SegmentDemoFixture demo) : IClassFixture<SegmentDemoFixture>
{
    private const string WriteKey = "demo-write-key";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private Task<SegmentSendResult> SendAsync(params SegmentMessage[] messages)
        => demo.Tracking.SendAsync(demo.TrackingBase, WriteKey, messages, Token);

    private bool Received(string messageId) => demo.Control.Messages("spa_demo", 10_000).Any(m => m.MessageId == messageId);

    [Fact]
    public async Task Delivers_identify_messages_that_then_appear_as_profiles()
    {
        var userId = TestMessages.Unique("user");
        var message = TestMessages.Identify(userId, new() { ["name"] = "Grace", ["plan"] = "pro" });

        var result = await SendAsync(message);

        Assert.Equal([message.MessageId], result.Accepted);
        Assert.Empty(result.Failed);
        var traits = await demo.Profiles.GetAllTraitsAsync(demo.Space, SegmentProfileId.UserId(userId), Token);
        Assert.Equal("Grace", traits!["name"].GetString());
        Assert.Equal("pro", traits["plan"].GetString());
    }

    [Fact]
    public async Task Reports_refused_messages_with_their_record_keys_and_sends_the_others()
    {
        var good = TestMessages.Identify(TestMessages.Unique("user"), recordKey: "003-good");
        var noId = TestMessages.Identify(null, recordKey: "003-no-id");
        var tooMany = TestMessages.Identify("u", TestMessages.Traits(300), recordKey: "003-wide");

        var result = await SendAsync(good, noId, tooMany);

        Assert.Equal([good.MessageId], result.Accepted);
        Assert.Equal(["003-no-id", "003-wide"], result.Failed.Select(f => f.RecordKey).Order());
        Assert.False(Received(noId.MessageId));
        Assert.False(Received(tooMany.MessageId));
    }

    [Fact]
    public async Task Waits_for_retry_after_when_rate_limited_then_delivers()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Request timeouts far beyond the wait: only Retry-After may use the time the test moves on.
        await using var clients = SegmentDemoFixture.CreateClients(new() { ["Segment:RequestTimeout"] = "00:30:00" }, clock);
        demo.Control.InjectFaults(new SegmentDemoFault("429", Count: 1, RetryAfterSeconds: 60));
        var message = TestMessages.Identify(TestMessages.Unique("user"));
        var (requests, faults) = (demo.Control.Requests(), demo.Control.FaultsServed());

        var send = clients.GetRequiredService<SegmentTrackingClient>().SendAsync(demo.TrackingBase, WriteKey, [message], Token);
        var waited = await clock.AdvanceUntilDoneAsync(send, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));

        Assert.Equal([message.MessageId], (await send).Accepted);
        Assert.True(waited >= TimeSpan.FromSeconds(60), $"sent again after {waited} of the 60 s Segment asked for");
        Assert.Equal((2, 1), (demo.Control.Requests() - requests, demo.Control.FaultsServed() - faults));
        Assert.True(Received(message.MessageId));
    }

    [Theory]
    [InlineData("500")]
    [InlineData("408")]
    public async Task Retries_server_errors_and_request_timeouts_and_then_succeeds(string kind)
    {
        demo.Control.InjectFaults(new SegmentDemoFault(kind, Count: SegmentDemoFixture.MaxAttempts - 1));
        var message = TestMessages.Identify(TestMessages.Unique("user"));
        var (requests, faults) = (demo.Control.Requests(), demo.Control.FaultsServed());

        var result = await SendAsync(message);

        Assert.Equal([message.MessageId], result.Accepted);
        Assert.Empty(result.Failed);
        Assert.Equal(SegmentDemoFixture.MaxAttempts, demo.Control.Requests() - requests);
        Assert.Equal(SegmentDemoFixture.MaxAttempts - 1, demo.Control.FaultsServed() - faults);
    }

    [Fact]
    public async Task A_batch_refused_as_too_large_is_sent_again_in_two_halves()
    {
        demo.Control.InjectFaults(new SegmentDemoFault("413", Count: 1));
        var messages = Enumerable.Range(0, 10).Select(i => TestMessages.Identify(TestMessages.Unique("user"), recordKey: $"r{i}")).ToArray();
        var (requests, faults) = (demo.Control.Requests(), demo.Control.FaultsServed());

        var result = await SendAsync(messages);

        Assert.Equal(messages.Select(m => m.MessageId).Order(), result.Accepted.Order());
        Assert.Empty(result.Failed);
        Assert.Equal((3, 1), (demo.Control.Requests() - requests, demo.Control.FaultsServed() - faults));
        Assert.All(messages, m => Assert.True(Received(m.MessageId)));
    }

    [Fact]
    public async Task A_single_message_refused_as_too_large_fails_with_what_to_do()
    {
        demo.Control.InjectFaults(new SegmentDemoFault("413", Count: 1));
        var message = TestMessages.Identify(TestMessages.Unique("user"), recordKey: "003-big");
        var faults = demo.Control.FaultsServed();

        var result = await SendAsync(message);

        var failure = Assert.Single(result.Failed);
        Assert.Equal("003-big", failure.RecordKey);
        Assert.Contains("too large (413)", failure.Reason);
        Assert.Equal(1, demo.Control.FaultsServed() - faults);
    }

    [Fact]
    public async Task Reports_every_message_failed_with_the_reason_during_an_outage()
    {
        demo.Control.InjectFaults(new SegmentDemoFault("500", Count: SegmentDemoFixture.MaxAttempts));
        var messages = Enumerable.Range(0, 5).Select(i => TestMessages.Identify(TestMessages.Unique("user"), recordKey: $"r{i}")).ToArray();
        var faults = demo.Control.FaultsServed();

        var result = await SendAsync(messages);

        Assert.Equal(SegmentDemoFixture.MaxAttempts, demo.Control.FaultsServed() - faults);
        Assert.Empty(result.Accepted);
        Assert.Equal(5, result.Failed.Count);
        Assert.All(result.Failed, f => Assert.Contains($"Gave up after {SegmentDemoFixture.MaxAttempts} attempts", f.Reason));
        Assert.All(result.Failed, f => Assert.Contains("500", f.Reason));
    }

    [Fact]
    public async Task Never_retries_a_bad_request_and_reports_segments_reason()
    {
        demo.Control.InjectFaults(new SegmentDemoFault("400", Count: 1));
        var message = TestMessages.Identify(TestMessages.Unique("user"), recordKey: "003-bad");
        var requests = demo.Control.Requests();

        var result = await SendAsync(message);

        Assert.Equal(1, demo.Control.Requests() - requests);
        var failure = Assert.Single(result.Failed);
        Assert.Equal("003-bad", failure.RecordKey);
        Assert.Contains("Injected bad request.", failure.Reason);

        // A retry would have reached the healthy demo and been recorded.
        Assert.False(Received(message.MessageId));
    }

    [Fact]
    public async Task Reports_a_rejected_write_key_clearly_without_revealing_it()
    {
        var message = TestMessages.Identify(TestMessages.Unique("user"));

        var result = await demo.Tracking.SendAsync(demo.TrackingBase, "wrong-secret-key", [message], Token);

        var failure = Assert.Single(result.Failed);
        Assert.Contains("rejected the write key (401)", failure.Reason);
        Assert.DoesNotContain("wrong-secret-key", failure.Reason);
    }

    [Fact]
    public async Task Reports_network_errors_after_the_allowed_attempts()
    {
        var closed = new Uri("http://127.0.0.1:9/segment");
        var message = TestMessages.Identify(TestMessages.Unique("user"));

        var result = await demo.Tracking.SendAsync(closed, WriteKey, [message], Token);

        var failure = Assert.Single(result.Failed);
        Assert.Contains("network error", failure.Reason);
    }

    [Fact]
    public async Task Deduplicates_a_resent_message_by_its_message_id()
    {
        var userId = TestMessages.Unique("user");
        var messageId = TestMessages.Unique("msg");
        var first = TestMessages.Identify(userId, new() { ["stage"] = "first" }, messageId: messageId);
        var repeat = TestMessages.Identify(userId, new() { ["stage"] = "repeat" }, messageId: messageId, at: DateTimeOffset.UtcNow.AddMinutes(1));

        await SendAsync(first);
        var second = await SendAsync(repeat);

        Assert.Equal([messageId], second.Accepted);
        var traits = await demo.Profiles.GetAllTraitsAsync(demo.Space, SegmentProfileId.UserId(userId), Token);
        Assert.Equal("first", traits!["stage"].GetString());
        Assert.Contains(demo.Control.Messages("spa_demo", 10_000), m => m.MessageId == messageId && m.DroppedReason == "Duplicate messageId.");
    }

    [Fact]
    public async Task Sends_large_volumes_in_several_full_batches()
    {
        var messages = Enumerable.Range(0, 6_000).Select(i => TestMessages.Identify(TestMessages.Unique("bulk"), TestMessages.Traits(10))).ToArray();

        var result = await SendAsync(messages);

        Assert.Equal(6_000, result.Accepted.Count);
        Assert.Empty(result.Failed);
    }

    [Fact]
    public async Task Counts_attempts_retries_429s_and_bytes_on_its_meter()
    {
        await using var clients = SegmentDemoFixture.CreateClients(new() { ["Segment:RequestTimeout"] = "00:00:30" });
        using var counters = new UnifyAdmin.Tests.Core.Salesforce.MeterCounters(
            clients.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), SegmentMetrics.MeterName);
        demo.Control.InjectFaults(new SegmentDemoFault("429", Count: 1, RetryAfterSeconds: 0));
        demo.Control.InjectFaults(new SegmentDemoFault("500", Count: 1));
        var message = TestMessages.Identify(TestMessages.Unique("user"));

        var result = await clients.GetRequiredService<SegmentTrackingClient>().SendAsync(demo.TrackingBase, WriteKey, [message], Token);

        Assert.Equal([message.MessageId], result.Accepted);
        Assert.Equal(2, counters.Sum("unifyadmin.segment.retries"));
        Assert.Equal(1, counters.Sum("unifyadmin.segment.rate_limited"));
        Assert.Equal(1, counters.Sum("unifyadmin.segment.calls", ("http.response.status_code", 500)));
        Assert.Equal(1, counters.Sum("unifyadmin.segment.calls", ("http.response.status_code", 200)));
        var oneBody = counters.Sum("unifyadmin.segment.bytes_sent") / 3;
        Assert.InRange(oneBody, 100, 32 * 1024);
    }
}
