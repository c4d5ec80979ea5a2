using System.Text.Encodings.Web;
using System.Text.Json;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Core.Mappings;

/// <summary>The JSON of one record's message as the Segment client sends it, or why it cannot be sent.</summary>
/// <param name="Bytes">Size of the message in bytes, also when Segment's limit refuses it.</param>
public sealed record PayloadPreview(string? RecordId, string? Json, int Bytes, string? Error);

/// <summary>
/// Serializes messages with the Segment client's own batcher, so what the editor shows is byte for
/// byte what the sync sends (context, <c>"integrations":{"All":false}</c> and all).
/// </summary>
public static class MappingPayload
{
    // Only for measuring a message the batcher refused (e.g. over 32 KB): the same settings as the batcher's writer.
    private static readonly JsonWriterOptions MeasureOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>Builds and serializes the message of one record.</summary>
    public static PayloadPreview Preview(MappingMessageBuilder builder, SalesforceRecord record, SegmentLibrary library, DateTimeOffset now)
    {
        var build = builder.Build(record, now);
        return build.Message is { } message ? Serialize(message, library) : new PayloadPreview(record.Id, null, 0, build.Error);
    }

    /// <summary>The message's JSON exactly as it goes into a <c>/v1/batch</c> body.</summary>
    public static PayloadPreview Serialize(SegmentMessage message, SegmentLibrary library)
    {
        var (batches, refused) = SegmentBatcher.Pack([message], library, SegmentBatcher.DefaultMaxBatchBytes, 1);
        try
        {
            if (refused.Count > 0)
            {
                return new PayloadPreview(message.RecordKey, null, Measure(message, library), refused[0].Reason);
            }

            var body = batches[0].Frame(DateTimeOffset.UnixEpoch);
            var start = SegmentBatch.Prefix.Length;
            var end = body.Count - SegmentBatch.SuffixStart.Length - 24 - SegmentBatch.SuffixEnd.Length;
            var json = System.Text.Encoding.UTF8.GetString(body.Array!, body.Offset + start, end - start);
            return new PayloadPreview(message.RecordKey, json, end - start, null);
        }
        finally
        {
            foreach (var batch in batches)
            {
                batch.Dispose();
            }
        }
    }

    /// <summary>The same JSON, indented for reading (values and order unchanged).</summary>
    public static string Indent(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, IndentedOptions);
    }

    private static readonly JsonSerializerOptions IndentedOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static int Measure(SegmentMessage message, SegmentLibrary library)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(8192);
        using var writer = new Utf8JsonWriter(buffer, MeasureOptions);
        try
        {
            SegmentMessageWriter.Write(writer, message, library);
            writer.Flush();
            return buffer.WrittenCount;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return 0;
        }
    }
}

/// <summary>Non-blocking advice about a mapping: odd identifier types, sizes near Segment's limits.</summary>
public static class MappingWarnings
{
    private static readonly HashSet<string> OddIdTypes = new(StringComparer.OrdinalIgnoreCase) { "boolean", "double", "currency", "percent", "date", "datetime", "time", "address", "location", "multipicklist", "textarea", "base64" };

    public static IReadOnlyList<string> For(MappingInput input, MappingFieldCatalog catalog)
    {
        var warnings = new List<string>();
        Check("User ID", input.UserIdField);
        Check("Anonymous ID", input.AnonymousIdField);
        if (input.Action == MappingAction.Group)
        {
            Check("Group ID", input.GroupIdField);
        }

        var top = MappingInputValidator.TopLevelCount(input.Traits);
        if (top is >= 250 and < MappingMessageBuilder.MaxTraits)
        {
            warnings.Add($"{top} traits: Segment drops messages with {MappingMessageBuilder.MaxTraits} or more. Leave room before adding more fields to the model.");
        }

        return warnings;

        void Check(string label, string? path)
        {
            if (catalog.Find(path) is { InOrg: true } field && OddIdTypes.Contains(field.Type))
            {
                warnings.Add(field.Type == "boolean"
                    ? $"{label} `{field.Path}` is a checkbox: every record would be one of two {(label == "Group ID" ? "accounts" : "profiles")}, true or false. Choose a field that identifies each record."
                    : $"{label} `{field.Path}` is a {field.Type} field: an unusual identifier. Records that share a value become one {(label == "Group ID" ? "account" : "profile")}.");
            }
        }
    }
}
