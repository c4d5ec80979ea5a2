using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Tests.Persistence;

public sealed class MigrationTests
{
    private static SqliteAppDbContext Sqlite(string connectionString = "Data Source=:memory:")
        => new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connectionString).Options);

    private static SqlServerAppDbContext SqlServer()
        => new(new DbContextOptionsBuilder<SqlServerAppDbContext>()
            .UseSqlServer("Server=unused;Database=UnifyAdmin;TrustServerCertificate=True").Options);

    [Fact]
    public void Sqlite_migrations_match_the_model()
    {
        using var db = Sqlite();
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model changed without a SQLite migration. Add one: see the README, 'Adding a migration'.");
    }

    [Fact]
    public void SqlServer_migrations_match_the_model()
    {
        using var db = SqlServer();
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model changed without a SQL Server migration. Add one: see the README, 'Adding a migration'.");
    }

    [Fact]
    public void Both_providers_have_the_same_migrations()
    {
        using var sqlite = Sqlite();
        using var sqlServer = SqlServer();
        static IEnumerable<string> Names(DbContext db) => db.Database.GetMigrations().Select(m => m[15..]);
        Assert.Equal(Names(sqlite), Names(sqlServer));
    }

    [Fact]
    public void SqlServer_idempotent_script_is_generated()
    {
        using var db = SqlServer();
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("IF NOT EXISTS", script);
        Assert.Contains("FROM [__EFMigrationsHistory]", script);
        Assert.Contains("CREATE TABLE [AspNetUsers]", script);
        Assert.Contains("CREATE TABLE [DataProtectionKeys]", script);
    }

    [Fact]
    public async Task Sqlite_migrations_apply_to_a_new_database_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"unifyadmin-migrate-{Guid.NewGuid():N}.db");
        try
        {
            await using (var db = Sqlite($"Data Source={path}"))
            {
                await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
                Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
                Assert.Equal(0, await db.Users.CountAsync(TestContext.Current.CancellationToken));
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_source_saved_with_the_old_demo_login_kind_reads_as_app_hosted_after_migrating()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(Path.GetTempPath(), $"unifyadmin-migrate-{Guid.NewGuid():N}.db");
        var id = Guid.NewGuid();
        try
        {
            await using (var db = Sqlite($"Data Source={path}"))
            {
                var migrator = db.GetService<IMigrator>();
                var before = db.Database.GetMigrations().Single(m => m.EndsWith("_SourcesAndDestinations", StringComparison.Ordinal));
                await migrator.MigrateAsync(before, ct);
                await db.Database.ExecuteSqlAsync(
                    $"""INSERT INTO "Sources" ("Id", "Name", "LoginKind", "LoginHost", "AuthFlow", "ClientId", "ConnectionState", "Enabled", "SyncIntervalMinutes", "CreatedAt", "UpdatedAt", "Version") VALUES ({id}, 'Old demo', 'Demo', 'http://localhost/x', 'WebServer', 'demo-client-id', 'Connected', 0, 60, 0, 0, {Guid.NewGuid()})""",
                    ct);

                await db.Database.MigrateAsync(ct);

                var source = await db.Sources.AsNoTracking().SingleAsync(s => s.Id == id, ct);
                Assert.Equal(UnifyAdmin.Core.Sources.SalesforceLoginKind.AppHosted, source.LoginKind);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_SqlServer_script_renames_the_old_demo_login_kind()
    {
        using var db = SqlServer();
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("UPDATE [Sources] SET [LoginKind] = 'AppHosted' WHERE [LoginKind] = 'Demo';", script);
    }
}
