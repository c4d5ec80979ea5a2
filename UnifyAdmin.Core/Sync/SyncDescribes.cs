using System.Collections.Concurrent;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Core.Sync;

/// <summary>
/// The describes each source's last run saw, kept in memory for the next run's drift check: it sends their
/// <c>Last-Modified</c> as <c>If-Modified-Since</c>, so an unchanged collection costs a 304 with no body.
/// After a restart the first run downloads them again.
/// </summary>
internal sealed class SyncDescribes
{
    private readonly ConcurrentDictionary<(Guid Source, string Collection), Entry> entries = new();

    /// <summary>The collection's describe and its parents that <paramref name="fieldPaths"/> reach; counts each call made.</summary>
    public async Task<(ModelSchema Schema, int Calls)> LoadSchemaAsync(Guid sourceId, ISalesforceClient client, string collection, IEnumerable<string> fieldPaths, CancellationToken ct)
    {
        var describe = await GetAsync(sourceId, client, collection, ct);
        var calls = 1;
        var parents = new Dictionary<string, SalesforceObjectDescribe>(StringComparer.OrdinalIgnoreCase);
        foreach (var relationship in fieldPaths.Where(p => p.Contains('.', StringComparison.Ordinal))
                     .Select(p => p[..p.IndexOf('.', StringComparison.Ordinal)]).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (describe.FindRelationship(relationship) is { ReferenceTo: [var target, ..] } reference)
            {
                parents[reference.RelationshipName!] = await GetAsync(sourceId, client, target, ct);
                calls++;
            }
        }

        return (new ModelSchema(describe, parents), calls);
    }

    private async Task<SalesforceObjectDescribe> GetAsync(Guid sourceId, ISalesforceClient client, string name, CancellationToken ct)
    {
        var key = (sourceId, name.ToUpperInvariant());
        entries.TryGetValue(key, out var known);
        var answer = await client.DescribeIfModifiedAsync(name, known?.LastModified, ct);
        if (answer.Describe is null && known is not null)
        {
            return known.Describe;
        }

        var describe = answer.Describe ?? await client.DescribeAsync(name, ct);
        if (answer.LastModified is { } modified)
        {
            entries[key] = new Entry(describe, modified);
        }
        else
        {
            entries.TryRemove(key, out _);
        }

        return describe;
    }

    private sealed record Entry(SalesforceObjectDescribe Describe, DateTimeOffset LastModified);
}
