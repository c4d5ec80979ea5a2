using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Core.Sources;

/// <summary>What an org offers to Selective Sync, read live from the org (describe, count) each time it is asked.</summary>
public static class SourceCatalog
{
    public static async Task<IReadOnlyList<CollectionInfo>> ListCollectionsAsync(ISalesforceClient client, CancellationToken ct)
    {
        var global = await client.DescribeGlobalAsync(ct);
        return global.Sobjects
            .Where(o => o.IsSyncCandidate)
            .Select(o => new CollectionInfo(o.Name, o.Label ?? o.Name, o.Custom))
            .OrderBy(o => o.Label, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public static async Task<IReadOnlyList<ColumnInfo>> ListColumnsAsync(ISalesforceClient client, string collection, CancellationToken ct)
    {
        var describe = await client.DescribeAsync(collection, ct);
        return describe.Fields
            .Select(f => new ColumnInfo(f.Name, f.Label ?? f.Name, f.Type, SelectiveSync.AlwaysIncluded.Contains(f.Name), f.Calculated))
            .OrderBy(f => !f.AlwaysIncluded)
            .ThenBy(f => f.Label, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public static async Task<long> CountAsync(ISalesforceClient client, string collection, CancellationToken ct)
    {
        var describe = await client.DescribeAsync(collection, ct);
        return await client.CountAsync(SoqlQuery.From(describe).Count().ToSoql(), ct: ct);
    }
}
