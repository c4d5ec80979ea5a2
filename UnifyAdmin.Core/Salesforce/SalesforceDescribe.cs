namespace UnifyAdmin.Core.Salesforce;

/// <summary>One REST API version the org offers, from <c>GET /services/data/</c>.</summary>
public sealed record SalesforceApiVersion(string Label, string Url, string Version);

/// <summary>The org's object list, from <c>GET sobjects/</c>.</summary>
public sealed record SalesforceDescribeGlobal(string? Encoding, int MaxBatchSize, IReadOnlyList<SalesforceObjectSummary> Sobjects);

/// <summary>One object in the describe-global list.</summary>
public sealed record SalesforceObjectSummary(
    string Name,
    string? Label,
    string? LabelPlural,
    bool Custom,
    bool Queryable,
    bool Replicateable,
    bool Retrieveable,
    bool Createable,
    bool Updateable,
    bool Deletable,
    string? KeyPrefix)
{
    // Change feeds, history, sharing, tag and metadata tables: never useful as profile sources.
    private static readonly string[] NoiseSuffixes = ["ChangeEvent", "History", "Share", "Feed", "__Tag", "__hd", "__mdt", "__e"];

    /// <summary>True when the object can be synced and is not change-event, history, share or feed noise.</summary>
    public bool IsSyncCandidate => Queryable && !NoiseSuffixes.Any(s => Name.EndsWith(s, StringComparison.Ordinal));
}

/// <summary>One object's describe, from <c>GET sobjects/{Name}/describe/</c>.</summary>
public sealed record SalesforceObjectDescribe(
    string Name,
    string? Label,
    string? LabelPlural,
    bool Custom,
    bool Queryable,
    bool Replicateable,
    string? KeyPrefix,
    IReadOnlyList<SalesforceField> Fields)
{
    // Keyed by the list it was built from, because `with` copies this field along with Fields.
    private (IReadOnlyList<SalesforceField> Source, Dictionary<string, SalesforceField> Map)? byName;

    /// <summary>The field of that name (case-insensitive), or null.</summary>
    public SalesforceField? FindField(string name)
    {
        if (byName is not { } index || !ReferenceEquals(index.Source, Fields))
        {
            var map = new Dictionary<string, SalesforceField>(StringComparer.OrdinalIgnoreCase);
            foreach (var field in Fields)
            {
                map.TryAdd(field.Name, field);
            }

            byName = index = (Fields, map);
        }

        return index.Map.GetValueOrDefault(name);
    }

    /// <summary>The reference field whose <c>relationshipName</c> matches (case-insensitive), or null.</summary>
    public SalesforceField? FindRelationship(string relationshipName)
        => Fields.FirstOrDefault(f => string.Equals(f.RelationshipName, relationshipName, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One field of an object's describe.</summary>
public sealed record SalesforceField(
    string Name,
    string? Label,
    string Type,
    int Length,
    bool Nillable,
    bool Custom,
    bool Calculated,
    IReadOnlyList<string>? ReferenceTo,
    string? RelationshipName,
    string? CompoundFieldName,
    IReadOnlyList<SalesforcePicklistValue>? PicklistValues,
    bool Filterable,
    bool Sortable,
    bool Unique,
    bool ExternalId,
    bool IdLookup);

/// <summary>One value of a picklist field.</summary>
public sealed record SalesforcePicklistValue(string Value, string? Label, bool Active, bool DefaultValue);

/// <summary>One org limit from <c>GET limits/</c>.</summary>
public sealed record SalesforceLimit(long Max, long Remaining);

/// <summary>Ids changed in a window, from <c>GET sobjects/{Name}/updated/</c>.</summary>
public sealed record SalesforceUpdatedResult(IReadOnlyList<string> Ids, DateTimeOffset? LatestDateCovered);

/// <summary>Records deleted in a window, from <c>GET sobjects/{Name}/deleted/</c>.</summary>
public sealed record SalesforceDeletedResult(
    IReadOnlyList<SalesforceDeletedRecord> DeletedRecords,
    DateTimeOffset? EarliestDateAvailable,
    DateTimeOffset? LatestDateCovered);

/// <summary>One deleted record id and when it was deleted.</summary>
public sealed record SalesforceDeletedRecord(string Id, DateTimeOffset DeletedDate);

/// <summary>One page of query results: rows plus where the next page is.</summary>
public sealed record SalesforceQueryPage(long TotalSize, bool Done, string? NextRecordsUrl, IReadOnlyList<SalesforceRecord> Records);
