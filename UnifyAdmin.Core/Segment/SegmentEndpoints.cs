namespace UnifyAdmin.Core.Segment;

/// <summary>The data region a Segment workspace lives in; it is fixed per workspace.</summary>
public enum SegmentRegion
{
    Us,
    Eu,
}

/// <summary>Base URLs of the Tracking API and the Profile API for one destination.</summary>
public sealed record SegmentEndpoints(Uri Tracking, Uri Profiles)
{
    public static readonly Uri UsTracking = new("https://api.segment.io");
    public static readonly Uri EuTracking = new("https://events.eu1.segmentapis.com");
    public static readonly Uri UsProfiles = new("https://profiles.segment.com");
    public static readonly Uri EuProfiles = new("https://profiles.euw1.segment.com");

    /// <summary>
    /// The region's public endpoints, unless the destination carries overrides (the demo workspace
    /// points them at the app's own demo).
    /// </summary>
    public static SegmentEndpoints For(SegmentRegion region, Uri? trackingOverride = null, Uri? profileOverride = null)
    {
        var tracking = trackingOverride ?? (region == SegmentRegion.Eu ? EuTracking : UsTracking);
        var profiles = profileOverride ?? (region == SegmentRegion.Eu ? EuProfiles : UsProfiles);
        return new SegmentEndpoints(tracking, profiles);
    }

    /// <summary>Joins a base URL (which may carry a path such as <c>/demo/segment</c>) and an API path.</summary>
    internal static Uri Combine(Uri baseUri, string path)
        => new(baseUri.ToString().TrimEnd('/') + "/" + path.TrimStart('/'));
}
