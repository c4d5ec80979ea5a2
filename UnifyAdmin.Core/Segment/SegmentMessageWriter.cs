using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UnifyAdmin.Core.Segment;

/// <summary>Checks a message against Segment's per-message rules and writes its JSON once.</summary>
internal static class SegmentMessageWriter
{
    public const int MaxMessageIdLength = 100;
    public const int MaxTraits = 300;

    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText MessageIdName = JsonEncodedText.Encode("messageId");
    private static readonly JsonEncodedText UserIdName = JsonEncodedText.Encode("userId");
    private static readonly JsonEncodedText AnonymousIdName = JsonEncodedText.Encode("anonymousId");
    private static readonly JsonEncodedText GroupIdName = JsonEncodedText.Encode("groupId");
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText TraitsName = JsonEncodedText.Encode("traits");
    private static readonly JsonEncodedText ContextName = JsonEncodedText.Encode("context");
    private static readonly JsonEncodedText LibraryName = JsonEncodedText.Encode("library");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText ExternalIdsName = JsonEncodedText.Encode("externalIds");
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText CollectionName = JsonEncodedText.Encode("collection");
    private static readonly JsonEncodedText EncodingName = JsonEncodedText.Encode("encoding");
    private static readonly JsonEncodedText IntegrationsName = JsonEncodedText.Encode("integrations");
    private static readonly JsonEncodedText AllName = JsonEncodedText.Encode("All");
    private static readonly JsonEncodedText IdentifyValue = JsonEncodedText.Encode("identify");
    private static readonly JsonEncodedText GroupValue = JsonEncodedText.Encode("group");

    /// <summary>The rules that need no serialization; null when the message passes.</summary>
    public static string? Check(SegmentMessage message)
    {
        if (string.IsNullOrEmpty(message.MessageId))
        {
            return "messageId is required.";
        }

        if (message.MessageId.Length > MaxMessageIdLength)
        {
            return $"messageId is {message.MessageId.Length} characters; Segment allows at most {MaxMessageIdLength}.";
        }

        if (string.IsNullOrEmpty(message.UserId) && string.IsNullOrEmpty(message.AnonymousId))
        {
            return "Either userId or anonymousId must be set.";
        }

        if (message is GroupMessage group && string.IsNullOrEmpty(group.GroupId))
        {
            return "groupId is required for a group call.";
        }

        var traitCount = message.Traits?.Count ?? 0;
        if (traitCount >= MaxTraits)
        {
            return $"The message has {traitCount} traits; Segment drops messages with {MaxTraits} or more.";
        }

        return null;
    }

