using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Monitoring;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Core.Sync;

namespace UnifyAdmin.Benchmarks.Monitoring;

/// <summary>
/// The monitoring at scale, on SQLite: 1,000 runs and one run with 1,000,000 per-record errors.
/// Times the dashboard's and the run detail page's queries and streams the errors CSV, watching memory.
/// Run: <c>dotnet run -c Release --project UnifyAdmin.Benchmarks -- monitoring-scale [errors]</c>.
/// </summary>
public static class MonitoringScaleRun
{
    private sealed class Factory(DbContextOptions<SqliteAppDbContext> options) : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => new SqliteAppDbContext(options);
    }

    public static async Task RunAsync(int errors = 1_000_000, int runs = 1_000)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var folder = Path.Combine(Path.GetTempPath(), "unifyadmin-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "bench.db") }.ToString();
        var options = new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connectionString).Options;
        var contexts = new Factory(options);
        try
        {
            var clock = Stopwatch.StartNew();
            var (runId, mapping) = await SeedAsync(contexts, connectionString, errors, runs);
            Console.WriteLine(Invariant($"seeded {runs:N0} runs and {errors:N0} record errors in {clock.Elapsed.TotalSeconds:N1} s"));

            var flows = new FlowStatusReader(contexts, TimeProvider.System);
            var charts = new DashboardCharts(contexts, TimeProvider.System);
            var details = new RunDetailQueries(contexts);

            await TimeAsync("dashboard (flow states + both charts)", async () =>
            {
                await flows.ReadAsync(CancellationToken.None);
                await charts.ApiUsageAsync(24, CancellationToken.None);
                await charts.RecordsPerDayAsync(30, CancellationToken.None);
            });
            IReadOnlyList<ErrorGroup> groups = [];
            await TimeAsync("run detail (run, counts, errors grouped by reason)", async () =>
            {
                groups = (await details.GetAsync(runId, CancellationToken.None))!.ErrorGroups;
            });
            await TimeAsync("first page of the biggest group", () => details.PageAsync(runId, groups[0].Reason, 0, 25, groups[0].Count, CancellationToken.None));
            await TimeAsync("page 1,000 of the biggest group", () => details.PageAsync(runId, groups[0].Reason, 1_000, 25, groups[0].Count, CancellationToken.None));

            // CSV: stream every error to a sink, sampling memory while it runs.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var heapBefore = GC.GetTotalMemory(forceFullCollection: false);
            long peakHeap = heapBefore;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    // Live objects only (a full collection per sample), so garbage awaiting collection does not count.
                    peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: true));
                    await Task.Delay(500);
                }
            });
            var sink = new CountingStream();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            await details.WriteCsvAsync(runId, sink, CancellationToken.None);
            clock.Stop();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            await sampling.CancelAsync();
            await sampler;
            Console.WriteLine(Invariant(
                $"csv: {errors:N0} rows, {sink.Length / 1048576.0:N0} MiB in {clock.Elapsed.TotalSeconds:N2} s = {errors / clock.Elapsed.TotalSeconds:N0} rows/s wall clock, {errors / cpu.TotalSeconds:N0} rows per CPU second; " +
                $"live managed heap {heapBefore / 1048576.0:N1} MiB before, at most {peakHeap / 1048576.0:N1} MiB during"));
            _ = mapping;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task TimeAsync(string what, Func<Task> action)
    {
        var cold = Stopwatch.StartNew();
        await action();
        cold.Stop();
        var warm = Stopwatch.StartNew();
        await action();
        warm.Stop();
        Console.WriteLine(Invariant($"{what}: first {cold.Elapsed.TotalMilliseconds:N0} ms, then {warm.Elapsed.TotalMilliseconds:N0} ms"));
    }

    private static async Task<(Guid RunId, Guid MappingId)> SeedAsync(IDbContextFactory<AppDbContext> contexts, string connectionString, int errors, int runs)
    {
        await using (var db = contexts.CreateDbContext())
        {
            await db.Database.MigrateAsync();
        }

        var now = DateTimeOffset.UtcNow;
        var source = new Source { Id = Guid.NewGuid(), Name = "Bench org", LoginHost = "https://login.salesforce.com", ClientId = "c", Enabled = true, ApiUsed = 1000, ApiAllowed = 100_000, CreatedAt = now, UpdatedAt = now };
        var model = new DataModel { Id = Guid.NewGuid(), SourceId = source.Id, Name = "Contacts", Collection = "Contact", Fields = ["Id", "SystemModstamp", "Email"], CreatedAt = now, UpdatedAt = now };
        var space = new ProfileSpace { Id = Guid.NewGuid(), SpaceId = "spa_bench", Name = "Bench space", WriteKeyProtected = "x" };
        var destination = new Destination { Id = Guid.NewGuid(), Name = "Bench destination", Enabled = true, CreatedAt = now, UpdatedAt = now, Spaces = [space] };
        space.DestinationId = destination.Id;
        var mapping = new Mapping { Id = Guid.NewGuid(), ModelId = model.Id, DestinationId = destination.Id, ProfileSpaceId = space.Id, UserIdField = "Id", Enabled = true, CreatedAt = now, UpdatedAt = now };
        var runIds = new List<Guid>();
        await using (var db = contexts.CreateDbContext())
        {
            db.AddRange(source, model, destination, mapping);
            for (var i = 0; i < runs; i++)
            {
                var started = now.AddHours(-i * 0.7);
                var run = new SyncRun
                {
                    Id = Guid.NewGuid(), SourceId = source.Id, Kind = SyncRunKind.Incremental, State = i == 0 ? SyncRunState.Partial : SyncRunState.Succeeded,
                    StartedAt = started, FinishedAt = started.AddMinutes(3), RecordsRead = 5000, ApiCalls = 3,
                    Mappings = [new SyncRunMapping { Id = Guid.NewGuid(), MappingId = mapping.Id, State = SyncRunState.Succeeded, RecordsRead = 5000, Accepted = 4990, Failed = 10 }],
                };
                runIds.Add(run.Id);
                db.Add(run);
                db.Add(new ApiUsageSample { SourceId = source.Id, At = started, Used = 1000 + i * 50, Allowed = 100_000 });
            }

            await db.SaveChangesAsync();
        }

        // A million rows through one prepared statement in one transaction, the way the engine batches them.
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO RecordErrors (MappingId, RunId, RecordId, Reason, PayloadSample, FirstSeenAt, LastSeenAt, Attempts, State) VALUES ($m, $r, $id, $reason, $payload, $first, $last, 1, 'Open')";
        var pm = insert.Parameters.Add("$m", SqliteType.Text);
        var pr = insert.Parameters.Add("$r", SqliteType.Text);
        var pid = insert.Parameters.Add("$id", SqliteType.Text);
        var preason = insert.Parameters.Add("$reason", SqliteType.Text);
        var ppayload = insert.Parameters.Add("$payload", SqliteType.Text);
        var pfirst = insert.Parameters.Add("$first", SqliteType.Integer);
        var plast = insert.Parameters.Add("$last", SqliteType.Integer);
        pm.Value = mapping.Id.ToString().ToUpperInvariant();
        pr.Value = runIds[0].ToString().ToUpperInvariant();
        pfirst.Value = now.UtcTicks;
        plast.Value = now.UtcTicks;
        insert.Prepare();
        string[] reasons = Enumerable.Range(1, 20).Select(i => $"Segment refused the message: reason number {i} (for example, a trait larger than allowed)").ToArray();
        for (var i = 0; i < errors; i++)
        {
            var id = "003" + i.ToString("D12", CultureInfo.InvariantCulture) + "AAA";
            pid.Value = id;
            preason.Value = reasons[(i * 7 + i / 3) % reasons.Length];
            ppayload.Value = $"{{\"userId\":\"{id}\",\"traits\":{{\"email\":\"person{i}@example.com\",\"first_name\":\"Person\",\"last_name\":\"Number {i}\"}}}}";
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return (runIds[0], mapping.Id);
    }

    private static string Invariant(string text) => text;

    /// <summary>A write-only stream that counts bytes, standing in for the HTTP response.</summary>
    private sealed class CountingStream : Stream
    {
        private long length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => length;

        public override long Position { get => length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            length += count;
            return Task.CompletedTask;
        }
    }
}
