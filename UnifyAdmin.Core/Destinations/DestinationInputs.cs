using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Core.Destinations;

/// <summary>What an Admin types on the destination form (add and settings pages).</summary>
public sealed class DestinationInput
{
    public string Name { get; set; } = "";

    public SegmentRegion Region { get; set; } = SegmentRegion.Us;

    /// <summary>Optional override of the region's Tracking API base URL.</summary>
    public string? TrackingApiUrl { get; set; }

    /// <summary>Optional override of the region's Profile API base URL.</summary>
    public string? ProfileApiUrl { get; set; }

    /// <summary>The source the destination is added from (the source page links with <c>?sourceId=</c>).</summary>
    public Guid? SourceId { get; set; }

    /// <summary>The Settings tab's Enable destination switch; a new destination is always saved disabled.</summary>
    public bool Enabled { get; set; }

    /// <summary>The concurrency token the form was loaded with; empty for a new destination.</summary>
    public Guid Version { get; set; }

    public List<ProfileSpaceInput> Spaces { get; set; } = [new()];
}

/// <summary>One profile space row of the destination form.</summary>
public sealed class ProfileSpaceInput
{
    /// <summary>The saved row this input edits; null for a new row.</summary>
    public Guid? Id { get; set; }

    public string SpaceId { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Plaintext only while typing; blank on a saved row means "keep the saved key".</summary>
    public string? WriteKey { get; set; }

    /// <summary>Plaintext only while typing; blank on a saved row means "keep the saved token".</summary>
    public string? AccessToken { get; set; }

    /// <summary>The saved row has a write key, so the field may stay blank.</summary>
    public bool HasSavedWriteKey { get; set; }

    /// <summary>The saved row has an access token, so the field may stay blank to keep it.</summary>
    public bool HasSavedAccessToken { get; set; }
}
