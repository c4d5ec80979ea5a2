using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Core.Models;

/// <summary>How serious a schema mark is: an error blocks saving, a warning and a hint do not.</summary>
public enum FieldMarkLevel
{
    Error,
    Warning,
    Hint,
}

/// <summary>One finding about one field of a model, in words an admin can act on.</summary>
public sealed record FieldMark(string Field, FieldMarkLevel Level, string Message);

/// <summary>Validates a model's fields against the org's describes now (and its preview rows).</summary>
public static class ModelSchemaCheck
{
    /// <summary>Marks per field: missing, not queryable, encrypted and base64 are errors; formulas and compound pairs warnings; always-null a hint.</summary>
    public static IReadOnlyList<FieldMark> Check(
        ModelSchema schema, IReadOnlyList<string> fieldPaths, IReadOnlyList<SalesforceRecord>? rows = null, IReadOnlyList<ModelFieldSnapshot>? snapshot = null)
    {
        var marks = new List<FieldMark>();
        var chosen = new HashSet<string>(fieldPaths, StringComparer.OrdinalIgnoreCase);
        foreach (var path in fieldPaths)
        {
            var dot = path.IndexOf('.', StringComparison.Ordinal);
            var owner = dot < 0 ? schema.Collection : schema.Parents.GetValueOrDefault(path[..dot]);
            var field = schema.FindField(path);
            if (owner is null || field is null)
            {
                var where = owner?.Name ?? (dot < 0 ? schema.Collection.Name : $"{schema.Collection.Name} (lookup {path[..dot]})");
                marks.Add(new FieldMark(path, FieldMarkLevel.Error, $"`{path}` no longer exists in {where}, or the connected user cannot see it. Remove it from the model."));
                continue;
            }

            if (!owner.Queryable)
            {
                marks.Add(new FieldMark(path, FieldMarkLevel.Error, $"{owner.Name} cannot be queried, so `{path}` cannot be read. Remove it from the model."));
                continue;
            }

            switch (field.Type.ToLowerInvariant())
            {
                case "encryptedstring":
                    marks.Add(new FieldMark(path, FieldMarkLevel.Error, $"`{path}` is encrypted (Shield Platform Encryption); its value cannot be synced. Remove it from the model."));
                    continue;
                case "base64":
                    marks.Add(new FieldMark(path, FieldMarkLevel.Error, $"`{path}` holds a file (base64), which profiles cannot take. Remove it from the model."));
                    continue;
            }

            if (snapshot?.FirstOrDefault(f => string.Equals(f.Name, path, StringComparison.OrdinalIgnoreCase)) is { } saved
                && !string.Equals(saved.Type, field.Type, StringComparison.OrdinalIgnoreCase))
            {
                marks.Add(new FieldMark(path, FieldMarkLevel.Error,
                    $"`{path}` changed type in the org from {saved.Type} to {field.Type} since the model was saved. Check the mappings that use it, then save the model again."));
            }

            if (field.Calculated)
            {
                marks.Add(new FieldMark(path, FieldMarkLevel.Warning,
                    $"`{path}` is a formula field: its value can change without moving SystemModstamp, so incremental syncs may miss the change until the record is edited."));
            }

            if (field.CompoundFieldName is { } compound && chosen.Contains(dot < 0 ? compound : path[..(dot + 1)] + compound))
            {
                marks.Add(new FieldMark(path, FieldMarkLevel.Warning,
                    $"`{path}` is part of `{compound}`, which the model also sends: the value goes out twice. Keep one of them."));
            }
        }

        if (rows is { Count: > 0 })
        {
            foreach (var path in fieldPaths.Where(p => schema.FindField(p) is not null && !marks.Any(m => m.Field == p && m.Level == FieldMarkLevel.Error)))
            {
                if (rows.All(r => r.GetPath(path) is null))
                {
                    marks.Add(new FieldMark(path, FieldMarkLevel.Hint, $"`{path}` is empty in every preview row. Check that it is the field you meant, or that the filter is not too narrow."));
                }
            }
        }

        return marks;
    }

    /// <summary>One line for lists: the worst mark and how many there are.</summary>
    public static ModelSchemaStatus Summarize(IReadOnlyList<FieldMark> marks)
    {
        var errors = marks.Count(m => m.Level == FieldMarkLevel.Error);
        var warnings = marks.Count(m => m.Level == FieldMarkLevel.Warning);
        return errors > 0 ? new ModelSchemaStatus(FieldMarkLevel.Error, errors == 1 ? "1 error" : $"{errors} errors", marks)
            : warnings > 0 ? new ModelSchemaStatus(FieldMarkLevel.Warning, warnings == 1 ? "1 warning" : $"{warnings} warnings", marks)
            : new ModelSchemaStatus(null, "Matches the org", marks);
    }
}

/// <summary>A model's schema against the org now: the worst level (null when all is well), a short text, the marks.</summary>
public sealed record ModelSchemaStatus(FieldMarkLevel? Worst, string Text, IReadOnlyList<FieldMark> Marks);
