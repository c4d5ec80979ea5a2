namespace UnifyAdmin.Core.Segment;

/// <summary>Settings of the Segment clients (section <c>Segment</c>).</summary>
public sealed class SegmentOptions
{
    public const string SectionName = "Segment";

    /// <summary>Attempts per batch, the first included, before its messages are reported failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First back-off after a 5xx or network error; it doubles per attempt, with jitter.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A Retry-After longer than this is not waited for: the batch fails instead.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Body budget per <c>/v1/batch</c> request, envelope included; must stay under 500 KB.</summary>
    public int MaxBatchBytes { get; set; } = SegmentBatcher.DefaultMaxBatchBytes;

    public int MaxMessagesPerBatch { get; set; } = SegmentBatcher.MaxMessagesLimit;

    /// <summary>Attempts per Profile API request when it answers 429.</summary>
    public int ProfileApiMaxAttempts { get; set; } = 4;

    public string LibraryName { get; set; } = "unifyadmin";

    public string LibraryVersion { get; set; } = typeof(SegmentOptions).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";
}
