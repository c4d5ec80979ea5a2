using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Core.Sync;

namespace UnifyAdmin.Tests.Core.Sync;

public sealed class RecordStateWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset At = new(2026, 3, 5, 17, 3, 29, TimeSpan.Zero);

    [Fact]
    public async Task Inserts_new_states_and_updates_existing_ones_in_the_checkpoint_transaction()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(Ct);
        await using var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connection).Options);
        await db.Database.MigrateAsync(Ct);
        var mappingId = await SeedMappingAsync(db);
        var writer = new RecordStateWriter(db);
        var first = Enumerable.Range(0, writer.RowsPerStatement + 5)
            .Select(i => State(mappingId, $"003{i:D15}", At.AddSeconds(i), RecordSyncState.Sent, "hash" + i))
            .ToList();

        await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
        {
            await writer.WriteAsync(db, first, Ct);
            await transaction.CommitAsync(Ct);
        }

        var again = new[]
        {
            State(mappingId, first[0].RecordId, At.AddHours(1), RecordSyncState.Failed, null),
            State(mappingId, "003NEW000000000000", At.AddHours(2), RecordSyncState.Deleted, null),
        };
        await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
        {
            await writer.WriteAsync(db, again, Ct);
            await transaction.CommitAsync(Ct);
        }

        var saved = await db.RecordStates.AsNoTracking().ToDictionaryAsync(s => s.RecordId, Ct);
        Assert.Equal(first.Count + 1, saved.Count);
        var updated = saved[first[0].RecordId];
        Assert.Equal((At.AddHours(1), RecordSyncState.Failed, null), (updated.SystemModstamp, updated.State, updated.PayloadHash));
        Assert.Equal("msg-" + first[0].RecordId, updated.MessageId);
        var last = saved[first[^1].RecordId];
        Assert.Equal((first[^1].SystemModstamp, RecordSyncState.Sent, first[^1].PayloadHash), (last.SystemModstamp, last.State, last.PayloadHash));
        Assert.Equal(RecordSyncState.Deleted, saved["003NEW000000000000"].State);
    }

    [Fact]
    public async Task Rolls_back_with_the_checkpoint_transaction()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(Ct);
        await using var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connection).Options);
        await db.Database.MigrateAsync(Ct);
        var mappingId = await SeedMappingAsync(db);

        await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
        {
            await new RecordStateWriter(db).WriteAsync(db, [State(mappingId, "003000000000000001", At, RecordSyncState.Sent, "h")], Ct);
            await transaction.RollbackAsync(Ct);
        }

        Assert.False(await db.RecordStates.AnyAsync(Ct));
    }

    [Fact]
    public void SqlServer_statement_is_one_merge_under_the_parameter_limit_with_typed_values()
    {
        using var db = new SqlServerAppDbContext(new DbContextOptionsBuilder<SqlServerAppDbContext>()
            .UseSqlServer("Server=unused;Database=UnifyAdmin;TrustServerCertificate=True").Options);
        var writer = new RecordStateWriter(db);
        var mappingId = Guid.NewGuid();
        var rows = Enumerable.Range(0, writer.RowsPerStatement)
            .Select(i => State(mappingId, $"003{i:D15}", At, RecordSyncState.Sent, "h" + i))
            .ToList();

        using var command = writer.CreateCommand(db.Database.GetDbConnection(), rows);

        Assert.True(command.Parameters.Count < 2100, $"{command.Parameters.Count} parameters: SQL Server refuses more than 2,100.");
        var text = command.CommandText;
        Assert.StartsWith("MERGE INTO [RecordStates] WITH (HOLDLOCK) AS [t]", text);
        Assert.Contains("AS [s] ([MappingId], [RecordId], [SystemModstamp], [PayloadHash], [MessageId], [State], [UpdatedAt])", text);
        Assert.Contains("ON [t].[MappingId] = [s].[MappingId] AND [t].[RecordId] = [s].[RecordId]", text);
        Assert.Contains("WHEN MATCHED THEN UPDATE SET [t].[SystemModstamp] = [s].[SystemModstamp], [t].[PayloadHash] = [s].[PayloadHash], [t].[MessageId] = [s].[MessageId], [t].[State] = [s].[State], [t].[UpdatedAt] = [s].[UpdatedAt]", text);
        Assert.Contains("WHEN NOT MATCHED THEN INSERT ([MappingId], [RecordId], [SystemModstamp], [PayloadHash], [MessageId], [State], [UpdatedAt]) VALUES ([s].[MappingId], [s].[RecordId],", text);
        Assert.EndsWith(");", text);
        Assert.Equal(rows.Count * 7, command.Parameters.Count);
        Assert.Equal(rows.Count, text.Split("), (").Length);

        // The second row's values, typed as EF maps the columns on SQL Server.
        var second = command.Parameters.Cast<System.Data.Common.DbParameter>().Skip(7).Take(7).ToList();
        Assert.Equal(["@p7", "@p8", "@p9", "@p10", "@p11", "@p12", "@p13"], second.Select(p => p.ParameterName));
        Assert.Equal(mappingId, second[0].Value);
        Assert.Equal("003000000000000001", second[1].Value);
        Assert.Equal(At, second[2].Value);
        Assert.Equal(DbType.DateTimeOffset, second[2].DbType);
        Assert.Equal("Sent", second[5].Value);
    }

    [Fact]
    public void Sqlite_statement_is_an_insert_that_updates_on_the_key_conflict()
    {
        using var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite("Data Source=:memory:").Options);
        var writer = new RecordStateWriter(db);

        using var command = writer.CreateCommand(db.Database.GetDbConnection(), [State(Guid.NewGuid(), "003000000000000001", At, RecordSyncState.Sent, "h")]);

        Assert.Equal(
            """
            INSERT INTO "RecordStates" ("MappingId", "RecordId", "SystemModstamp", "PayloadHash", "MessageId", "State", "UpdatedAt")
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)
            ON CONFLICT ("MappingId", "RecordId") DO UPDATE SET "SystemModstamp" = excluded."SystemModstamp", "PayloadHash" = excluded."PayloadHash", "MessageId" = excluded."MessageId", "State" = excluded."State", "UpdatedAt" = excluded."UpdatedAt";
            """.ReplaceLineEndings("\n"),
            command.CommandText);
        Assert.Equal(At.UtcTicks, command.Parameters[2].Value);
    }

    private static RecordState State(Guid mappingId, string recordId, DateTimeOffset modstamp, RecordSyncState state, string? hash) => new()
    {
        MappingId = mappingId,
        RecordId = recordId,
        SystemModstamp = modstamp,
        PayloadHash = hash,
        MessageId = "msg-" + recordId,
        State = state,
        UpdatedAt = modstamp,
    };

    private static async Task<Guid> SeedMappingAsync(AppDbContext db)
    {
        var now = DateTimeOffset.UtcNow;
        var source = new Source
        {
            Id = Guid.NewGuid(), Name = "S", LoginKind = SalesforceLoginKind.AppHosted, LoginHost = "https://login.example", AuthFlow = SalesforceAuthFlow.ClientCredentials,
            ClientId = "c", CreatedAt = now, UpdatedAt = now, Version = Guid.NewGuid(),
        };
        var destination = new Destination { Id = Guid.NewGuid(), Name = "D", CreatedAt = now, UpdatedAt = now, Version = Guid.NewGuid() };
        var space = new ProfileSpace { Id = Guid.NewGuid(), DestinationId = destination.Id, SpaceId = "spa", Name = "Space", WriteKeyProtected = "x" };
        destination.Spaces.Add(space);
        var model = new DataModel { Id = Guid.NewGuid(), SourceId = source.Id, Name = "M", Collection = "Contact", Fields = ["Id"], SchemaSnapshot = [], CreatedAt = now, UpdatedAt = now, Version = Guid.NewGuid() };
        var mapping = new Mapping
        {
            Id = Guid.NewGuid(), ModelId = model.Id, DestinationId = destination.Id, ProfileSpaceId = space.Id, Action = MappingAction.Identify, UserIdField = "Id",
            CreatedAt = now, UpdatedAt = now, Version = Guid.NewGuid(),
        };
        db.AddRange(source, destination, model, mapping);
        await db.SaveChangesAsync(Ct);
        db.ChangeTracker.Clear();
        return mapping.Id;
    }
}
