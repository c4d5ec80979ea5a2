using System.Collections.Concurrent;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Core.Sync;

/// <summary>
/// The describes each source's last run saw, kept in memory for the next run's drift check (a
/// <see cref="DescribeCache"/> per source, handed on to each run's client): an unchanged collection costs a
/// 304 with no body. After a restart the first run downloads them again.
/// </summary>
internal sealed class SyncDescribes
{
    private readonly ConcurrentDictionary<Guid, DescribeCache> bySource = new();

    /// <summary>The collection's describe and its parents that <paramref name="fieldPaths"/> reach, revalidated; with the calls it cost.</summary>
    public async Task<(ModelSchema Schema, int Calls)> LoadSchemaAsync(Guid sourceId, ISalesforceClient client, string collection, IEnumerable<string> fieldPaths, CancellationToken ct)
    {
        var cache = bySource.AddOrUpdate(sourceId, _ => new DescribeCache(client), (_, known) => known.Client == client ? known : known.WithClient(client));
        var before = cache.Calls;
        var schema = await cache.LoadSchemaAsync(collection, fieldPaths, revalidate: true, ct);
        return (schema, cache.Calls - before);
    }
}
