namespace UnifyAdmin.Core.Sources;

/// <summary>One connected Salesforce org: where it logs in, its encrypted credentials, its Selective Sync.</summary>
public sealed class Source
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public SalesforceLoginKind LoginKind { get; set; }

    /// <summary>The OAuth login host (production, test, a My Domain, or an org served by the app).</summary>
    public required string LoginHost { get; set; }

    public SalesforceAuthFlow AuthFlow { get; set; }

    public required string ClientId { get; set; }

    /// <summary>Encrypted with Data Protection; never shown after saving.</summary>
    public string? ClientSecretProtected { get; set; }

    public string? JwtUsername { get; set; }

    /// <summary>Encrypted with Data Protection; never shown after saving.</summary>
    public string? JwtPrivateKeyProtected { get; set; }

    /// <summary>Encrypted with Data Protection.</summary>
    public string? RefreshTokenProtected { get; set; }

    /// <summary>Encrypted with Data Protection.</summary>
    public string? AccessTokenProtected { get; set; }

    public string? InstanceUrl { get; set; }

    public string? OrgId { get; set; }

    public string? SalesforceUserId { get; set; }

    public string? SalesforceUsername { get; set; }

    public string? ApiVersion { get; set; }

    public SourceConnectionState ConnectionState { get; set; }

    /// <summary>Why the source needs reconnecting, in words an admin can act on.</summary>
    public string? ConnectionProblem { get; set; }

    /// <summary>New sources are saved disabled; data flows only once source, destination and mapping are all enabled.</summary>
    public bool Enabled { get; set; }

    /// <summary>Minutes between incremental syncs (15 to 1,440).</summary>
    public int SyncIntervalMinutes { get; set; } = 60;

    /// <summary>A Quartz cron expression that replaces the interval when set.</summary>
    public string? SyncCron { get; set; }

    /// <summary>The share of the org's daily API allowance the syncs may use (API budget guard).</summary>
    public int ApiBudgetPercent { get; set; } = 50;

    /// <summary>Null means all time; otherwise the initial sync reads records modified since this instant.</summary>
    public DateTimeOffset? HistoricalSince { get; set; }

    public long? ApiUsed { get; set; }

    public long? ApiAllowed { get; set; }

    public DateTimeOffset? ApiUsageAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency: two admins editing one source cannot silently overwrite each other.</summary>
    public Guid Version { get; set; }

    public List<SourceCollection> Collections { get; set; } = [];
}

/// <summary>One collection (sObject) a source may read, and the columns chosen for it.</summary>
public sealed class SourceCollection
{
    public Guid Id { get; set; }

    public Guid SourceId { get; set; }

    public required string Name { get; set; }

    public string? Label { get; set; }

    public bool Custom { get; set; }

    public List<string> Columns { get; set; } = [];
}

/// <summary>Which login host a source uses.</summary>
public enum SalesforceLoginKind
{
    Production,
    Sandbox,
    MyDomain,

    /// <summary>An org served by this app itself under a path the app supplies (the demo org, when it is on).</summary>
    AppHosted,
}

/// <summary>How a source obtains its tokens.</summary>
public enum SalesforceAuthFlow
{
    /// <summary>A person signs in through the browser (web-server flow with PKCE).</summary>
    WebServer,
    ClientCredentials,
    JwtBearer,
}

/// <summary>Whether the app can currently call the org.</summary>
public enum SourceConnectionState
{
    Connected,
    NeedsReconnect,
}
