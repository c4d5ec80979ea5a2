using System.Buffers;

namespace UnifyAdmin.Core.Segment;

/// <summary>A message inside a packed batch, for reporting the batch's outcome per record.</summary>
public readonly record struct SegmentBatchEntry(string MessageId, string? RecordKey);

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
