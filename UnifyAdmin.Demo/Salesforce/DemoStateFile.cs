using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace UnifyAdmin.Demo.Salesforce;

/// <summary>A schema change, kept as an operation so it can be replayed over the built-in schema at start.</summary>
internal sealed record DemoSchemaChange(string Operation, string Object, string Field, string? Type, DemoFieldDefinition? Definition);

internal sealed record DemoSavedState(
    DateTime AnchorUtc,
    IReadOnlyList<DemoSchemaChange> SchemaChanges,
    IReadOnlyList<(string Object, ChangedRecord Record)> Records,
    IReadOnlyDictionary<string, long> NextInsertIndex,
    long AccessGeneration,
    long RefreshGeneration,
    IReadOnlyList<string> RevokedNonces,
    bool ApiEnabled);

/// <summary>Keeps what differs from the generated org in one JSON file, written atomically after each change.</summary>
internal sealed class DemoStateFile(string path)
{
    public DemoSavedState? Load()
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var anchor = DateTime.Parse(root.GetProperty("anchorUtc").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var changes = root.GetProperty("schemaChanges").EnumerateArray().Select(c => new DemoSchemaChange(
            c.GetProperty("operation").GetString()!,
            c.GetProperty("object").GetString()!,
            c.GetProperty("field").GetString()!,
            c.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null,
            c.TryGetProperty("definition", out var d) && d.ValueKind == JsonValueKind.Object ? ReadDefinition(d) : null)).ToList();
        var records = root.GetProperty("records").EnumerateArray().Select(r => (
            r.GetProperty("object").GetString()!,
            new ChangedRecord(
                r.GetProperty("index").GetInt64(),
                r.GetProperty("id").GetString()!,
                r.GetProperty("values").EnumerateObject().ToImmutableDictionary(p => p.Name, p => Raw(p.Value), StringComparer.OrdinalIgnoreCase),
                r.GetProperty("inserted").GetBoolean(),
                r.GetProperty("isDeleted").GetBoolean(),
                r.TryGetProperty("deletedAt", out var at) && at.ValueKind == JsonValueKind.String && DemoJson.TryParseDateTime(at.GetString(), out var deletedAt) ? deletedAt : null,
                r.GetProperty("hardDeleted").GetBoolean()))).ToList();
        var next = root.GetProperty("nextInsertIndex").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.OrdinalIgnoreCase);
        var tokens = root.GetProperty("tokens");
        return new DemoSavedState(
            anchor,
            changes,
            records,
            next,
            tokens.GetProperty("accessGeneration").GetInt64(),
            tokens.GetProperty("refreshGeneration").GetInt64(),
            tokens.GetProperty("revoked").EnumerateArray().Select(n => n.GetString()!).ToList(),
            root.GetProperty("apiEnabled").GetBoolean());
    }

    public void Save(DemoSavedState state)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = DemoJson.WriterOptions.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", 1);
            writer.WriteString("anchorUtc", state.AnchorUtc.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteStartArray("schemaChanges");
            foreach (var change in state.SchemaChanges)
            {
                writer.WriteStartObject();
                writer.WriteString("operation", change.Operation);
                writer.WriteString("object", change.Object);
                writer.WriteString("field", change.Field);
                writer.WriteString("type", change.Type);
                if (change.Definition is { } d)
                {
                    writer.WriteStartObject("definition");
                    writer.WriteString("name", d.Name);
                    writer.WriteString("type", d.Type);
                    writer.WriteString("label", d.Label);
                    if (d.Length is { } length)
                    {
                        writer.WriteNumber("length", length);
                    }

                    writer.WriteStartArray("picklistValues");
                    foreach (var value in d.PicklistValues ?? [])
                    {
                        writer.WriteStringValue(value);
                    }

                    writer.WriteEndArray();
                    writer.WriteString("referenceTo", d.ReferenceTo);
                    writer.WriteString("relationshipName", d.RelationshipName);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("records");
            foreach (var (obj, record) in state.Records)
            {
                writer.WriteStartObject();
                writer.WriteString("object", obj);
                writer.WriteNumber("index", record.Index);
                writer.WriteString("id", record.Id);
                writer.WriteBoolean("inserted", record.Inserted);
                writer.WriteBoolean("isDeleted", record.IsDeleted);
                writer.WriteBoolean("hardDeleted", record.HardDeleted);
                writer.WriteString("deletedAt", record.DeletedAt is { } at ? DemoJson.FormatDateTime(at) : null);
                writer.WriteStartObject("values");
                foreach (var (name, value) in record.Values)
                {
                    writer.WritePropertyName(name);
                    DemoJson.WriteValue(writer, value);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("nextInsertIndex");
            foreach (var (obj, next) in state.NextInsertIndex)
            {
                writer.WriteNumber(obj, next);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("tokens");
            writer.WriteNumber("accessGeneration", state.AccessGeneration);
            writer.WriteNumber("refreshGeneration", state.RefreshGeneration);
            writer.WriteStartArray("revoked");
            foreach (var nonce in state.RevokedNonces)
            {
                writer.WriteStringValue(nonce);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteBoolean("apiEnabled", state.ApiEnabled);
            writer.WriteEndObject();
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static DemoFieldDefinition ReadDefinition(JsonElement d) => new(
        d.GetProperty("name").GetString()!,
        d.GetProperty("type").GetString()!,
        d.TryGetProperty("label", out var label) ? label.GetString() : null,
        d.TryGetProperty("length", out var length) && length.ValueKind == JsonValueKind.Number ? length.GetInt32() : null,
        d.TryGetProperty("picklistValues", out var values) && values.ValueKind == JsonValueKind.Array ? values.EnumerateArray().Select(v => v.GetString()!).ToList() : null,
        d.TryGetProperty("referenceTo", out var target) ? target.GetString() : null,
        d.TryGetProperty("relationshipName", out var relationship) ? relationship.GetString() : null);

    /// <summary>Values come back as JSON primitives; the org converts them with the field's current type.</summary>
    private static object? Raw(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => value.TryGetInt64(out var l) ? l : value.GetDouble(),
        _ => null,
    };
}
