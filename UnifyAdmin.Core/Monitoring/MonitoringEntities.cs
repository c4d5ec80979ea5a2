namespace UnifyAdmin.Core.Monitoring;

/// <summary>One configuration change: who made it, when, to what, and the settings before and after.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The signed-in user's id; null for the system (jobs, start-up).</summary>
    public string? UserId { get; set; }

    /// <summary>The user's name as shown (email), or "system".</summary>
    public required string UserName { get; set; }

    /// <summary>What kind of thing changed, in words: Source, Destination, Mapping, User…</summary>
    public required string EntityType { get; set; }

    public required string EntityId { get; set; }

    /// <summary>A readable name of the thing, when it has one.</summary>
    public string? EntityName { get; set; }

    public AuditAction Action { get; set; }

    /// <summary>JSON array of <see cref="AuditChange"/>; secrets appear only as "changed".</summary>
    public required string Changes { get; set; }
}

/// <summary>One changed setting of an <see cref="AuditEntry"/>.</summary>
public sealed record AuditChange(string Setting, string? Before, string? After);

public enum AuditAction
{
    Added,
    Changed,
    Deleted,
}

/// <summary>An in-app notification (the bell): an alert that fired or a recovery notice.</summary>
public sealed class Notification
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public AlertKind Kind { get; set; }

    /// <summary>True for "back to normal" notices.</summary>
    public bool Recovery { get; set; }

    public required string Title { get; set; }

    public required string Message { get; set; }

    /// <summary>Where to fix it.</summary>
    public string? Link { get; set; }
}

/// <summary>
/// How far one user has read the notifications: every notification up to <see cref="LastReadId"/> is read
/// for that user and unread for everyone who has not opened them yet.
/// </summary>
public sealed class NotificationReadMarker
{
    public required string UserId { get; set; }

    /// <summary>The newest notification the user has seen; ids only grow, so older ones are read too.</summary>
    public long LastReadId { get; set; }

    public DateTimeOffset ReadAt { get; set; }
}

/// <summary>Whether one kind of alert is on for one flow (mapping), with its threshold where it has one.</summary>
public sealed class AlertRule
{
    public Guid Id { get; set; }

    public Guid MappingId { get; set; }

    public AlertKind Kind { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Percent for the threshold rules (failed records, discrepancy).</summary>
    public double? ThresholdPercent { get; set; }
}

/// <summary>The last known state of one alert condition, so only changes of state notify.</summary>
public sealed class AlertState
{
    /// <summary>Kind and subject, e.g. <c>RunFailed:source-guid</c>.</summary>
    public required string Key { get; set; }

    public AlertKind Kind { get; set; }

    public bool Active { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    public string? Message { get; set; }
}

/// <summary>The alert rules an admin can switch per flow.</summary>
public enum AlertKind
{
    RunFailed,
    PausedByDrift,
    ApiBudgetReached,
    NeedsReconnect,
    FailedRecordsAbove,
    DiscrepancyAbove,
    Test,
}

/// <summary>A URL that receives alerts as JSON (Slack-compatible <c>text</c>).</summary>
public sealed class WebhookEndpoint
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Encrypted with Data Protection: chat webhook URLs are credentials.</summary>
    public required string UrlProtected { get; set; }

    /// <summary>Scheme and host only, for display.</summary>
    public required string DisplayHost { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastDeliveredAt { get; set; }

    public string? LastError { get; set; }
}

/// <summary>An admin's request to retry a run's failed records; the sync engine picks it up.</summary>
public sealed class RetryRequest
{
    public long Id { get; set; }

    public Guid RunId { get; set; }

    public Guid SourceId { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public required string RequestedBy { get; set; }

    /// <summary>How many open errors the request covered.</summary>
    public long Records { get; set; }

    /// <summary>Set by the engine when it has run the retry.</summary>
    public DateTimeOffset? HandledAt { get; set; }
}

/// <summary>One discrepancy check of one flow: a random sample compared with the profiles.</summary>
public sealed class DiscrepancyCheck
{
    public Guid Id { get; set; }

    public Guid MappingId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public bool Scheduled { get; set; }

    public int Sampled { get; set; }

    public int Matched { get; set; }

    public int Differs { get; set; }

    public int ProfileMissing { get; set; }

    public int NotYetSynced { get; set; }

    /// <summary>Salesforce API calls the check spent.</summary>
    public int ApiCalls { get; set; }

    /// <summary>Why the check could not finish, in words an admin can act on.</summary>
    public string? Problem { get; set; }

    /// <summary>Share of compared records whose profile matches, in percent; null when none could be compared.</summary>
    public double? MatchPercent { get; set; }

    public List<DiscrepancySample> Samples { get; set; } = [];
}

/// <summary>One sampled record of a check and what was found.</summary>
public sealed class DiscrepancySample
{
    public long Id { get; set; }

    public Guid CheckId { get; set; }

    public required string RecordId { get; set; }

    public DiscrepancyOutcome Outcome { get; set; }

    /// <summary>JSON array of differing traits with both values.</summary>
    public string? Differences { get; set; }
}

public enum DiscrepancyOutcome
{
    Match,
    Differs,
    ProfileMissing,
    NotYetSynced,
}
