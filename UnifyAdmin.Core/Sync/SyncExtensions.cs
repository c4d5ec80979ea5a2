using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Sync;

/// <summary>Registers the sync engine and its Quartz scheduler (persistent store in the app's database, or in PostgreSQL).</summary>
public static class SyncExtensions
{
    public static IServiceCollection AddSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.SectionName)
            .Validate(o => o.PageSize is >= 200 and <= 2000, $"{SyncOptions.SectionName}:PageSize must be between 200 and 2000.")
            .Validate(o => o.Lookback >= TimeSpan.Zero, $"{SyncOptions.SectionName}:Lookback must not be negative.")
            .Validate(o => o.RunRetentionDays >= 1, $"{SyncOptions.SectionName}:RunRetentionDays must be at least 1.")
            .Validate(o => o.MaxRecordAttempts >= 1, $"{SyncOptions.SectionName}:MaxRecordAttempts must be at least 1.")
            .ValidateOnStart();
        var scheduling = configuration.GetSection(SchedulerOptions.SectionName).Get<SchedulerOptions>() ?? new SchedulerOptions();
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var provider = PersistenceExtensions.ParseProvider(database.Provider);
        var store = ParseStoreProvider(scheduling.Store.Provider);
        ValidateScheduling(scheduling, store, provider);

        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SyncEngine>();
        services.AddSingleton<SyncScheduler>();
        services.AddScoped<SyncControl>();
        services.AddTransient<SyncJob>();
        services.AddSingleton<Monitoring.IRetryRequester, SyncRetryRequester>();

        // The data folder is registered by AddPersistence; the scheduler's SQLite store is the app's database file.
        var dataDirectory = services.Select(d => d.ImplementationInstance).OfType<DataDirectory>().FirstOrDefault()
            ?? throw new InvalidOperationException("AddPersistence must be called before AddSync.");
        var connectionString = store == SchedulerStoreProvider.PostgreSql ? scheduling.Store.ConnectionString!
            : !string.IsNullOrWhiteSpace(database.ConnectionString) ? database.ConnectionString
            : new SqliteConnectionStringBuilder { DataSource = dataDirectory.File("unifyadmin.db") }.ToString();

        services.AddQuartz(q =>
        {
            q.UsePersistentStore(options =>
            {
                if (store == SchedulerStoreProvider.PostgreSql)
                {
                    options.UsePostgres(NpgsqlFactory.Instance, connectionString);
                }
                else if (provider == DatabaseProvider.SqlServer)
                {
                    options.UseSqlServer(connectionString);
                }
                else
                {
                    options.UseSqlite(connectionString);
                }

                // Quartz ships the DDL of each of these three and creates only what is missing (decisions 016 and 018).
                options.ProvisionSchema();
                options.UseSystemTextJsonSerializer(_ => { });
                if (scheduling.Clustered)
                {
                    options.UseClustering(c =>
                    {
                        c.CheckinInterval = scheduling.CheckinInterval;
                        c.CheckinMisfireThreshold = scheduling.CheckinInterval;
                    });
                }
            });
        });
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AutoStart = scheduling.Enabled;
        });
        services.AddHostedService<SyncScheduleBootstrapper>();
        return services;
    }

    /// <summary>Reads <c>Scheduler:Store:Provider</c>; a value it does not know stops the app with a message naming the key.</summary>
    public static SchedulerStoreProvider ParseStoreProvider(string? value)
    {
        if (!string.IsNullOrWhiteSpace(value) && !char.IsAsciiDigit(value.Trim()[0])
            && Enum.TryParse<SchedulerStoreProvider>(value, ignoreCase: true, out var store) && Enum.IsDefined(store))
        {
            return store;
        }

        throw Invalid("Store:Provider", $"Scheduler:Store:Provider must be 'Database' or 'PostgreSQL', not '{value}'.");
    }

    private static void ValidateScheduling(SchedulerOptions scheduling, SchedulerStoreProvider store, DatabaseProvider provider)
    {
        if (store == SchedulerStoreProvider.PostgreSql && string.IsNullOrWhiteSpace(scheduling.Store.ConnectionString))
        {
            throw Invalid("Store:ConnectionString", "Scheduler:Store:ConnectionString is required when Scheduler:Store:Provider is PostgreSQL.");
        }

        if (scheduling.Clustered && store == SchedulerStoreProvider.Database && provider == DatabaseProvider.Sqlite)
        {
            throw Invalid("Clustered",
                "Scheduler:Clustered needs a scheduler store that several instances share with row locks: SQL Server (Database:Provider=SqlServer) "
                + "or PostgreSQL (Scheduler:Store:Provider=PostgreSQL). SQLite cannot give the scheduler those locks; run one instance with SQLite.");
        }

        if (scheduling.CheckinInterval < TimeSpan.FromSeconds(1) || scheduling.CheckinInterval > TimeSpan.FromMinutes(5))
        {
            throw Invalid("CheckinInterval", "Scheduler:CheckinInterval must be between 00:00:01 and 00:05:00.");
        }
    }

    private static OptionsValidationException Invalid(string key, string message)
        => new($"{SchedulerOptions.SectionName}:{key}", typeof(SchedulerOptions), [message]);
}
