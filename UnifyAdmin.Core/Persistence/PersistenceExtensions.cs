using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Core.Persistence;

/// <summary>Registers the database chosen by <c>Database:Provider</c>.</summary>
public static class PersistenceExtensions
{
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var provider = ParseProvider(options.Provider);
        var dataDirectory = ResolveDataDirectory(configuration, environment.ContentRootPath);

        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        services.AddSingleton(new DataDirectory(dataDirectory));

        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = string.IsNullOrWhiteSpace(options.ConnectionString)
                    ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "unifyadmin.db") }.ToString()
                    : options.ConnectionString;
                services.AddDbContextFactory<SqliteAppDbContext>(o => ConfigureSqlite(o, sqlite));
                services.AddSingleton<IDbContextFactory<AppDbContext>, AppDbContextFactory<SqliteAppDbContext>>();
                break;
            case DatabaseProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    throw new OptionsValidationException(
                        $"{DatabaseOptions.SectionName}:ConnectionString",
                        typeof(DatabaseOptions),
                        ["Database:ConnectionString is required when Database:Provider is SqlServer."]);
                }

                services.AddDbContextFactory<SqlServerAppDbContext>(o => ConfigureSqlServer(o, options.ConnectionString));
                services.AddSingleton<IDbContextFactory<AppDbContext>, AppDbContextFactory<SqlServerAppDbContext>>();
                break;
        }

        // Identity and Data Protection resolve a scoped context; it comes from the same factory.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());
        services.AddSingleton<DatabaseMigrator>();
        services.AddHealthChecks()
            .AddCheck<DatabaseReadyHealthCheck>("database", tags: [HealthTags.Ready]);
        return services;
    }

    internal static void ConfigureSqlite(DbContextOptionsBuilder builder, string connectionString)
    {
        var path = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (!string.IsNullOrEmpty(path) && path != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            CreatePrivately(folder, Path.GetFullPath(path));
        }

        builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable("__EFMigrationsHistory"));
    }

    /// <summary>
    /// Creates the database's folder and an empty database file readable by the app's user only (on Unix), before
    /// SQLite creates them with the process's umask; SQLite gives its journal files the database file's mode.
    /// Existing files and folders are left as they are.
    /// </summary>
    internal static void CreatePrivately(string folder, string file)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (!File.Exists(file))
        {
            try
            {
                using var _ = new FileStream(file, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another context created it first.
            }
        }
    }

    internal static void ConfigureSqlServer(DbContextOptionsBuilder builder, string connectionString)
        => builder.UseSqlServer(connectionString, o => o.EnableRetryOnFailure());

    /// <summary>Parses <c>Database:Provider</c>, naming the setting when the value is wrong.</summary>
    public static DatabaseProvider ParseProvider(string? value)
    {
        if (Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider) && Enum.IsDefined(provider))
        {
            return provider;
        }

        throw new OptionsValidationException(
            $"{DatabaseOptions.SectionName}:Provider",
            typeof(DatabaseOptions),
            [$"Database:Provider is '{value}', but it must be 'Sqlite' or 'SqlServer'."]);
    }

    public static string ResolveDataDirectory(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration[StorageOptions.Key];
        var folder = string.IsNullOrWhiteSpace(configured) ? StorageOptions.DefaultFolder : configured;
        return Path.GetFullPath(Path.IsPathRooted(folder) ? folder : Path.Combine(contentRoot, folder));
    }
}

/// <summary>The absolute folder that holds the application's files.</summary>
public sealed record DataDirectory(string Path)
{
    public string File(string name) => System.IO.Path.Combine(Path, name);
}

/// <summary>Health check tags: <c>ready</c> checks run for <c>/readyz</c> only.</summary>
public static class HealthTags
{
    public const string Ready = "ready";
}

internal sealed class AppDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AppDbContext>
    where TContext : AppDbContext
{
    public AppDbContext CreateDbContext() => inner.CreateDbContext();
}
