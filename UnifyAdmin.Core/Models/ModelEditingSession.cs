using System.Text.Json;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Core.Models;

/// <summary>A field the model editor offers: one of the collection's Selective Sync columns, or a parent's through a lookup.</summary>
public sealed record ModelFieldOption(
    string Path, string Label, string Type, bool AlwaysIncluded, string? Relationship, IReadOnlyList<string> PicklistValues);

/// <summary>
/// The live preview of a model: the first rows the org matches now, each cell as the JSON value the
/// sync will send, the matching count, the schema marks, and messages that say what to fix.
/// </summary>
public sealed record ModelPreview(
    IReadOnlyList<string> Fields,
    IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows,
    long? MatchingRows,
    string? Soql,
    IReadOnlyList<FieldMark> Marks,
    IReadOnlyList<string> Errors,
    bool NeedsReconnect = false)
{
    // Readable JSON for people: the same value as on the wire, without \u escapes for quotes, '+' or accents.
    private static readonly JsonSerializerOptions Display = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A cell as JSON text: <c>"Ada"</c>, <c>true</c>, <c>null</c>, <c>["a","b"]</c>.</summary>
    public static string Json(object? value) => JsonSerializer.Serialize(value, Display);

    public bool HasErrors => Errors.Count > 0 || Marks.Any(m => m.Level == FieldMarkLevel.Error);
}

/// <summary>
/// One admin's editing of one source's models: a client, the session's describe cache and the API
/// calls the session has cost. Not thread-safe beyond what the cache guards; one per page.
/// </summary>
public sealed class ModelEditingSession(Guid sourceId, IReadOnlyList<SourceCollection> selectiveSync, ISalesforceClient client)
{
    /// <summary>Rows a preview shows.</summary>
    public const int PreviewRows = 25;

    private int queryCalls;

    public Guid SourceId { get; } = sourceId;

    /// <summary>The source's Selective Sync collections: the only ones a model may read.</summary>
    public IReadOnlyList<SourceCollection> Collections { get; } = selectiveSync;

    public DescribeCache Describes { get; } = new(client);

    /// <summary>REST calls this session made: describes (with 304s), queries and counts.</summary>
    public int ApiCalls => Describes.Calls + Volatile.Read(ref queryCalls);

    /// <summary>
    /// The collection's Selective Sync columns, then the Selective Sync columns of each parent reached
    /// through a single-target lookup whose collection is in Selective Sync too.
    /// </summary>
    public async Task<IReadOnlyList<ModelFieldOption>> FieldOptionsAsync(string collection, CancellationToken ct)
    {
        var own = Collections.FirstOrDefault(c => string.Equals(c.Name, collection, StringComparison.OrdinalIgnoreCase))
            ?? throw new ModelInputException($"{collection} is not in this source's Selective Sync. Add it there first.");
        var describe = await Describes.GetAsync(own.Name, revalidate: false, ct);
        var options = new List<ModelFieldOption>();
        foreach (var column in SelectiveSync.Normalize(own.Columns))
        {
            if (describe.FindField(column) is { } field)
            {
                options.Add(Option(field.Name, field, null));
            }
        }

        foreach (var lookup in describe.Fields.Where(f => f is { Type: "reference", RelationshipName: not null, ReferenceTo: [_] }))
        {
            var parent = Collections.FirstOrDefault(c => string.Equals(c.Name, lookup.ReferenceTo![0], StringComparison.OrdinalIgnoreCase));
            if (parent is null)
            {
                continue;
            }

            var parentDescribe = await Describes.GetAsync(parent.Name, revalidate: false, ct);
            foreach (var column in SelectiveSync.Normalize(parent.Columns))
            {
                if (parentDescribe.FindField(column) is { } field)
                {
                    options.Add(Option(lookup.RelationshipName + "." + field.Name, field, lookup.RelationshipName));
                }
            }
        }

        return options;
    }

