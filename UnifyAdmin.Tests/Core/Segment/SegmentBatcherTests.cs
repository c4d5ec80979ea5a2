using System.Text;
using System.Text.Json;
using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Tests.Core.Segment;

public sealed class SegmentBatcherTests
{
    private static readonly SegmentLibrary Library = new("unifyadmin-tests", "1.0.0");

    private static JsonDocument Body(SegmentBatch batch)
    {
        var body = batch.Frame(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        return JsonDocument.Parse(body.AsMemory());
    }

    [Fact]
    public void Puts_at_most_2500_messages_in_a_batch()
    {
        // Small messages, so the count limit binds before the byte budget.
        var messages = Enumerable.Range(0, 6_000).Select(i => new IdentifyMessage($"m{i}", $"u{i}", null, null, DateTimeOffset.UtcNow));

        var (batches, refused) = SegmentBatcher.Pack(messages, new SegmentLibrary("t", "1"));

        Assert.Empty(refused);
        Assert.Equal([2_500, 2_500, 1_000], batches.Select(b => b.Count));
        foreach (var batch in batches)
        {
            batch.Dispose();
        }
    }

    [Fact]
    public void Keeps_every_body_within_the_byte_budget_and_fills_it()
    {
        const int budget = 100_000;
        var messages = Enumerable.Range(0, 3_000).Select(i => TestMessages.Identify($"user-{i}", TestMessages.Traits(10)));

        var (batches, _) = SegmentBatcher.Pack(messages, Library, budget);

        Assert.True(batches.Count > 5);
        foreach (var batch in batches)
        {
            var body = batch.Frame(DateTimeOffset.UtcNow);
            Assert.Equal(batch.ByteCount, body.Count);
            Assert.True(body.Count <= budget, $"{body.Count} bytes is over the budget");
        }

        // Every batch but the last is nearly full: the next message just did not fit.
        Assert.All(batches.SkipLast(1), b => Assert.True(b.ByteCount > budget * 0.98, $"{b.ByteCount} bytes is not full"));
        Assert.Equal(3_000, batches.Sum(b => b.Count));
        batches.ToList().ForEach(b => b.Dispose());
    }

    [Fact]
    public void Writes_the_envelope_and_message_fields_as_segment_expects()
    {
        var context = new SegmentContext([new SegmentExternalIdentifier("sf-003", "salesforce_id")]);
        var at = new DateTimeOffset(2024, 3, 5, 17, 3, 29, TimeSpan.FromHours(2));
        var (batches, _) = SegmentBatcher.Pack(
            [
                TestMessages.Identify("u1", new() { ["email"] = "Ada@Example.com", ["score"] = 1.5, ["tags"] = new[] { "a", "b" } }, "anon-1", at, "m-1", context: context),
                new GroupMessage("m-2", "acct-1", "u1", null, new Dictionary<string, object?> { ["name"] = "Acme" }, at),
            ],
            Library);

        using var batch = Assert.Single(batches);
        using var document = Body(batch);
        var root = document.RootElement;
        Assert.Equal("2026-01-02T03:04:05.000Z", root.GetProperty("sentAt").GetString());
        var identify = root.GetProperty("batch")[0];
        Assert.Equal("identify", identify.GetProperty("type").GetString());
        Assert.Equal("m-1", identify.GetProperty("messageId").GetString());
        Assert.Equal("u1", identify.GetProperty("userId").GetString());
        Assert.Equal("anon-1", identify.GetProperty("anonymousId").GetString());
        Assert.Equal("2024-03-05T15:03:29.000Z", identify.GetProperty("timestamp").GetString());
        Assert.Equal(1.5, identify.GetProperty("traits").GetProperty("score").GetDouble());
        Assert.Equal("unifyadmin-tests", identify.GetProperty("context").GetProperty("library").GetProperty("name").GetString());
        Assert.Equal("salesforce_id", identify.GetProperty("context").GetProperty("externalIds")[0].GetProperty("type").GetString());
        Assert.False(identify.GetProperty("integrations").GetProperty("All").GetBoolean());
        var group = root.GetProperty("batch")[1];
        Assert.Equal("group", group.GetProperty("type").GetString());
        Assert.Equal("acct-1", group.GetProperty("groupId").GetString());
        Assert.False(group.GetProperty("integrations").GetProperty("All").GetBoolean());
    }

    [Fact]
    public void Refuses_each_message_that_segment_would_reject_and_packs_the_rest()
    {
        var big = new Dictionary<string, object?> { ["blob"] = new string('x', 33 * 1024) };
        var messages = new SegmentMessage[]
        {
            TestMessages.Identify("ok-1", recordKey: "r-ok"),
            TestMessages.Identify("big", big, recordKey: "r-big"),
            TestMessages.Identify("many", TestMessages.Traits(300), recordKey: "r-many"),
            TestMessages.Identify("nan", new() { ["score"] = double.NaN }, recordKey: "r-nan"),
            TestMessages.Identify("inf", new() { ["nested"] = new Dictionary<string, object?> { ["x"] = float.PositiveInfinity } }, recordKey: "r-inf"),
            TestMessages.Identify(null, recordKey: "r-noid"),
            new GroupMessage(TestMessages.Unique("g"), "", "u1", null, null, DateTimeOffset.UtcNow, RecordKey: "r-nogroup"),
            TestMessages.Identify("u", messageId: "", recordKey: "r-emptyid"),
            TestMessages.Identify("u", messageId: new string('m', 101), recordKey: "r-longid"),
            TestMessages.Identify("ok-2", TestMessages.Traits(299), recordKey: "r-ok2"),
        };

        var (batches, refused) = SegmentBatcher.Pack(messages, Library);

        using var batch = Assert.Single(batches);
        Assert.Equal(["r-ok", "r-ok2"], batch.Entries.Select(e => e.RecordKey));
        var reasons = refused.ToDictionary(f => f.RecordKey!, f => f.Reason);
        Assert.Equal(8, reasons.Count);
        Assert.Contains("32 KB", reasons["r-big"]);
        Assert.Contains("300", reasons["r-many"]);
        Assert.Contains("NaN", reasons["r-nan"]);
        Assert.Contains("Infinity", reasons["r-inf"]);
        Assert.Contains("userId or anonymousId", reasons["r-noid"]);
        Assert.Contains("groupId", reasons["r-nogroup"]);
        Assert.Contains("required", reasons["r-emptyid"]);
        Assert.Contains("100", reasons["r-longid"]);
    }

    [Fact]
    public void Refuses_a_message_just_over_32_kb_and_accepts_one_just_under()
    {
        string Sized(int targetBytes)
        {
            // Find the padding that makes the serialized message the target size.
            var probe = TestMessages.Identify("u", new() { ["p"] = "" }, messageId: "fixed-id", at: DateTimeOffset.UnixEpoch);
            var (batches, _) = SegmentBatcher.Pack([probe], Library);
            var overhead = batches[0].ByteCount - SegmentBatch.EnvelopeBytes;
            batches[0].Dispose();
            return new string('p', targetBytes - overhead);
        }

        var under = TestMessages.Identify("u", new() { ["p"] = Sized(SegmentBatcher.MaxMessageBytes) }, messageId: "fixed-id", at: DateTimeOffset.UnixEpoch);
        var over = TestMessages.Identify("u", new() { ["p"] = Sized(SegmentBatcher.MaxMessageBytes + 1) }, messageId: "fixed-id", at: DateTimeOffset.UnixEpoch);

        var (accepted, noneRefused) = SegmentBatcher.Pack([under], Library);
        var (none, refused) = SegmentBatcher.Pack([over], Library);

        Assert.Empty(noneRefused);
        Assert.Equal(SegmentBatcher.MaxMessageBytes, accepted[0].ByteCount - SegmentBatch.EnvelopeBytes);
        accepted[0].Dispose();
        Assert.Empty(none);
        Assert.Single(refused);
    }

    [Fact]
    public void Escapes_text_so_the_body_stays_valid_json()
    {
        var traits = new Dictionary<string, object?> { ["quote"] = "say \"hi\"\n", ["unicode"] = "Zoë 😀", ["when"] = new DateOnly(2024, 3, 5) };
        var (batches, _) = SegmentBatcher.Pack([TestMessages.Identify("u", traits)], Library);

        using var batch = batches[0];
        using var document = Body(batch);
        var parsed = document.RootElement.GetProperty("batch")[0].GetProperty("traits");
        Assert.Equal("say \"hi\"\n", parsed.GetProperty("quote").GetString());
        Assert.Equal("Zoë 😀", parsed.GetProperty("unicode").GetString());
        Assert.Equal("2024-03-05", parsed.GetProperty("when").GetString());
        Assert.Equal(batch.ByteCount, Encoding.UTF8.GetByteCount(document.RootElement.GetRawText()));
    }

    [Fact]
    public void Splitting_a_batch_keeps_every_message_once_in_order()
    {
        var messages = Enumerable.Range(0, 5).Select(i => TestMessages.Identify($"u{i}", recordKey: $"r{i}")).ToArray();
        var (batches, _) = SegmentBatcher.Pack(messages, Library);
        using var whole = Assert.Single(batches);

        var (first, second) = whole.Split();
        using (first)
        using (second)
        {
            using var a = Body(first);
            using var b = Body(second);
            var users = a.RootElement.GetProperty("batch").EnumerateArray().Concat(b.RootElement.GetProperty("batch").EnumerateArray())
                .Select(m => m.GetProperty("userId").GetString());
            Assert.Equal(["u0", "u1", "u2", "u3", "u4"], users);
            Assert.Equal(["r0", "r1"], first.Entries.Select(e => e.RecordKey));
            Assert.Equal(["r2", "r3", "r4"], second.Entries.Select(e => e.RecordKey));
        }
    }
}
