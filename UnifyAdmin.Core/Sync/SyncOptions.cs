namespace UnifyAdmin.Core.Sync;

/// <summary>Settings of the sync engine (section <c>Sync</c>).</summary>
public sealed class SyncOptions
{
    public const string SectionName = "Sync";

    /// <summary>How far before the saved cursor each incremental read starts (rows commit late, timestamps tie).</summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rows asked per query page (200 to 2,000; Salesforce may send fewer).</summary>
    public int PageSize { get; set; } = 2000;

    /// <summary>Runs older than this are deleted.</summary>
    public int RunRetentionDays { get; set; } = 90;

    /// <summary>A failed record is given up after this many failed runs…</summary>
    public int MaxRecordAttempts { get; set; } = 5;

    /// <summary>…or this long after it first failed.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(14);

    /// <summary>At most one API usage sample per source in this interval.</summary>
    public TimeSpan UsageSampleInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Ids per re-read query of failed records (keeps the URI under Salesforce's limit).</summary>
    public int RetryChunkSize { get; set; } = 200;
}

/// <summary>Settings of the in-process scheduler (section <c>Scheduler</c>).</summary>
public sealed class SchedulerOptions
{
    public const string SectionName = "Scheduler";

    /// <summary>False stores schedules but runs no job in this instance (e.g. a maintenance tool over the same database).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>True when several instances share one SQL Server database; never with SQLite.</summary>
    public bool Clustered { get; set; }
}
