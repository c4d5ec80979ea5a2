using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>
/// Parses Salesforce datetimes (<c>2024-03-05T17:03:29.000+0000</c>, also <c>Z</c> and <c>+00:00</c>) and
/// dates (<c>2024-03-05</c>) explicitly, since the standard .NET parsers do not all accept <c>+0000</c>.
/// </summary>
public static class SalesforceDateTime
{
    /// <summary>Parses a Salesforce datetime; throws <see cref="FormatException"/> when it is not one.</summary>
    public static DateTimeOffset ParseDateTime(string text)
        => TryParseDateTime(text, out var value) ? value : throw new FormatException($"Not a Salesforce datetime: \"{text}\".");

    /// <summary>Tries to parse a Salesforce datetime given as text.</summary>
    public static bool TryParseDateTime(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length is < 19 or > 40)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 127)
            {
                return false;
            }

            bytes[i] = (byte)text[i];
        }

        return TryParseDateTime(bytes, out value);
    }

    /// <summary>Tries to parse a Salesforce datetime given as UTF-8 bytes.</summary>
    public static bool TryParseDateTime(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 19 || s[10] != (byte)'T' || s[13] != (byte)':' || s[16] != (byte)':'
            || !TryParseDateCore(s[..10], out var year, out var month, out var day)
            || !TryDigits(s.Slice(11, 2), out var hour) || !TryDigits(s.Slice(14, 2), out var minute) || !TryDigits(s.Slice(17, 2), out var second))
        {
            return false;
        }

        var pos = 19;
        long fractionTicks = 0;
        if (pos < s.Length && s[pos] == (byte)'.')
        {
            pos++;
            var start = pos;
            long scale = TimeSpan.TicksPerSecond;
            while (pos < s.Length && IsDigit(s[pos]))
            {
                if (pos - start < 7)
                {
                    scale /= 10;
                    fractionTicks += (s[pos] - '0') * scale;
                }

                pos++;
            }

            if (pos == start)
            {
                return false;
            }
        }

        TimeSpan offset;
        if (pos == s.Length)
        {
            return false; // Salesforce always sends a zone; a bare local time would be ambiguous.
        }

        if (s[pos] == (byte)'Z' && pos + 1 == s.Length)
        {
            offset = TimeSpan.Zero;
        }
        else if (s[pos] is (byte)'+' or (byte)'-')
        {
            var zone = s[(pos + 1)..];
            int offHours, offMinutes;
            if (zone.Length == 4 && TryDigits(zone[..2], out offHours) && TryDigits(zone[2..], out offMinutes))
            {
            }
            else if (zone.Length == 5 && zone[2] == (byte)':' && TryDigits(zone[..2], out offHours) && TryDigits(zone[3..], out offMinutes))
            {
            }
            else if (zone.Length == 2 && TryDigits(zone, out offHours))
            {
                offMinutes = 0;
            }
            else
            {
                return false;
            }

            if (offHours > 14 || offMinutes > 59)
            {
                return false;
            }

            offset = new TimeSpan(offHours, offMinutes, 0);
            if (s[pos] == (byte)'-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }

        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        try
        {
            value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(fractionTicks);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>Tries to parse a Salesforce date (<c>yyyy-MM-dd</c>) given as UTF-8 bytes.</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> s, out DateOnly value)
    {
        value = default;
        if (s.Length != 10 || !TryParseDateCore(s, out var year, out var month, out var day))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        value = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>Tries to parse a Salesforce date (<c>yyyy-MM-dd</c>) given as text.</summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, out DateOnly value)
    {
        value = default;
        if (text.Length != 10)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[10];
        return Encoding.ASCII.TryGetBytes(text, bytes, out var written) && written == 10 && TryParseDate(bytes, out value);
    }

    /// <summary>Formats a datetime the way Salesforce sends it: UTC, milliseconds, <c>+0000</c>.</summary>
    public static string Format(DateTimeOffset value)
        => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    private static bool TryParseDateCore(ReadOnlySpan<byte> s, out int year, out int month, out int day)
    {
        month = day = 0;
        return TryDigits(s[..4], out year) && s[4] == (byte)'-' && TryDigits(s.Slice(5, 2), out month)
            && s[7] == (byte)'-' && TryDigits(s.Slice(8, 2), out day) && year >= 1 && month is >= 1 and <= 12 && day is >= 1 and <= 31;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var b in s)
        {
            if (!IsDigit(b))
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}

/// <summary>Reads and writes Salesforce datetimes in JSON DTOs.</summary>
internal sealed class SalesforceDateTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && SalesforceDateTime.TryParseDateTime(reader.ValueSpan, out var value))
        {
            return value;
        }

        var text = reader.GetString() ?? "";
        return SalesforceDateTime.TryParseDateTime(text, out value) ? value : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        => writer.WriteStringValue(SalesforceDateTime.Format(value));
}
