namespace UnifyAdmin.Core.Sources;

/// <summary>Rules of Selective Sync that hold everywhere.</summary>
public static class SelectiveSync
{
    /// <summary>Columns every synced collection includes: the record's identity and the incremental cursor.</summary>
    public static readonly IReadOnlyList<string> AlwaysIncluded = ["Id", "SystemModstamp"];

    /// <summary>The picked columns with Id and SystemModstamp first, no duplicates, in a stable order.</summary>
    public static List<string> Normalize(IEnumerable<string> columns)
        => AlwaysIncluded.Concat(columns.Where(c => !AlwaysIncluded.Contains(c)).Distinct(StringComparer.Ordinal)).ToList();
}

/// <summary>A queryable collection offered in the Selective Sync picker.</summary>
public sealed record CollectionInfo(string Name, string Label, bool Custom);

/// <summary>A column offered in the picker, with its Salesforce type.</summary>
public sealed record ColumnInfo(string Name, string Label, string Type, bool AlwaysIncluded, bool Calculated);
