using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Core.Destinations;

/// <summary>A Segment Profiles destination: region, endpoints, enabled flag and its profile spaces.</summary>
public sealed class Destination
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public SegmentRegion Region { get; set; }

    /// <summary>Overrides the region's Tracking API base URL (the demo workspace points it at the app's demo).</summary>
    public string? TrackingApiUrl { get; set; }

    /// <summary>Overrides the region's Profile API base URL.</summary>
    public string? ProfileApiUrl { get; set; }

    /// <summary>The source it was added from, if any.</summary>
    public Guid? SourceId { get; set; }

    /// <summary>Saved disabled; step 5 of the wizard enables it.</summary>
    public bool Enabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public Guid Version { get; set; }

    public List<ProfileSpace> Spaces { get; set; } = [];
}

/// <summary>A Unify profile space: id, name, the write key of its internal source, an optional Profile API token.</summary>
public sealed class ProfileSpace
{
    public Guid Id { get; set; }

    public Guid DestinationId { get; set; }

    /// <summary>Segment's space id, e.g. <c>spa_…</c>.</summary>
    public required string SpaceId { get; set; }

    public required string Name { get; set; }

    /// <summary>Encrypted with Data Protection; shown masked after saving.</summary>
    public required string WriteKeyProtected { get; set; }

    /// <summary>Encrypted with Data Protection; shown masked after saving.</summary>
    public string? AccessTokenProtected { get; set; }
}
