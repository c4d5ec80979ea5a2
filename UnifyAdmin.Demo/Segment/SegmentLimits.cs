namespace UnifyAdmin.Demo.Segment;

/// <summary>
/// Segment's published limits, as the demo workspace enforces them. Stated here from Segment's
/// documentation on purpose, not imported from the client, so that a wrong assumption in one cannot
/// hide in the other.
/// </summary>
internal static class SegmentLimits
{
    /// <summary>"32 KB per call": a larger message is refused with 400.</summary>
    public const int MaxMessageBytes = 32 * 1024;

    /// <summary>"500 KB per batch request": a larger request is refused with 400.</summary>
    public const int MaxRequestBytes = 500 * 1024;

    /// <summary>Identify calls with this many traits or more are dropped.</summary>
    public const int DroppedTraitCount = 300;
}
