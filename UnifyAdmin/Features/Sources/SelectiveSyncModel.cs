using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Features.Sources;

/// <summary>The picker's working copy of a Selective Sync: which collections, which columns.</summary>
public sealed class SelectiveSyncModel
{
    private readonly Dictionary<string, (CollectionInfo Collection, HashSet<string> Columns)> picked = new(StringComparer.Ordinal);

    public DateTime? HistoricalSince { get; set; }

    /// <summary>True: the first sync reads all time, whatever <see cref="HistoricalSince"/> holds.</summary>
    public bool AllTime { get; set; } = true;

    public const string MissingDateMessage = "Pick the date to read changes since, or choose All time.";

    /// <summary>Why the historical range cannot be saved, or null: "since a date" needs the date.</summary>
    public string? HistoricalRangeProblem => !AllTime && HistoricalSince is null ? MissingDateMessage : null;

    public IEnumerable<string> PickedCollections => picked.Keys.Order(StringComparer.Ordinal);

    public bool IsPicked(string collection) => picked.ContainsKey(collection);

    public IReadOnlySet<string> ColumnsOf(string collection)
        => picked.TryGetValue(collection, out var entry) ? entry.Columns : new HashSet<string>();

    public void SetColumn(CollectionInfo collection, string column, bool on)
    {
        if (!picked.TryGetValue(collection.Name, out var entry))
        {
            entry = (collection, new HashSet<string>(SelectiveSync.AlwaysIncluded, StringComparer.Ordinal));
            picked[collection.Name] = entry;
        }

        if (SelectiveSync.AlwaysIncluded.Contains(column))
        {
            return;
        }

        if (on)
        {
            entry.Columns.Add(column);
        }
        else
        {
            entry.Columns.Remove(column);
        }
    }

    public void SetAll(CollectionInfo collection, IEnumerable<string> columns)
    {
        picked[collection.Name] = (collection, new HashSet<string>(SelectiveSync.AlwaysIncluded.Concat(columns), StringComparer.Ordinal));
    }

    public void Remove(string collection) => picked.Remove(collection);

    public static SelectiveSyncModel From(IEnumerable<SourceCollection> collections, DateTimeOffset? since)
    {
        var model = new SelectiveSyncModel { HistoricalSince = since?.UtcDateTime.Date, AllTime = since is null };
        foreach (var c in collections)
        {
            model.SetAll(new CollectionInfo(c.Name, c.Label ?? c.Name, c.Custom), c.Columns);
        }

        return model;
    }

    /// <summary>A working copy of picks kept with a connect attempt; <paramref name="allTime"/> as the admin left it.</summary>
    public static SelectiveSyncModel From(SelectiveSyncInput input, bool allTime)
    {
        var model = new SelectiveSyncModel { HistoricalSince = input.HistoricalSince?.UtcDateTime.Date, AllTime = allTime };
        foreach (var c in input.Collections)
        {
            model.SetAll(new CollectionInfo(c.Name, c.Label ?? c.Name, c.Custom), c.Columns);
        }

        return model;
    }

    /// <summary>The picks as they stand, the date kept even when all time is chosen (to restore the form as it was).</summary>
    public SelectiveSyncInput ToDraft()
    {
        var input = ToInput();
        input.HistoricalSince = HistoricalSince is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d.Date, DateTimeKind.Utc)) : null;
        return input;
    }

    public SelectiveSyncInput ToInput() => new()
    {
        Collections = picked.Values
            .OrderBy(v => v.Collection.Name, StringComparer.Ordinal)
            .Select(v => new SelectedCollectionInput(v.Collection.Name, v.Collection.Label, v.Collection.Custom, SelectiveSync.Normalize(v.Columns)))
            .ToList(),
        HistoricalSince = !AllTime && HistoricalSince is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d.Date, DateTimeKind.Utc)) : null,
    };
}
