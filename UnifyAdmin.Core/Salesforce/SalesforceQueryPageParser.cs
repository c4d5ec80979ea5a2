using System.Text.Json;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>
/// Reads one query page (<c>{"totalSize","done","nextRecordsUrl","records":[…]}</c>) with a single
/// <see cref="Utf8JsonReader"/> pass into <see cref="SalesforceRecord"/>s. One parser serves one query:
/// it remembers row shapes and type names so later rows reuse them instead of allocating new ones.
/// </summary>
internal sealed class SalesforceQueryPageParser
{
    private static readonly object True = true;
    private static readonly object False = false;
    private static readonly string[] LocationKeys = ["latitude", "longitude"];
    private static readonly HashSet<string> AddressKeys = new(StringComparer.Ordinal)
    {
        "street", "city", "state", "stateCode", "postalCode", "country", "countryCode", "latitude", "longitude", "geocodeAccuracy",
    };

    private readonly List<Scratch> scratch = [];
    private SalesforceRecordShape? rowShape;
    private string? lastType;
    private byte[]? lastTypeUtf8;

    public SalesforceQueryPage Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 128 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A query page must be a JSON object.");
        }

        long totalSize = 0;
        var done = true;
        string? next = null;
        List<SalesforceRecord> records = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("records"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    records = ReadRecords(ref reader, 0);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("totalSize"u8))
            {
                reader.Read();
                totalSize = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("done"u8))
            {
                reader.Read();
                done = reader.GetBoolean();
            }
            else if (reader.ValueTextEquals("nextRecordsUrl"u8))
            {
                reader.Read();
                next = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!done && next is null)
        {
            // Ending here would silently drop the rest of the result set.
            throw new JsonException("The query page says more rows follow (done: false) but carries no nextRecordsUrl.");
        }

        return new SalesforceQueryPage(totalSize, done, done ? null : next, records);
    }

    private List<SalesforceRecord> ReadRecords(ref Utf8JsonReader reader, int depth)
    {
        var records = new List<SalesforceRecord>(depth == 0 ? 2000 : 4);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("Query records must be JSON objects.");
            }

            var hint = depth == 0 ? rowShape : null;
            if (ReadObject(ref reader, hint, depth + 1, out var shape) is SalesforceRecord record)
            {
                records.Add(record);
                if (depth == 0)
                {
                    rowShape = shape;
                }
            }
        }

        return records;
    }

    /// <summary>Reads an object whose StartObject is current: a record, address, location or subquery.</summary>
    private object ReadObject(ref Utf8JsonReader reader, SalesforceRecordShape? hint, int depth, out SalesforceRecordShape? shape)
    {
        while (scratch.Count <= depth)
        {
            scratch.Add(new Scratch());
        }

        var s = scratch[depth];
        s.Clear();
        string? type = null;
        var hasAttributes = false;
        var matching = hint is not null;
        var i = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("attributes"u8))
            {
                hasAttributes = true;
                reader.Read();
                type = ReadAttributesType(ref reader);
                continue;
            }

            string name;
            if (matching && i < hint!.Names.Length && reader.ValueTextEquals(hint.Utf8Names[i]))
            {
                name = hint.Names[i];
            }
            else
            {
                matching = false;
                name = reader.GetString()!;
            }

            reader.Read();
            var childHint = matching ? hint!.Children[i] : null;
            s.Names.Add(name);
            s.Values.Add(ReadValue(ref reader, childHint, depth, out var childShape));
            s.ChildShapes.Add(childShape);
            i++;
        }

        if (!hasAttributes)
        {
            shape = null;
            var plain = Classify(s);
            if (plain is not null)
            {
                return plain;
            }
        }

        shape = matching && i == hint!.Names.Length ? hint : new SalesforceRecordShape([.. s.Names]);
        for (var c = 0; c < s.ChildShapes.Count; c++)
        {
            if (s.ChildShapes[c] is { } child)
            {
                shape.Children[c] = child;
            }
        }

        return new SalesforceRecord(shape, [.. s.Values], type);
    }

    private object? ReadValue(ref Utf8JsonReader reader, SalesforceRecordShape? hint, int depth, out SalesforceRecordShape? shape)
    {
        shape = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                // A string stays a string: only the describe knows whether "2024-03-05" is a date or text
                // that looks like one. Callers that need a datetime ask for it (SalesforceRecord.GetDateTime).
                return reader.GetString();
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var integer))
                {
                    return integer;
                }

                if (reader.TryGetDecimal(out var number))
                {
                    return number;
                }

                return reader.GetDouble();
            case JsonTokenType.True:
                return True;
            case JsonTokenType.False:
                return False;
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartObject:
                return ReadObject(ref reader, hint, depth + 1, out shape);
            case JsonTokenType.StartArray:
                var items = new List<object?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, null, depth + 1, out _));
                }

                return items;
            default:
                throw new JsonException($"Unexpected JSON token {reader.TokenType} in a query row.");
        }
    }

    private string? ReadAttributesType(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? type = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String)
            {
                if (lastTypeUtf8 is not null && reader.ValueTextEquals(lastTypeUtf8))
                {
                    type = lastType;
                }
                else
                {
                    type = reader.GetString();
                    lastType = type;
                    lastTypeUtf8 = System.Text.Encoding.UTF8.GetBytes(type!);
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return type;
    }

    /// <summary>Turns an object without <c>attributes</c> into an address, location or subquery, or null for a plain record.</summary>
    private static object? Classify(Scratch s)
    {
        var names = s.Names;
        var recordsAt = names.IndexOf("records");
        if (recordsAt >= 0 && (names.Contains("totalSize") || names.Contains("done")))
        {
            var rows = s.Values[recordsAt] is List<object?> list ? list.OfType<SalesforceRecord>().ToList() : [];
            var total = names.IndexOf("totalSize") is var t and >= 0 && s.Values[t] is long size ? size : rows.Count;
            var done = names.IndexOf("done") is not (var d and >= 0) || s.Values[d] is not false;
            var next = names.IndexOf("nextRecordsUrl") is var n and >= 0 ? s.Values[n] as string : null;
            return new SalesforceSubquery((int)total, done, next, rows);
        }

        if (names.Count == 0 || !names.TrueForAll(AddressKeys.Contains))
        {
            return null;
        }

        string? Text(string key) => names.IndexOf(key) is var at and >= 0 ? s.Values[at] as string : null;
        double? Number(string key) => names.IndexOf(key) is var at and >= 0 ? s.Values[at] switch
        {
            long l => l,
            decimal m => (double)m,
            double d => d,
            _ => null,
        } : null;

        if (names.Count == 2 && names.TrueForAll(n => LocationKeys.Contains(n)))
        {
            return new SalesforceLocation(Number("latitude"), Number("longitude"));
        }

        return new SalesforceAddress(
            Text("street"), Text("city"), Text("state"), Text("stateCode"), Text("postalCode"), Text("country"), Text("countryCode"),
            Number("latitude"), Number("longitude"), Text("geocodeAccuracy"));
    }

    private sealed class Scratch
    {
        public List<string> Names { get; } = new(32);

        public List<object?> Values { get; } = new(32);

        public List<SalesforceRecordShape?> ChildShapes { get; } = new(32);

        public void Clear()
        {
            Names.Clear();
            Values.Clear();
            ChildShapes.Clear();
        }
    }
}
