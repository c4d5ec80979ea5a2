using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Models;

namespace UnifyAdmin.Core.Sync;

/// <summary>A mapping whose source, destination and mapping status are all enabled, with what a run needs to send for it.</summary>
internal sealed class SyncFlow(Mapping mapping, DataModel model, Destination destination, ProfileSpace space)
{
    public Mapping Mapping { get; } = mapping;

    public DataModel Model { get; } = model;

    public Destination Destination { get; } = destination;

    public ProfileSpace Space { get; } = space;

    public Uri Tracking { get; set; } = null!;

    public string WriteKey { get; set; } = "";

    public MappingMessageBuilder Builder { get; set; } = null!;

    public SyncRunMapping Counts { get; set; } = null!;

    /// <summary>True while the mapping reads for the first time: no record state exists to compare with.</summary>
    public bool Fresh { get; set; }

    /// <summary>The model fields this mapping reads: a schema change to one of them pauses the mapping.</summary>
    public IReadOnlySet<string> MappedFields { get; } = MappedFieldsOf(mapping);

    public static HashSet<string> MappedFieldsOf(Mapping mapping)
    {
        var fields = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in new[] { mapping.UserIdField, mapping.AnonymousIdField, mapping.GroupIdField, mapping.TimestampField })
        {
            if (!string.IsNullOrEmpty(field))
            {
                fields.Add(field);
            }
        }

        foreach (var trait in mapping.Traits)
        {
            if (!string.IsNullOrEmpty(trait.Field))
            {
                fields.Add(trait.Field);
            }
        }

        return fields;
    }
}

/// <summary>Ends a run early at a checkpoint, with the state and the reason an admin reads.</summary>
internal sealed class SyncStopException(SyncRunState state, string reason) : Exception(reason)
{
    public SyncRunState State { get; } = state;

    public string Reason { get; } = reason;
}

/// <summary>The cursor: (SystemModstamp, Id), ordered by both.</summary>
internal readonly record struct SyncCursor(DateTimeOffset Modstamp, string Id) : IComparable<SyncCursor>
{
    public int CompareTo(SyncCursor other)
    {
        var byTime = Modstamp.UtcTicks.CompareTo(other.Modstamp.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(Id, other.Id);
    }
}
