namespace UnifyAdmin.Core.Sources;

/// <summary>Rules of Selective Sync that hold everywhere.</summary>
public static class SelectiveSync
{
    /// <summary>Columns every synced collection includes: the record's identity and the incremental cursor.</summary>
    public static readonly IReadOnlyList<string> AlwaysIncluded = ["Id", "SystemModstamp"];

    /// <summary>Object name endings that are change feeds, history or sharing tables: never useful as profile sources.</summary>
    public static readonly IReadOnlyList<string> NoiseSuffixes = ["ChangeEvent", "History", "Share", "Feed", "__Tag", "__hd", "__mdt", "__e"];

    public static bool IsNoise(string objectName)
        => NoiseSuffixes.Any(s => objectName.EndsWith(s, StringComparison.Ordinal));

    /// <summary>The picked columns with Id and SystemModstamp first, no duplicates, in a stable order.</summary>
    public static List<string> Normalize(IEnumerable<string> columns)
        => AlwaysIncluded.Concat(columns.Where(c => !AlwaysIncluded.Contains(c)).Distinct(StringComparer.Ordinal)).ToList();
}

/// <summary>A queryable collection offered in the Selective Sync picker.</summary>
public sealed record CollectionInfo(string Name, string Label, bool Custom);

/// <summary>A column offered in the picker, with its Salesforce type.</summary>
public sealed record ColumnInfo(string Name, string Label, string Type, bool AlwaysIncluded, bool Calculated);
