using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace UnifyAdmin.Demo.Salesforce;

/// <summary>Salesforce's JSON value formats and small helpers for writing responses without reflection.</summary>
internal static class DemoJson
{
    public const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'+0000'";

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string FormatDateTime(DateTime utc) => utc.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Writes yyyy-MM-ddTHH:mm:ss.fff+0000 as UTF-8 without a format-string parse, since every row has several.</summary>
    public static void FormatDateTime(DateTime utc, Span<byte> destination)
    {
        static void Two(Span<byte> d, int at, int value)
        {
            d[at] = (byte)('0' + value / 10);
            d[at + 1] = (byte)('0' + value % 10);
        }

        var year = utc.Year;
        destination[0] = (byte)('0' + year / 1000);
        destination[1] = (byte)('0' + year / 100 % 10);
        Two(destination, 2, year % 100);
        destination[4] = (byte)'-';
        Two(destination, 5, utc.Month);
        destination[7] = (byte)'-';
        Two(destination, 8, utc.Day);
        destination[10] = (byte)'T';
        Two(destination, 11, utc.Hour);
        destination[13] = (byte)':';
        Two(destination, 14, utc.Minute);
        destination[16] = (byte)':';
        Two(destination, 17, utc.Second);
        destination[19] = (byte)'.';
        var ms = utc.Millisecond;
        destination[20] = (byte)('0' + ms / 100);
        Two(destination, 21, ms % 100);
        "+0000"u8.CopyTo(destination[23..]);
    }

    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case DateTime dt:
            {
                Span<byte> buffer = stackalloc byte[28];
                FormatDateTime(dt, buffer);
                writer.WriteStringValue(buffer);
                break;
            }

            case DateOnly date:
            {
                Span<char> buffer = stackalloc char[16];
                date.TryFormat(buffer, out var written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                writer.WriteStringValue(buffer[..written]);
                break;
            }

            case DemoAddress address:
                // Salesforce writes the address components in alphabetical order.
                writer.WriteStartObject();
                writer.WriteString("city", address.City);
                writer.WriteString("country", address.Country);
                writer.WriteString("geocodeAccuracy", address.GeocodeAccuracy);
                WriteNullableNumber(writer, "latitude", address.Latitude);
                WriteNullableNumber(writer, "longitude", address.Longitude);
                writer.WriteString("postalCode", address.PostalCode);
                writer.WriteString("state", address.State);
                writer.WriteString("street", address.Street);
                writer.WriteEndObject();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteNullableNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static async Task WriteAsync(HttpContext ctx, int status, Action<Utf8JsonWriter> write)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json;charset=UTF-8";
        await using (var writer = new Utf8JsonWriter(ctx.Response.BodyWriter, WriterOptions))
        {
            write(writer);
        }

        await ctx.Response.BodyWriter.FlushAsync(ctx.RequestAborted);
    }

    /// <summary>REST errors are a JSON array of message and errorCode.</summary>
    public static Task WriteErrorAsync(HttpContext ctx, int status, string errorCode, string message) =>
        WriteAsync(ctx, status, w =>
        {
            w.WriteStartArray();
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteString("errorCode", errorCode);
            w.WriteEndObject();
            w.WriteEndArray();
        });

    /// <summary>OAuth errors have their own shape: an object of error and error_description.</summary>
    public static Task WriteOAuthErrorAsync(HttpContext ctx, string error, string description, int status = 400) =>
        WriteAsync(ctx, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", error);
            w.WriteString("error_description", description);
            w.WriteEndObject();
        });

    public static bool TryParseDateTime(string? text, out DateTime utc) => Soql.SoqlLexer.TryParseDateTime(text ?? "", out utc)
        || (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && SetUtc(parsed, out utc));

    private static bool SetUtc(DateTimeOffset value, out DateTime utc)
    {
        utc = value.UtcDateTime;
        return true;
    }

    /// <summary>Turns a JSON or CLR input value into the in-memory type of a field's kind.</summary>
    public static object? ConvertForField(DemoField field, object? input)
    {
        if (input is JsonElement element)
        {
            input = element.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                JsonValueKind.String => element.GetString(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number => element.TryGetInt64(out var l) ? l : element.GetDouble(),
                _ => throw new DemoOrgException(400, "JSON_PARSER_ERROR", $"Field '{field.Name}' cannot take a JSON {element.ValueKind}"),
            };
        }

        if (input is null)
        {
            return null;
        }

        try
        {
            return field.Kind switch
            {
                DemoValueKind.Text => input is string s ? s : Convert.ToString(input, CultureInfo.InvariantCulture),
                DemoValueKind.Boolean => input is string s ? bool.Parse(s) : Convert.ToBoolean(input, CultureInfo.InvariantCulture),
                DemoValueKind.Integer => Convert.ToInt64(input, CultureInfo.InvariantCulture),
                DemoValueKind.Number => Convert.ToDouble(input, CultureInfo.InvariantCulture),
                DemoValueKind.Date => input switch
                {
                    DateOnly d => d,
                    DateTime dt => DateOnly.FromDateTime(dt),
                    DateTimeOffset dto => DateOnly.FromDateTime(dto.UtcDateTime),
                    _ => DateOnly.ParseExact(Convert.ToString(input, CultureInfo.InvariantCulture)!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                },
                DemoValueKind.DateTime => input switch
                {
                    DateTime dt => dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt.ToUniversalTime(),
                    DateTimeOffset dto => dto.UtcDateTime,
                    string s when TryParseDateTime(s, out var utc) => utc,
                    _ => throw new FormatException(),
                },
                _ => throw new DemoOrgException(400, "INVALID_FIELD_FOR_INSERT_UPDATE", $"Field '{field.Name}' cannot be set directly"),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new DemoOrgException(400, "INVALID_TYPE_ON_FIELD_IN_RECORD", $"{field.Label}: value not of required type: {input}");
        }
    }
}

/// <summary>A control operation the org refuses, with the HTTP status and Salesforce-style error code to answer.</summary>
public sealed class DemoOrgException(int statusCode, string errorCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string ErrorCode { get; } = errorCode;
}
