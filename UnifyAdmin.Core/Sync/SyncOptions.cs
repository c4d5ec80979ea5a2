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

    /// <summary>True when several instances share one scheduler store (SQL Server or PostgreSQL); never with SQLite.</summary>
    public bool Clustered { get; set; }

    /// <summary>How often a clustered instance tells the others it is alive; they take over its runs once it is late by about as much again.</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);

    /// <summary>Where the scheduler keeps jobs, triggers and cluster check-ins.</summary>
    public SchedulerStoreOptions Store { get; set; } = new();
}

/// <summary>The scheduler's persistent store (section <c>Scheduler:Store</c>).</summary>
public sealed class SchedulerStoreOptions
{
    /// <summary><c>Database</c> (the app's own database, the default) or <c>PostgreSQL</c>.</summary>
    public string Provider { get; set; } = nameof(SchedulerStoreProvider.Database);

    /// <summary>The PostgreSQL server's connection string; required with <c>PostgreSQL</c>, unused otherwise.</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>Where Quartz keeps its tables.</summary>
public enum SchedulerStoreProvider
{
    /// <summary>The app's database (SQLite or SQL Server, from <c>Database:Provider</c>).</summary>
    Database,

    /// <summary>A PostgreSQL database of its own, while the app's data stays in the app's database.</summary>
    PostgreSql,
}
