namespace UnifyAdmin.Core.Sync;

/// <summary>One execution of a source's syncs: its kind, state, timeline and what it cost.</summary>
public sealed class SyncRun
{
    public Guid Id { get; set; }

    public Guid SourceId { get; set; }

    public SyncRunKind Kind { get; set; }

    /// <summary>What started it: the schedule, an admin ("Sync now"), or a retry.</summary>
    public SyncTrigger Trigger { get; set; }

    public SyncRunState State { get; set; }

    /// <summary>Why the run ended as it did, in words an admin can act on.</summary>
    public string? Reason { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The COUNT estimate of records to read, for progress.</summary>
    public long? EstimatedRecords { get; set; }

    public long RecordsRead { get; set; }

    public long ApiCalls { get; set; }

    public long BytesSent { get; set; }

    /// <summary>Set by "Cancel"; the run stops at the next batch boundary.</summary>
    public bool CancelRequested { get; set; }

    public List<SyncRunMapping> Mappings { get; set; } = [];
}

/// <summary>The counts of one mapping in one run.</summary>
public sealed class SyncRunMapping
{
    public Guid Id { get; set; }

    public Guid RunId { get; set; }

    public Guid MappingId { get; set; }

    public SyncRunKind Kind { get; set; }

    public SyncRunState State { get; set; }

    public string? Reason { get; set; }

    public long RecordsRead { get; set; }

    public long MessagesSent { get; set; }

    public long Accepted { get; set; }

    public long Failed { get; set; }

    public long Deleted { get; set; }

    public long Retried { get; set; }

    public long GivenUp { get; set; }

    /// <summary>Records re-read whose payload had not changed since the last send, so nothing was sent.</summary>
    public long Unchanged { get; set; }
}

/// <summary>Per mapping, one row per record: what was last sent for it (backs retry, trace and skip-if-unchanged).</summary>
public sealed class RecordState
{
    public Guid MappingId { get; set; }

    public required string RecordId { get; set; }

    /// <summary>SystemModstamp of the version last sent (or attempted).</summary>
    public DateTimeOffset SystemModstamp { get; set; }

    /// <summary>Hash of the payload last accepted, to skip re-sending an unchanged record.</summary>
    public string? PayloadHash { get; set; }

    public string? MessageId { get; set; }

    public RecordSyncState State { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A record that could not be sent (or that Segment refused), kept until it succeeds or is given up.</summary>
public sealed class RecordError
{
    public long Id { get; set; }

    public Guid MappingId { get; set; }

    /// <summary>The run that last saw it fail.</summary>
    public Guid RunId { get; set; }

    public required string RecordId { get; set; }

    public required string Reason { get; set; }

    /// <summary>A bounded sample of the payload (secrets never appear in payloads).</summary>
    public string? PayloadSample { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public int Attempts { get; set; }

    public RecordErrorState State { get; set; }
}

/// <summary>A <c>Sforce-Limit-Info</c> reading kept for the API usage chart.</summary>
public sealed class ApiUsageSample
{
    public long Id { get; set; }

    public Guid SourceId { get; set; }

    public DateTimeOffset At { get; set; }

    public long Used { get; set; }

    public long Allowed { get; set; }
}

/// <summary>A schema change the engine noticed (drift): a paused mapping or a notice about unmapped fields.</summary>
public sealed class SchemaNotice
{
    public long Id { get; set; }

    public Guid SourceId { get; set; }

    public Guid ModelId { get; set; }

    /// <summary>The mapping it paused, when it paused one.</summary>
    public Guid? MappingId { get; set; }

    public required string Collection { get; set; }

    public required string Message { get; set; }

    public DateTimeOffset At { get; set; }

    public bool Resolved { get; set; }
}

public enum SyncRunKind
{
    Initial,
    Incremental,
    Retry,
}

public enum SyncTrigger
{
    Schedule,
    Manual,
    Retry,
}

public enum SyncRunState
{
    Running,
    Succeeded,

    /// <summary>Finished, but some records failed.</summary>
    Partial,
    Failed,

    /// <summary>Stopped at a checkpoint (API limit, API budget, drift, needs reconnect); resumes later.</summary>
    Paused,
    Cancelled,
}

public enum RecordSyncState
{
    Sent,
    Failed,
    GivenUp,
    Deleted,
}

public enum RecordErrorState
{
    Open,
    Resolved,
    GivenUp,
}
