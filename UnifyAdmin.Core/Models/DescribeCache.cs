using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Core.Models;

/// <summary>
/// The describes of one editing session. A describe is fetched once; later reads use the copy until a
/// caller asks to revalidate, which sends <c>If-Modified-Since</c> so an unchanged object costs a 304
/// and no body. Counts every call it makes, for the session's API cost.
/// </summary>
public sealed class DescribeCache(ISalesforceClient client)
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim gate = new(1, 1);

    private DescribeCache(ISalesforceClient client, IEnumerable<KeyValuePair<string, Entry>> known)
        : this(client)
    {
        foreach (var (name, entry) in known)
        {
            entries[name] = entry with { Revalidated = false };
        }
    }

    /// <summary>REST calls made for describes (304s included: Salesforce counts them too).</summary>
    public int Calls { get; private set; }

    /// <summary>How many revalidations Salesforce answered with 304 Not Modified.</summary>
    public int NotModified { get; private set; }

    public ISalesforceClient Client => client;

    /// <summary>The object's describe: the session's copy, or (with <paramref name="revalidate"/>) one checked against the org.</summary>
    public async Task<SalesforceObjectDescribe> GetAsync(string objectName, bool revalidate, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (entries.TryGetValue(objectName, out var entry) && (!revalidate || entry.Revalidated))
            {
                return entry.Describe;
            }

            Calls++;
            var answer = await client.DescribeIfModifiedAsync(objectName, entry?.LastModified, ct);
            if (answer.Describe is null && entry is not null)
            {
                NotModified++;
                entries[objectName] = entry with { Revalidated = true };
                return entry.Describe;
            }

            var describe = answer.Describe ?? await client.DescribeAsync(objectName, ct);
            entries[objectName] = new Entry(describe, answer.LastModified, Revalidated: true);
            return describe;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// A cache for another client of the same org (a later sync run's) that starts from these copies, each to be
    /// checked against the org on its next revalidating read: an unchanged object then costs a 304.
    /// </summary>
    public DescribeCache WithClient(ISalesforceClient other)
    {
        gate.Wait();
        try
        {
            return new DescribeCache(other, entries.ToList());
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Marks every copy as needing a check against the org on its next revalidating read.</summary>
    public void MarkStale()
    {
        foreach (var (name, entry) in entries.ToList())
        {
            entries[name] = entry with { Revalidated = false };
        }
    }

    /// <summary>
    /// The collection's describe and the parents that <paramref name="fieldPaths"/> reach through a lookup.
    /// A parent that cannot be described is left out, so its fields show as missing.
    /// </summary>
    public async Task<ModelSchema> LoadSchemaAsync(string collection, IEnumerable<string> fieldPaths, bool revalidate, CancellationToken ct)
    {
        if (revalidate)
        {
            MarkStale();
        }

        var describe = await GetAsync(collection, revalidate, ct);
        var parents = new Dictionary<string, SalesforceObjectDescribe>(StringComparer.OrdinalIgnoreCase);
        foreach (var relationship in fieldPaths.Where(p => p.Contains('.', StringComparison.Ordinal))
                     .Select(p => p[..p.IndexOf('.', StringComparison.Ordinal)]).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (describe.FindRelationship(relationship) is { ReferenceTo: [var target] } reference)
            {
                parents[reference.RelationshipName!] = await GetAsync(target, revalidate, ct);
            }
        }

        return new ModelSchema(describe, parents);
    }

    private sealed record Entry(SalesforceObjectDescribe Describe, DateTimeOffset? LastModified, bool Revalidated);
}
