using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Sync;

/// <summary>Registers the sync engine and its Quartz scheduler (persistent store in the app's database).</summary>
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
        if (scheduling.Clustered && provider == DatabaseProvider.Sqlite)
        {
            throw new OptionsValidationException(
                $"{SchedulerOptions.SectionName}:Clustered", typeof(SchedulerOptions),
                ["Scheduler:Clustered needs SQL Server: SQLite cannot give the scheduler the row locks clustering needs. Run one instance with SQLite."]);
        }

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
        var connectionString = !string.IsNullOrWhiteSpace(database.ConnectionString)
            ? database.ConnectionString
            : new SqliteConnectionStringBuilder { DataSource = dataDirectory.File("unifyadmin.db") }.ToString();

        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                if (provider == DatabaseProvider.SqlServer)
                {
                    store.UseSqlServer(connectionString);
                }
                else
                {
                    store.UseSqlite(connectionString);
                }

                store.ProvisionSchema();
                store.UseSystemTextJsonSerializer(_ => { });
                if (scheduling.Clustered)
                {
                    store.UseClustering(_ => { });
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
}
