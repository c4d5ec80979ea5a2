namespace UnifyAdmin.Core.Persistence;

/// <summary>Which database UnifyAdmin keeps its configuration, users and run history in.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>Sqlite</c> (embedded default) or <c>SqlServer</c> (production).</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>Empty means a SQLite file <c>unifyadmin.db</c> in the data folder.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations at start. Production deployments may run the idempotent script instead.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

/// <summary>The database engines UnifyAdmin supports.</summary>
public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>Where the application keeps its files (the SQLite database, the demo's state).</summary>
public sealed class StorageOptions
{
    /// <summary>Top-level key: <c>DataDirectory</c>. Relative paths are resolved against the app's content root.</summary>
    public const string Key = "DataDirectory";

    public const string DefaultFolder = "data";
}