    /// <summary>Whether a field path may be part of a model of <paramref name="collection"/> under Selective Sync.</summary>
    public bool IsAllowed(string collection, string path, SalesforceObjectDescribe describe)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return SelectiveSync.AlwaysIncluded.Contains(path, StringComparer.OrdinalIgnoreCase) || Columns(collection).Contains(path);
        }

        return describe.FindRelationship(path[..dot]) is { ReferenceTo: [var target] } && Columns(target).Contains(path[(dot + 1)..]);
    }

    /// <summary>
    /// Runs the preview: the first <see cref="PreviewRows"/> matching rows and <c>COUNT()</c>, two API calls when
    /// the describes are cached. With <paramref name="revalidate"/> the describes are checked against the org first.
    /// </summary>
    public async Task<ModelPreview> PreviewAsync(string collection, IReadOnlyList<string> fieldPaths, ModelFilter? filter, bool revalidate, CancellationToken ct)
    {
        var fields = SelectiveSync.Normalize(fieldPaths);
        try
        {
            return await RunPreviewAsync(collection, fields, filter, revalidate, ct);
        }
        catch (SalesforceApiException e) when (!revalidate && e.ErrorCode is "INVALID_FIELD" or "INVALID_TYPE" or "INVALID_QUERY_FILTER_OPERATOR")
        {
            // The org changed under the cached describes: check them again and say which field is gone.
            return await PreviewAsync(collection, fields, filter, revalidate: true, ct);
        }
        catch (Exception e) when (Message(e, SourceId) is { } message)
        {
            return new ModelPreview(fields, [], null, null, [], [message.Text], message.NeedsReconnect);
        }
    }

    /// <summary>A saved model's fields against the org's describes now, including type drift since it was saved.</summary>
    public async Task<ModelSchemaStatus> SchemaStatusAsync(DataModel model, bool revalidate, CancellationToken ct)
    {
        try
        {
            var schema = await Describes.LoadSchemaAsync(model.Collection, model.Fields, revalidate, ct);
            return ModelSchemaCheck.Summarize(ModelSchemaCheck.Check(schema, model.Fields, snapshot: model.SchemaSnapshot));
        }
        catch (Exception e) when (Message(e, SourceId) is { } message)
        {
            return new ModelSchemaStatus(FieldMarkLevel.Hint, "Not checked: " + message.Text, []);
        }
    }

    /// <summary>The SOQL a saved model compiles to now (no LIMIT): what the sync engine reads.</summary>
    public async Task<string> SoqlAsync(DataModel model, CancellationToken ct)
    {
        var schema = await Describes.LoadSchemaAsync(model.Collection, model.Fields, revalidate: false, ct);
        return schema.Query(model.Fields, model.Filter).ToSoql();
    }

    private async Task<ModelPreview> RunPreviewAsync(string collection, List<string> fields, ModelFilter? filter, bool revalidate, CancellationToken ct)
    {
        var schema = await Describes.LoadSchemaAsync(collection, fields, revalidate, ct);
        var marks = ModelSchemaCheck.Check(schema, fields);
        var compiled = schema.CompileFilter(filter);
        if (!compiled.IsValid)
        {
            return new ModelPreview(fields, [], null, null, marks, compiled.Errors);
        }

        var readable = fields.Where(f => !marks.Any(m => m.Level == FieldMarkLevel.Error && string.Equals(m.Field, f, StringComparison.OrdinalIgnoreCase))).ToList();
        var query = schema.Query(readable, filter);
        var rowsTask = ReadRowsAsync(query.Limit(PreviewRows).ToSoql(), ct);
        var countTask = CountAsync(query.Count().ToSoql(), ct);
        await Task.WhenAll(rowsTask, countTask);
        var rows = rowsTask.Result;
        var types = schema.FieldTypes(readable);
        var values = rows.Select(r => (IReadOnlyDictionary<string, object?>)readable.ToDictionary(
            f => f, f => SalesforceJsonValues.ToJsonValue(r.GetPath(f), types.GetValueOrDefault(f)), StringComparer.OrdinalIgnoreCase)).ToList();
        return new ModelPreview(fields, values, countTask.Result, query.ToSoql(), ModelSchemaCheck.Check(schema, fields, rows), []);
    }

    private async Task<List<SalesforceRecord>> ReadRowsAsync(string soql, CancellationToken ct)
    {
        var rows = new List<SalesforceRecord>();
        Interlocked.Increment(ref queryCalls);
        await foreach (var page in client.QueryPagesAsync(soql, ct: ct))
        {
            rows.AddRange(page.Records);
            break; // LIMIT 25 fits one page; never follow a locator for a preview.
        }

        return rows;
    }

    private async Task<long> CountAsync(string soql, CancellationToken ct)
    {
        Interlocked.Increment(ref queryCalls);
        return await client.CountAsync(soql, ct: ct);
    }

    /// <summary>What to tell an admin about a failed call to the org; null for errors that are bugs.</summary>
    public static (string Text, bool NeedsReconnect)? Message(Exception e, Guid sourceId) => e switch
    {
        SalesforceReconnectRequiredException r => ($"This source must be reconnected before the org can be read: {r.Reason}", true),
        SalesforceApiLimitExceededException => ("The org has used up its daily API allowance (REQUEST_LIMIT_EXCEEDED), so the preview cannot run now. Your choices are kept; try again when the 24-hour window rolls over.", false),
        ModelFilterException f => (f.Message, false),
        ModelInputException i => (i.Message, false),
        SoqlTooLongException t => (t.Message, false),
        SoqlUnknownNameException u => ($"{u.Message} Remove `{u.Name}` from the model or the filter.", false),
        SalesforceApiException { ErrorCode: "INVALID_FIELD" or "INVALID_TYPE" } api => ($"The org refused the query ({api.ErrorCode}: {api.SalesforceMessage}). Remove the field it names.", false),
        SalesforceApiException api => ($"Salesforce answered {(int)api.StatusCode} {api.ErrorCode}: {api.SalesforceMessage}. Try again; if it persists, check the org.", false),
        SalesforceHostException host => (host.Message + " Try again.", false),
        _ => null,
    };

    private HashSet<string> Columns(string collection)
        => new(Collections.FirstOrDefault(c => string.Equals(c.Name, collection, StringComparison.OrdinalIgnoreCase))?.Columns ?? [], StringComparer.OrdinalIgnoreCase);

    private static ModelFieldOption Option(string path, SalesforceField field, string? relationship) => new(
        path,
        relationship is null ? field.Label ?? field.Name : $"{relationship}: {field.Label ?? field.Name}",
        field.Type,
        relationship is null && SelectiveSync.AlwaysIncluded.Contains(field.Name),
        relationship,
        field.PicklistValues?.Where(p => p.Active).Select(p => p.Value).ToList() ?? []);
}

/// <summary>A model that does not fit the source (collection or field outside Selective Sync).</summary>
public sealed class ModelInputException(string message) : SalesforceException(message);
