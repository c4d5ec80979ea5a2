using System.Globalization;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>
/// The JSON value the sync sends to Segment for one Salesforce field value, chosen by the field's
/// describe type, never by how the value looks: the model preview, the mapping preview and the
/// engine all use this, so what an admin sees is what is sent.
/// </summary>
public static class SalesforceJsonValues
{
    /// <summary>
    /// Converts a raw value from a query row. Results are null, <see cref="string"/>, <see cref="bool"/>,
    /// <see cref="long"/>, <see cref="decimal"/>, <see cref="double"/>, a list (multi-select picklists)
    /// or a dictionary (address and location compounds). Datetimes become ISO-8601 UTC with
    /// milliseconds (<c>2024-03-05T17:03:29.000Z</c>); dates stay <c>yyyy-MM-dd</c>.
    /// </summary>
    public static object? ToJsonValue(object? value, string? fieldType)
    {
        if (value is null)
        {
            return null;
        }

        switch (fieldType?.ToLowerInvariant())
        {
            case "datetime":
                return value switch
                {
                    DateTimeOffset dto => FormatDateTime(dto),
                    string s when SalesforceDateTime.TryParseDateTime(s.AsSpan(), out var parsed) => FormatDateTime(parsed),
                    _ => Text(value),
                };
            case "date":
                return value switch
                {
                    DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    DateTimeOffset dto => dto.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    _ => Text(value),
                };
            case "time":
                return Text(value);
            case "boolean":
                return value switch
                {
                    bool b => b,
                    string s when bool.TryParse(s, out var parsed) => parsed,
                    _ => Text(value),
                };
            case "int":
            case "long":
                return value switch
                {
                    long l => l,
                    decimal m when decimal.Truncate(m) == m && m is >= long.MinValue and <= long.MaxValue => (long)m,
                    double d when Math.Truncate(d) == d && Math.Abs(d) < 9e15 => (long)d,
                    string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
                    _ => Number(value),
                };
            case "double":
            case "currency":
            case "percent":
                return Number(value);
            case "multipicklist":
                return value is string list
                    ? list.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Cast<object?>().ToList()
                    : value;
            case "address":
                return value is SalesforceAddress address ? Address(address) : value;
            case "location":
                return value is SalesforceLocation location ? Location(location) : value;
            case null:
            case "anytype":
                return Natural(value);
            default:
                // id, reference, string, textarea, email, phone, url, picklist, combobox and the rest are text.
                return Text(value);
        }
    }

    /// <summary>ISO-8601 UTC with milliseconds, e.g. <c>2024-03-05T17:03:29.000Z</c>.</summary>
    public static string FormatDateTime(DateTimeOffset value)
    {
        // Digits written by hand: this runs for every datetime of every record, and the custom
        // format string parser costs more than the formatting itself.
        return string.Create(24, value.UtcDateTime, static (chars, utc) =>
        {
            Digits(chars[..4], utc.Year);
            chars[4] = '-';
            Digits(chars.Slice(5, 2), utc.Month);
            chars[7] = '-';
            Digits(chars.Slice(8, 2), utc.Day);
            chars[10] = 'T';
            Digits(chars.Slice(11, 2), utc.Hour);
            chars[13] = ':';
            Digits(chars.Slice(14, 2), utc.Minute);
            chars[16] = ':';
            Digits(chars.Slice(17, 2), utc.Second);
            chars[19] = '.';
            Digits(chars.Slice(20, 3), utc.Millisecond);
            chars[23] = 'Z';
        });
    }

    private static void Digits(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    private static object? Number(object value) => value switch
    {
        long or decimal or double => value,
        int i => (long)i,
        string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => Text(value),
    };

    private static object? Natural(object value) => value switch
    {
        DateTimeOffset dto => FormatDateTime(dto),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        SalesforceAddress a => Address(a),
        SalesforceLocation l => Location(l),
        _ => value,
    };

    private static string Text(object value) => value switch
    {
        string s => s,
        // A value the parser typed from its look (older parsers did) goes back to Salesforce's own text form.
        DateTimeOffset dto => SalesforceDateTime.Format(dto),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static Dictionary<string, object?> Address(SalesforceAddress a)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        Add(map, "street", a.Street);
        Add(map, "city", a.City);
        Add(map, "state", a.State);
        Add(map, "stateCode", a.StateCode);
        Add(map, "postalCode", a.PostalCode);
        Add(map, "country", a.Country);
        Add(map, "countryCode", a.CountryCode);
        Add(map, "latitude", a.Latitude);
        Add(map, "longitude", a.Longitude);
        Add(map, "geocodeAccuracy", a.GeocodeAccuracy);
        return map;
    }

    private static Dictionary<string, object?> Location(SalesforceLocation l)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        Add(map, "latitude", l.Latitude);
        Add(map, "longitude", l.Longitude);
        return map;
    }

    private static void Add(Dictionary<string, object?> map, string key, object? value)
    {
        if (value is not null)
        {
            map[key] = value;
        }
    }
}
