using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Sync;

/// <summary>
/// Saves record states as multi-row upserts in the caller's transaction: <c>MERGE</c> on SQL Server,
/// <c>INSERT … ON CONFLICT DO UPDATE</c> elsewhere. A sync writes one state per record it sends, so at
/// millions of records one tracked insert per row would cost more than the sync itself.
/// </summary>
internal sealed class RecordStateWriter
{
    /// <summary>SQL Server takes at most 2,100 parameters per command; stay under it with room to spare.</summary>
    private const int SqlServerMaxParameters = 2000;

    /// <summary>
    /// SQLite finds each bound parameter by name with a linear scan, so a statement's binding cost grows with the
    /// square of its parameters: ten rows per statement keep that below the cost of running one more statement.
    /// </summary>
    private const int SqliteMaxParameters = 70;

    private static readonly (string Property, Func<RecordState, object?> Value)[] Fields =
    [
        (nameof(RecordState.MappingId), s => s.MappingId),
        (nameof(RecordState.RecordId), s => s.RecordId),
        (nameof(RecordState.SystemModstamp), s => s.SystemModstamp),
        (nameof(RecordState.PayloadHash), s => s.PayloadHash),
        (nameof(RecordState.MessageId), s => s.MessageId),
        (nameof(RecordState.State), s => s.State),
        (nameof(RecordState.UpdatedAt), s => s.UpdatedAt),
    ];

    private readonly ISqlGenerationHelper sql;
    private readonly bool merge;
    private readonly string table;
    private readonly string[] columns;
    private readonly RelationalTypeMapping[] mappings;
    private readonly bool[] nullable;
    private readonly int keyColumns;
    private readonly ConcurrentDictionary<int, string> texts = new();

    public RecordStateWriter(AppDbContext db)
    {
        sql = db.GetService<ISqlGenerationHelper>();
        merge = db.Database.IsSqlServer();
        var entity = db.Model.FindEntityType(typeof(RecordState))
            ?? throw new InvalidOperationException("RecordState is not part of the model.");
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        table = sql.DelimitIdentifier(store.Name, store.Schema);
        var properties = Fields.Select(f => entity.FindProperty(f.Property)!).ToArray();
        columns = [.. properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(store)!))];
        mappings = [.. properties.Select(p => p.GetRelationalTypeMapping())];
        nullable = [.. properties.Select(p => p.IsNullable)];
        keyColumns = entity.FindPrimaryKey()!.Properties.Count;
        if (!properties.Take(keyColumns).SequenceEqual(entity.FindPrimaryKey()!.Properties))
        {
            throw new InvalidOperationException("RecordState's key must be its first columns here.");
        }

        RowsPerStatement = (merge ? SqlServerMaxParameters : SqliteMaxParameters) / Fields.Length;
    }

    /// <summary>Rows written by one statement; more rows take several statements.</summary>
    public int RowsPerStatement { get; }

    /// <summary>Upserts <paramref name="rows"/> (at most one per key) in the context's current transaction.</summary>
    public async Task WriteAsync(AppDbContext db, IReadOnlyCollection<RecordState> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Record states are written in the checkpoint's transaction.");
        DbCommand? command = null;
        try
        {
            foreach (var chunk in rows.Chunk(RowsPerStatement))
            {
                // One command per statement size, so the provider prepares the statement once and rebinds it.
                if (command is null || command.Parameters.Count != chunk.Length * Fields.Length)
                {
                    if (command is not null)
                    {
                        await command.DisposeAsync();
                    }

                    command = transaction.Connection!.CreateCommand();
                    command.CommandText = texts.GetOrAdd(chunk.Length, Text);
                    command.Transaction = transaction;
                }

                Bind(command, chunk);
                await command.ExecuteNonQueryAsync(ct);
            }
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
    }

    /// <summary>The statement for <paramref name="rows"/>, with its parameters typed as the model maps each column.</summary>
    internal DbCommand CreateCommand(DbConnection connection, IReadOnlyList<RecordState> rows)
    {
        var command = connection.CreateCommand();
        command.CommandText = texts.GetOrAdd(rows.Count, Text);
        Bind(command, rows);
        return command;
    }

    private void Bind(DbCommand command, IReadOnlyList<RecordState> rows)
    {
        command.Parameters.Clear();
        for (var row = 0; row < rows.Count; row++)
        {
            for (var field = 0; field < Fields.Length; field++)
            {
                // The column's own mapping converts the value as EF would (enum to text, DateTimeOffset to ticks on SQLite).
                var parameter = mappings[field].CreateParameter(command, sql.GenerateParameterName(Name(row, field)), Fields[field].Value(rows[row]), nullable[field]);
                command.Parameters.Add(parameter);
            }
        }
    }

    private string Name(int row, int field) => "p" + (row * Fields.Length + field).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string Text(int rowCount)
    {
        var text = new StringBuilder(rowCount * Fields.Length * 8 + 512);
        var values = new StringBuilder(rowCount * Fields.Length * 8);
        for (var row = 0; row < rowCount; row++)
        {
            values.Append(row == 0 ? "(" : ", (");
            for (var field = 0; field < Fields.Length; field++)
            {
                values.Append(field == 0 ? "" : ", ").Append(sql.GenerateParameterNamePlaceholder(Name(row, field)));
            }

            values.Append(')');
        }

        var all = string.Join(", ", columns);
        var updated = columns.Skip(keyColumns).ToArray();
        if (merge)
        {
            // HOLDLOCK keeps the match and the insert atomic against a concurrent writer of the same key.
            text.Append("MERGE INTO ").Append(table).Append(" WITH (HOLDLOCK) AS [t]\n")
                .Append("USING (VALUES ").Append(values).Append(") AS [s] (").Append(all).Append(")\n")
                .Append("ON ").Append(string.Join(" AND ", columns.Take(keyColumns).Select(c => $"[t].{c} = [s].{c}"))).Append('\n')
                .Append("WHEN MATCHED THEN UPDATE SET ").Append(string.Join(", ", updated.Select(c => $"[t].{c} = [s].{c}"))).Append('\n')
                .Append("WHEN NOT MATCHED THEN INSERT (").Append(all).Append(") VALUES (").Append(string.Join(", ", columns.Select(c => "[s]." + c))).Append(");");
        }
        else
        {
            text.Append("INSERT INTO ").Append(table).Append(" (").Append(all).Append(")\n")
                .Append("VALUES ").Append(values).Append('\n')
                .Append("ON CONFLICT (").Append(string.Join(", ", columns.Take(keyColumns))).Append(") DO UPDATE SET ")
                .Append(string.Join(", ", updated.Select(c => $"{c} = excluded.{c}"))).Append(';');
        }

        return text.ToString();
    }
}
