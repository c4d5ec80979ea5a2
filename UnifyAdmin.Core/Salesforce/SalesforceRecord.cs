using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>
/// One row from a query: field name → value as JSON typed it. Values are <see cref="string"/> (text, and
/// also dates, datetimes and times, which JSON sends as strings: read them with <see cref="GetDateTime"/>
/// or <see cref="GetDate"/>, or convert by the describe), <see cref="bool"/>,
/// <see cref="long"/>, <see cref="decimal"/>, <see cref="double"/>, a nested <see cref="SalesforceRecord"/> (relationships),
/// <see cref="SalesforceAddress"/>, <see cref="SalesforceLocation"/>, <see cref="SalesforceSubquery"/>,
/// <see cref="IReadOnlyList{T}"/> of values, or null. Rows of one query share their field-name list,
/// so a row costs its values and little else. Field lookup ignores case, as SOQL does.
/// </summary>
public sealed class SalesforceRecord : IReadOnlyDictionary<string, object?>
{
    private readonly SalesforceRecordShape shape;
    private readonly object?[] values;

    internal SalesforceRecord(SalesforceRecordShape shape, object?[] values, string? type)
    {
        this.shape = shape;
        this.values = values;
        Type = type;
    }

    /// <summary>The sObject type from <c>attributes.type</c>, e.g. <c>Contact</c>; null for aggregate rows.</summary>
    public string? Type { get; }

    /// <summary>The record id (<c>Id</c>), when it was selected.</summary>
    public string? Id => TryGetValue("Id", out var id) ? id as string : null;

    /// <summary>True when the row is soft-deleted (<c>IsDeleted</c> selected through queryAll).</summary>
    public bool IsDeleted => TryGetValue("IsDeleted", out var deleted) && deleted is true;

    /// <summary>The field names in the order Salesforce sent them.</summary>
    public IReadOnlyList<string> FieldNames => shape.Names;

    public int Count => values.Length;

    public IEnumerable<string> Keys => shape.Names;

    public IEnumerable<object?> Values => values;

    /// <summary>The value of a field; throws <see cref="KeyNotFoundException"/> when the row has no such field.</summary>
    public object? this[string key]
        => shape.TryGetIndex(key, out var index) ? values[index] : throw new KeyNotFoundException($"The {Type ?? "record"} row has no field \"{key}\".");

    /// <summary>The value at a position in <see cref="FieldNames"/>.</summary>
    public object? this[int index] => values[index];

    public bool ContainsKey(string key) => shape.TryGetIndex(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (shape.TryGetIndex(key, out var index))
        {
            value = values[index];
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>
    /// A datetime field (e.g. <c>SystemModstamp</c>) in Salesforce's <c>2024-03-05T17:03:29.000+0000</c> form;
    /// null when the field is null or absent. Throws <see cref="FormatException"/> when the value is not a datetime.
    /// </summary>
    public DateTimeOffset? GetDateTime(string name)
        => GetPath(name) switch
        {
            null => null,
            string text => SalesforceDateTime.TryParseDateTime(text, out var value)
                ? value
                : throw new FormatException($"The {Type ?? "record"} field {name} holds \"{text}\", not a Salesforce datetime."),
            var other => throw new FormatException($"The {Type ?? "record"} field {name} holds a {other.GetType().Name}, not a datetime."),
        };

    /// <summary>A date field (<c>2024-03-05</c>); null when the field is null or absent.</summary>
    public DateOnly? GetDate(string name)
        => GetPath(name) switch
        {
            null => null,
            string text => SalesforceDateTime.TryParseDate(text, out var value)
                ? value
                : throw new FormatException($"The {Type ?? "record"} field {name} holds \"{text}\", not a Salesforce date."),
            var other => throw new FormatException($"The {Type ?? "record"} field {name} holds a {other.GetType().Name}, not a date."),
        };

    /// <summary>
    /// The value at a dotted path through relationships, e.g. <c>Account.Owner.Name</c>; null when a
    /// relationship on the way is null or absent.
    /// </summary>
    public object? GetPath(string path)
    {
        object? current = this;
        foreach (var part in path.Split('.'))
        {
            if (current is not SalesforceRecord record || !record.TryGetValue(part, out current))
            {
                return null;
            }
        }

        return current;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < values.Length; i++)
        {
            yield return new KeyValuePair<string, object?>(shape.Names[i], values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString()
    {
        var text = new StringBuilder(Type ?? "record").Append(" { ");
        for (var i = 0; i < values.Length; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(shape.Names[i]).Append(" = ").Append(values[i] ?? "null");
        }

        return text.Append(" }").ToString();
    }
}

/// <summary>A compound address field (type <c>address</c>), e.g. <c>BillingAddress</c>.</summary>
public sealed record SalesforceAddress(
    string? Street,
    string? City,
    string? State,
    string? StateCode,
    string? PostalCode,
    string? Country,
    string? CountryCode,
    double? Latitude,
    double? Longitude,
    string? GeocodeAccuracy);

/// <summary>A geolocation field (type <c>location</c>).</summary>
public sealed record SalesforceLocation(double? Latitude, double? Longitude);

/// <summary>The rows of a child relationship selected with a subquery (first page only).</summary>
public sealed record SalesforceSubquery(int TotalSize, bool Done, string? NextRecordsUrl, IReadOnlyList<SalesforceRecord> Records);

/// <summary>The field names shared by rows of the same shape; built once per query, not once per row.</summary>
internal sealed class SalesforceRecordShape
{
    private readonly Dictionary<string, int>? index;

    public SalesforceRecordShape(string[] names)
    {
        Names = names;
        Utf8Names = new byte[names.Length][];
        Children = new SalesforceRecordShape?[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            Utf8Names[i] = Encoding.UTF8.GetBytes(names[i]);
        }

        if (names.Length > 8)
        {
            index = new Dictionary<string, int>(names.Length, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < names.Length; i++)
            {
                index.TryAdd(names[i], i);
            }
        }
    }

    public string[] Names { get; }

    public byte[][] Utf8Names { get; }

    /// <summary>The last shape seen for a nested record under each field, as a guess for the next row.</summary>
    public SalesforceRecordShape?[] Children { get; }

    public bool TryGetIndex(string name, out int position)
    {
        if (index is not null)
        {
            return index.TryGetValue(name, out position);
        }

        for (var i = 0; i < Names.Length; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                position = i;
                return true;
            }
        }

        position = -1;
        return false;
    }
}
