namespace UnifyAdmin.Demo.Segment;

/// <summary>Settings of the demo Segment workspace (section <c>Demo:Segment</c>).</summary>
public sealed class SegmentDemoOptions
{
    public const string SectionName = "Demo:Segment";

    public string SpaceId { get; set; } = "spa_demo";

    public string SpaceName { get; set; } = "Demo space";

    public string WriteKey { get; set; } = "demo-write-key";

    public string AccessToken { get; set; } = "demo-access-token";

    /// <summary>Further spaces beside the default one.</summary>
    public List<SegmentDemoSpaceOptions> Spaces { get; set; } = [];

    /// <summary>JSON file the profile store is saved to and reloaded from; null keeps it in memory.</summary>
    public string? StatePath { get; set; }

    /// <summary>How often a changed store is saved to <see cref="StatePath"/> (it is also saved at shutdown).</summary>
    public TimeSpan SaveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Maps <c>/demo/segment/_control</c>; never outside Production anyway.</summary>
    public bool ControlApiEnabled { get; set; }

    /// <summary>Most <c>user_id</c> values one profile may hold.</summary>
    public int UserIdLimit { get; set; } = 1;

    /// <summary>Most values of any other identifier type one profile may hold.</summary>
    public int OtherIdentifierLimit { get; set; } = 5;

    /// <summary>Profile API requests per second per space before 429.</summary>
    public int ProfileApiRequestsPerSecond { get; set; } = 100;

    /// <summary>How long a messageId is remembered for deduplication.</summary>
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Most messageIds remembered per space; the oldest are forgotten first.</summary>
    public int MaxDedupEntries { get; set; } = 2_000_000;

    /// <summary>Most received messages kept for inspection (the newest are kept).</summary>
    public int MaxKeptMessages { get; set; } = 10_000;
}

/// <summary>One extra profile space of the demo workspace.</summary>
public sealed class SegmentDemoSpaceOptions
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string WriteKey { get; set; } = string.Empty;

    public string AccessToken { get; set; } = string.Empty;
}