    /// <summary>Writes the message; returns an error instead when a value cannot be carried by JSON.</summary>
    public static string? Write(Utf8JsonWriter writer, SegmentMessage message, SegmentLibrary library)
    {
        writer.WriteStartObject();
        writer.WriteString(TypeName, message is GroupMessage ? GroupValue : IdentifyValue);
        writer.WriteString(MessageIdName, message.MessageId);
        if (!string.IsNullOrEmpty(message.UserId))
        {
            writer.WriteString(UserIdName, message.UserId);
        }

        if (!string.IsNullOrEmpty(message.AnonymousId))
        {
            writer.WriteString(AnonymousIdName, message.AnonymousId);
        }

        if (message is GroupMessage group)
        {
            writer.WriteString(GroupIdName, group.GroupId);
        }

        writer.WritePropertyName(TimestampName);
        WriteTimestamp(writer, message.Timestamp);
        writer.WritePropertyName(TraitsName);
        writer.WriteStartObject();
        if (message.Traits is not null)
        {
            foreach (var (name, value) in message.Traits)
            {
                writer.WritePropertyName(name);
                var error = WriteValue(writer, value, 0);
                if (error is not null)
                {
                    return $"Trait '{name}': {error}";
                }
            }
        }

        writer.WriteEndObject();
        writer.WritePropertyName(ContextName);
        writer.WriteStartObject();
        writer.WritePropertyName(LibraryName);
        writer.WriteStartObject();
        writer.WriteString(NameName, library.Name);
        writer.WriteString(VersionName, library.Version);
        writer.WriteEndObject();
        if (message.Context?.ExternalIds is { Count: > 0 } externalIds)
        {
            writer.WritePropertyName(ExternalIdsName);
            writer.WriteStartArray();
            foreach (var externalId in externalIds)
            {
                writer.WriteStartObject();
                writer.WriteString(IdName, externalId.Id);
                writer.WriteString(TypeName, externalId.Type);
                writer.WriteString(CollectionName, externalId.Collection);
                writer.WriteString(EncodingName, externalId.Encoding);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();

        // Profile messages must update the space without fanning out to its other destinations.
        writer.WritePropertyName(IntegrationsName);
        writer.WriteStartObject();
        writer.WriteBoolean(AllName, false);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    /// <summary>ISO-8601 UTC with milliseconds, always 24 characters, e.g. <c>2024-03-05T17:03:29.000Z</c>.</summary>
    public static void WriteTimestamp(Utf8JsonWriter writer, DateTimeOffset value)
    {
        Span<byte> buffer = stackalloc byte[32];
        FormatTimestamp(value, buffer, out var written);
        writer.WriteStringValue(buffer[..written]);
    }

    public static bool FormatTimestamp(DateTimeOffset value, Span<byte> destination, out int written)
        => value.UtcDateTime.TryFormat(destination, out written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string? WriteValue(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > 32)
        {
            return "nested too deeply.";
        }

        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return null;
            case string s:
                writer.WriteStringValue(s);
                return null;
            case bool b:
                writer.WriteBooleanValue(b);
                return null;
            case int i:
                writer.WriteNumberValue(i);
                return null;
            case long l:
                writer.WriteNumberValue(l);
                return null;
            case decimal m:
                writer.WriteNumberValue(m);
                return null;
            case double d:
                if (!double.IsFinite(d))
                {
                    return $"{d.ToString(CultureInfo.InvariantCulture)} cannot be carried by JSON.";
                }

                writer.WriteNumberValue(d);
                return null;
            case float f:
                if (!float.IsFinite(f))
                {
                    return $"{f.ToString(CultureInfo.InvariantCulture)} cannot be carried by JSON.";
                }

                writer.WriteNumberValue(f);
                return null;
            case short or byte or sbyte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return null;
            case ulong ul:
                writer.WriteNumberValue(ul);
                return null;
            case DateTimeOffset dto:
                WriteTimestamp(writer, dto);
                return null;
            case DateTime dt:
                WriteTimestamp(writer, dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.Zero) : new DateTimeOffset(dt));
                return null;
            case DateOnly date:
                writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                return null;
            case TimeOnly time:
                writer.WriteStringValue(time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture));
                return null;
            case Guid guid:
                writer.WriteStringValue(guid);
                return null;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                return null;
            case JsonElement element:
                element.WriteTo(writer);
                return null;
            case JsonNode node:
                try
                {
                    node.WriteTo(writer);
                    return null;
                }
                catch (ArgumentException ex)
                {
                    // A JsonValue can hold NaN or Infinity; writing it fails.
                    return ex.Message;
                }
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    var error = WriteValue(writer, item, depth + 1);
                    if (error is not null)
                    {
                        return error;
                    }
                }

                writer.WriteEndObject();
                return null;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                    var error = WriteValue(writer, entry.Value, depth + 1);
                    if (error is not null)
                    {
                        return error;
                    }
                }

                writer.WriteEndObject();
                return null;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (var item in sequence)
                {
                    var error = WriteValue(writer, item, depth + 1);
                    if (error is not null)
                    {
                        return error;
                    }
                }

                writer.WriteEndArray();
                return null;
            default:
                return $"a value of type {value.GetType().Name} cannot be written as JSON.";
        }
    }
}
