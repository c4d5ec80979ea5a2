using Npgsql;

namespace UnifyAdmin.Tests.Infrastructure;

/// <summary>
/// A fresh, empty PostgreSQL database on the server named by <c>UNIFYADMIN_TEST_POSTGRES</c>, dropped
/// afterwards. <c>./test.sh</c> starts a throwaway server and sets the variable; without it a test that
/// needs PostgreSQL is skipped and says why, never passed.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string Variable = "UNIFYADMIN_TEST_POSTGRES";

    private readonly string serverConnectionString;
    private readonly string name;

    private PostgresTestDatabase(string serverConnectionString, string name, string connectionString)
    {
        this.serverConnectionString = serverConnectionString;
        this.name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The new database's connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates the database, or skips the calling test when no server was given.</summary>
    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        Assert.SkipWhen(
            string.IsNullOrWhiteSpace(server),
            $"Needs PostgreSQL: set {Variable} to an Npgsql connection string of a user who may create databases, or run ./test.sh, which starts a throwaway server.");

        var name = "unifyadmin_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        return new PostgresTestDatabase(server!, name, connectionString);
    }

    /// <summary>Runs a query that returns one column and collects it.</summary>
    public async Task<List<T>> ListAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        // FORCE: a scheduler that has not yet let go of its connections must not keep the database alive.
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
