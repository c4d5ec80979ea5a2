using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Features.Destinations;

/// <summary>How pages name a Segment region.</summary>
public static class RegionLabel
{
    public static string Short(SegmentRegion region) => region == SegmentRegion.Eu ? "EU" : "US";

    public static string Long(SegmentRegion region) => region == SegmentRegion.Eu
        ? "EU (events.eu1.segmentapis.com)"
        : "US (api.segment.io)";
}
