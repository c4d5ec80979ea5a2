using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace UnifyAdmin.Core.Segment;

/// <summary>
/// Packs messages into <c>/v1/batch</c> bodies within Segment's limits: at most
/// <see cref="SegmentBatcher.MaxMessagesLimit"/> messages, a body under the byte budget, every message
/// at most 32 KB. Each message is serialized exactly once; its bytes are copied into the batch.
/// Messages that break a rule are refused here, with a reason, and never sent.
/// </summary>
public sealed class SegmentBatcher : IDisposable
{
    public const int MaxMessagesLimit = 2_500;
    public const int MaxMessageBytes = 32 * 1024;
    public const int MaxRequestBytes = 500 * 1024;

    /// <summary>The default body budget, the headroom Segment's Python library keeps under 500 KB.</summary>
    public const int DefaultMaxBatchBytes = 475_000;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The body is JSON for an API, never embedded in HTML: escaping less keeps messages small.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly int maxBatchBytes;
    private readonly int maxMessages;
    private readonly SegmentLibrary library;
    private readonly ArrayBufferWriter<byte> scratch = new(4096);
    private readonly Utf8JsonWriter writer;
    private readonly List<SegmentFailure> refused = [];

    private byte[]? current;
    private int position;
    private List<SegmentBatchEntry> entries = [];

    public SegmentBatcher(SegmentLibrary library, int maxBatchBytes = DefaultMaxBatchBytes, int maxMessages = MaxMessagesLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchBytes, MaxMessageBytes + SegmentBatch.EnvelopeBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(maxBatchBytes, MaxRequestBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesLimit);
        this.library = library;
        this.maxBatchBytes = maxBatchBytes;
        this.maxMessages = maxMessages;
        writer = new Utf8JsonWriter(scratch, WriterOptions);
    }

    /// <summary>Messages refused since the last <see cref="TakeRefused"/>.</summary>
    public int RefusedCount => refused.Count;

    /// <summary>Messages waiting in the batch that is not complete yet.</summary>
    public int PendingCount => entries.Count;

    /// <summary>
    /// Adds a message. Returns the batch that had to be completed to make room for it, or null.
    /// A refused message goes to <see cref="TakeRefused"/> instead.
    /// </summary>
    public SegmentBatch? Add(SegmentMessage message)
    {
        var error = SegmentMessageWriter.Check(message);
        if (error is null)
        {
            error = Serialize(message);
        }

        if (error is not null)
        {
            refused.Add(new SegmentFailure(message.MessageId ?? string.Empty, message.RecordKey, error));
            return null;
        }

        var length = scratch.WrittenCount;
        SegmentBatch? completed = null;
        var separator = entries.Count > 0 ? 1 : 0;
        if (entries.Count == maxMessages || position + separator + length + SegmentBatch.EnvelopeBytes - SegmentBatch.Prefix.Length > maxBatchBytes)
        {
            completed = Flush();
            separator = 0;
        }

        if (current is null)
        {
            current = ArrayPool<byte>.Shared.Rent(maxBatchBytes);
            SegmentBatch.Prefix.CopyTo(current);
            position = SegmentBatch.Prefix.Length;
        }

        if (separator == 1)
        {
            current[position++] = (byte)',';
        }

        scratch.WrittenSpan.CopyTo(current.AsSpan(position));
        entries.Add(new SegmentBatchEntry(message.MessageId, message.RecordKey) { Start = position, Length = length });
        position += length;
        return completed;
    }

    /// <summary>Completes the pending batch, if any message is waiting.</summary>
    public SegmentBatch? Flush()
    {
        if (current is null || entries.Count == 0)
        {
            return null;
        }

        var batch = new SegmentBatch(current, position, entries);
        current = null;
        position = 0;
        entries = [];
        return batch;
    }

    /// <summary>Returns and clears the refused messages.</summary>
    public IReadOnlyList<SegmentFailure> TakeRefused()
    {
        if (refused.Count == 0)
        {
            return [];
        }

        var copy = refused.ToArray();
        refused.Clear();
        return copy;
    }

    /// <summary>Packs a whole list: the batches plus the refusals.</summary>
    public static (IReadOnlyList<SegmentBatch> Batches, IReadOnlyList<SegmentFailure> Refused) Pack(
        IEnumerable<SegmentMessage> messages, SegmentLibrary library, int maxBatchBytes = DefaultMaxBatchBytes, int maxMessages = MaxMessagesLimit)
    {
        using var batcher = new SegmentBatcher(library, maxBatchBytes, maxMessages);
        var batches = new List<SegmentBatch>();
        foreach (var message in messages)
        {
            if (batcher.Add(message) is { } batch)
            {
                batches.Add(batch);
            }
        }

        if (batcher.Flush() is { } last)
        {
            batches.Add(last);
        }

        return (batches, batcher.TakeRefused());
    }

    public void Dispose()
    {
        writer.Dispose();
        if (current is not null)
        {
            ArrayPool<byte>.Shared.Return(current);
            current = null;
        }
    }

    private string? Serialize(SegmentMessage message)
    {
        scratch.ResetWrittenCount();
        writer.Reset(scratch);
        string? error;
        try
        {
            error = SegmentMessageWriter.Write(writer, message, library);
            writer.Flush();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Invalid UTF-16 (a lone surrogate) and similar cannot be encoded.
            error = "The message cannot be encoded as JSON: " + ex.Message;
        }

        if (error is not null)
        {
            return error;
        }

        if (scratch.WrittenCount > MaxMessageBytes)
        {
            return $"The message is {scratch.WrittenCount:N0} bytes serialized; Segment's limit is {MaxMessageBytes:N0} bytes (32 KB) per message.";
        }

        return null;
    }
}
