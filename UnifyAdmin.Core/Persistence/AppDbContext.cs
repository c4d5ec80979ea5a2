using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace UnifyAdmin.Core.Persistence;

/// <summary>The application's database: Identity, Data Protection keys and UnifyAdmin's own entities.</summary>
public abstract class AppDbContext(DbContextOptions options)
    : IdentityDbContext<AppUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Sources.Source> Sources => Set<Sources.Source>();

    public DbSet<Destinations.Destination> Destinations => Set<Destinations.Destination>();

    public DbSet<Models.DataModel> Models => Set<Models.DataModel>();

    public DbSet<Mappings.Mapping> Mappings => Set<Mappings.Mapping>();

    public DbSet<Sync.SyncRun> SyncRuns => Set<Sync.SyncRun>();

    public DbSet<Sync.SyncRunMapping> SyncRunMappings => Set<Sync.SyncRunMapping>();

    public DbSet<Sync.RecordState> RecordStates => Set<Sync.RecordState>();

    public DbSet<Sync.RecordError> RecordErrors => Set<Sync.RecordError>();

    public DbSet<Sync.ApiUsageSample> ApiUsageSamples => Set<Sync.ApiUsageSample>();

    public DbSet<Sync.SchemaNotice> SchemaNotices => Set<Sync.SchemaNotice>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(64);
    }
}

/// <summary>The SQLite flavour of <see cref="AppDbContext"/>, with its own migration set.</summary>
public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite cannot compare or order DateTimeOffset values; store them as sortable UTC ticks.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
    }
}

/// <summary>The SQL Server flavour of <see cref="AppDbContext"/>, with its own migration set.</summary>
public sealed class SqlServerAppDbContext(DbContextOptions<SqlServerAppDbContext> options) : AppDbContext(options);
