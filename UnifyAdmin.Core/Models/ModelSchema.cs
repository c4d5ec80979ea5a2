using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Core.Models;

/// <summary>
/// The describes a model needs: its collection and the parents its dotted fields reach (one lookup
/// up). Builds the model's SOQL and field types the same way for the preview, the mapping tools and
/// the sync engine.
/// </summary>
public sealed class ModelSchema(SalesforceObjectDescribe collection, IReadOnlyDictionary<string, SalesforceObjectDescribe> parents)
{
    public SalesforceObjectDescribe Collection { get; } = collection;

    /// <summary>Parent describes by relationship name (e.g. <c>Account</c>).</summary>
    public IReadOnlyDictionary<string, SalesforceObjectDescribe> Parents { get; } = parents;

    /// <summary>Describes the collection and the parents reached by <paramref name="fieldPaths"/>.</summary>
    public static async Task<ModelSchema> LoadAsync(ISalesforceClient client, string collection, IEnumerable<string> fieldPaths, CancellationToken ct)
    {
        var describe = await client.DescribeAsync(collection, ct);
        var parents = new Dictionary<string, SalesforceObjectDescribe>(StringComparer.OrdinalIgnoreCase);
        foreach (var relationship in fieldPaths.Where(p => p.Contains('.', StringComparison.Ordinal)).Select(p => p[..p.IndexOf('.', StringComparison.Ordinal)]).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (describe.FindRelationship(relationship) is { ReferenceTo: [var target, ..] } reference)
            {
                parents[reference.RelationshipName!] = await client.DescribeAsync(target, ct);
            }
        }

        return new ModelSchema(describe, parents);
    }

    /// <summary>The field at a path (<c>Email</c> or <c>Account.Industry</c>), or null when the org has none.</summary>
    public SalesforceField? FindField(string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return Collection.FindField(path);
        }

        return Parents.TryGetValue(path[..dot], out var parent) ? parent.FindField(path[(dot + 1)..]) : null;
    }

    /// <summary>Field path → describe type, for the value converter and the message builder.</summary>
    public IReadOnlyDictionary<string, string> FieldTypes(IEnumerable<string> fieldPaths)
    {
        var types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in fieldPaths)
        {
            if (FindField(path) is { } field)
            {
                types[path] = field.Type;
            }
        }

        return types;
    }

    /// <summary>Compiles the model's filter against these describes.</summary>
    public CompiledFilter CompileFilter(ModelFilter? filter) => ModelFilterCompiler.Compile(filter, FindField);

    /// <summary>
    /// <c>SELECT</c> the fields <c>FROM</c> the collection <c>WHERE</c> the filter (plus <paramref name="extra"/>);
    /// unknown fields or a bad filter throw <see cref="SalesforceException"/>s with a message naming them.
    /// </summary>
    public SoqlQuery Query(IEnumerable<string> fieldPaths, ModelFilter? filter, SoqlCondition? extra = null)
    {
        var query = SoqlQuery.From(Collection);
        foreach (var (relationship, parent) in Parents)
        {
            query = query.WithRelationship(relationship, parent);
        }

        query = query.Select(fieldPaths);
        var compiled = CompileFilter(filter);
        if (!compiled.IsValid)
        {
            throw new ModelFilterException(string.Join(" ", compiled.Errors));
        }

        if (compiled.Condition is { } condition)
        {
            query = query.Where(condition);
        }

        return extra is null ? query : query.Where(extra);
    }
}

/// <summary>A model filter that does not compile against the org's schema now.</summary>
public sealed class ModelFilterException(string message) : SalesforceException(message);
