using System.Buffers;

namespace UnifyAdmin.Core.Segment;

/// <summary>A message inside a packed batch, for reporting the batch's outcome per record.</summary>
public readonly record struct SegmentBatchEntry(string MessageId, string? RecordKey)
{
    /// <summary>Where the message's JSON starts in the batch buffer.</summary>
    internal int Start { get; init; }

    /// <summary>How many bytes of JSON the message has.</summary>
    internal int Length { get; init; }
}

/// <summary>
/// One request body for <c>/v1/batch</c>: serialized messages in a pooled buffer, framed as
/// <c>{"batch":[…],"sentAt":"…"}</c> when sent. Dispose it after sending to return the buffer.
/// </summary>
public sealed class SegmentBatch : IDisposable
{
    internal static ReadOnlySpan<byte> Prefix => "{\"batch\":["u8;
    internal static ReadOnlySpan<byte> SuffixStart => "],\"sentAt\":\""u8;
    internal static ReadOnlySpan<byte> SuffixEnd => "\"}"u8;

    /// <summary>Bytes of the envelope around the messages: prefix, suffix and a 24-character sentAt.</summary>
    internal static int EnvelopeBytes => Prefix.Length + SuffixStart.Length + 24 + SuffixEnd.Length;

    private byte[]? buffer;
    private readonly int messagesEnd;

    internal SegmentBatch(byte[] buffer, int messagesEnd, List<SegmentBatchEntry> entries)
    {
        this.buffer = buffer;
        this.messagesEnd = messagesEnd;
        Entries = entries;
    }

    public IReadOnlyList<SegmentBatchEntry> Entries { get; }

    public int Count => Entries.Count;

    /// <summary>Size of the request body in bytes, envelope included.</summary>
    public int ByteCount => messagesEnd + EnvelopeBytes - Prefix.Length;

    /// <summary>
    /// Two batches of the first and second half of the messages, for a request Segment refused as too large
    /// (413). Each half has a buffer of its own; this batch stays valid until disposed.
    /// </summary>
    public (SegmentBatch First, SegmentBatch Second) Split()
    {
        if (Count < 2)
        {
            throw new InvalidOperationException("A batch of one message cannot be split.");
        }

        var half = Count / 2;
        return (Slice(0, half), Slice(half, Count - half));
    }

    private SegmentBatch Slice(int from, int count)
    {
        var source = buffer ?? throw new ObjectDisposedException(nameof(SegmentBatch));
        var target = ArrayPool<byte>.Shared.Rent(source.Length);
        Prefix.CopyTo(target);
        var position = Prefix.Length;
        var entries = new List<SegmentBatchEntry>(count);
        for (var i = from; i < from + count; i++)
        {
            var entry = Entries[i];
            if (i > from)
            {
                target[position++] = (byte)',';
            }

            source.AsSpan(entry.Start, entry.Length).CopyTo(target.AsSpan(position));
            entries.Add(entry with { Start = position });
            position += entry.Length;
        }

        return new SegmentBatch(target, position, entries);
    }

    /// <summary>Completes the envelope with the given sentAt and returns the request body.</summary>
    internal ArraySegment<byte> Frame(DateTimeOffset sentAt)
    {
        var bytes = buffer ?? throw new ObjectDisposedException(nameof(SegmentBatch));
        var position = messagesEnd;
        SuffixStart.CopyTo(bytes.AsSpan(position));
        position += SuffixStart.Length;
        SegmentMessageWriter.FormatTimestamp(sentAt, bytes.AsSpan(position), out var written);
        position += written;
        SuffixEnd.CopyTo(bytes.AsSpan(position));
        position += SuffixEnd.Length;
        return new ArraySegment<byte>(bytes, 0, position);
    }

    public void Dispose()
    {
        var bytes = Interlocked.Exchange(ref buffer, null);
        if (bytes is not null)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
