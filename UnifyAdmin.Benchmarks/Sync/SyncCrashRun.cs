extern alias app;

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Monitoring;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Core.Sync;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Demo.Segment;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Benchmarks.Sync;

/// <summary>
/// The large crash test: the real app as a child process runs the initial sync of N Contacts and is
/// killed (SIGKILL) at K points spread over the run, then restarted on the same data folder. The demo
/// org and workspace live in this process, so they outlive every crash. At the end every Contact is
/// read back and its profile compared with what the mapping builds from it. Prints the figures and
/// returns a non-zero exit code on any loss or corruption.
/// <c>dotnet run -c Release --project UnifyAdmin.Benchmarks -- sync-crash 1000000 20 [seed]</c>.
/// </summary>
public static class SyncCrashRun
{
    private const string Space = "spa_demo";

    public static async Task<int> RunAsync(int contacts, int kills, int seed)
    {
        var data = Path.Combine(Path.GetTempPath(), "unifyadmin-crash-" + Guid.NewGuid().ToString("N"));
        await using var demo = await LoopbackHost.StartDemoAsync(
            new Dictionary<string, string?>
            {
                ["Demo:Salesforce:ObjectSizes:Contact"] = contacts.ToString(CultureInfo.InvariantCulture),
                ["Demo:Salesforce:DailyApiLimit"] = "10000000",
                // Every messageId of the run stays remembered, so each repeat is seen as one.
                ["Demo:Segment:MaxDedupEntries"] = (2L * contacts + 100_000).ToString(CultureInfo.InvariantCulture),
                ["Demo:Segment:MaxKeptMessages"] = "1000",
            });
        try
        {
            return await RunAsync(contacts, kills, seed, demo, data);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }

    /// <summary>Kill points in messages received by the workspace: one at a random place in each of K equal slices of the run.</summary>
    public static long[] KillPoints(int contacts, int kills, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, kills).Select(i => (long)(contacts * (i + 0.05 + (0.9 * random.NextDouble())) / kills))];
    }

    private static async Task<int> RunAsync(int contacts, int kills, int seed, LoopbackHost demo, string data)
    {
        var org = demo.Services.GetRequiredService<SalesforceDemoOrg>();
        var segment = demo.Services.GetRequiredService<SegmentDemoControl>();
        Guid mappingId;
        using (var core = CoreHost(data))
        {
            await core.Services.GetRequiredService<DatabaseMigrator>().PrepareAsync(CancellationToken.None);
            var sourceId = await SyncEngineBenchmark.SeedAsync(core.Services, demo.BaseAddress.ToString().TrimEnd('/'));
            await using (var db = await core.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
            {
                mappingId = await db.Mappings.Select(m => m.Id).SingleAsync();
            }

            // Stored in the database with "request recovery": the child's scheduler fires it, and resumes it after each kill.
            await core.Services.GetRequiredService<SyncScheduler>().TriggerNowAsync(sourceId, CancellationToken.None);
        }

        var points = KillPoints(contacts, kills, seed);
        Console.WriteLine($"// sync-crash: {contacts:N0} contacts, {kills} kills, seed {seed}");
        Console.WriteLine($"// kill points (messages received by the workspace): {string.Join(", ", points.Select(p => p.ToString("N0", CultureInfo.InvariantCulture)))}");

        var loop = new SyncCrashLoop(typeof(app::Program).Assembly.Location, data);
        var received = () => Task.FromResult(segment.Spaces().Single(s => s.Id == Space).MessagesReceived);
        var calls = org.ApiCallsUsed;
        var watch = Stopwatch.StartNew();
        foreach (var point in points)
        {
            var at = await loop.KillAtAsync(point, received, TimeSpan.FromMinutes(30));
            Console.WriteLine($"//   kill {loop.Kills} at {at:N0} received, {watch.Elapsed.TotalSeconds:N1} s");
        }

        await loop.FinishAsync(() => loop.InitialDoneAsync(mappingId), "the initial sync finished", TimeSpan.FromMinutes(60));
        watch.Stop();
        var apiCalls = org.ApiCallsUsed - calls;

        var space = segment.Spaces().Single(s => s.Id == Space);
        long runs, appAccepted;
        await using (var db = loop.OpenDatabase())
        {
            runs = await db.SyncRuns.LongCountAsync();
            appAccepted = await db.SyncRuns.SelectMany(r => r.Mappings).SumAsync(m => m.Accepted);
        }

        var (missing, differ, read) = await VerifyAsync(data, demo, mappingId);
        var accepted = space.MessagesReceived - space.MessagesDropped;
        var otherDrops = space.MessagesDropped - space.DuplicatesDropped;
        Console.WriteLine($"// records {contacts:N0}, read back {read:N0}, profiles {space.Users:N0}");
        Console.WriteLine($"// kills {loop.Kills}, restarts {loop.Starts - 1}, sync runs recorded {runs}");
        Console.WriteLine($"// wall time {watch.Elapsed.TotalSeconds:N1} s");
        Console.WriteLine($"// messages sent (received by the workspace) {space.MessagesReceived:N0}, accepted {accepted:N0}, dropped as duplicate messageId {space.DuplicatesDropped:N0}, dropped otherwise {otherDrops:N0}; the app counted {appAccepted:N0} accepted");
        Console.WriteLine($"// records missing {missing:N0}, records whose profile traits differ from the mapping's output {differ:N0}");
        Console.WriteLine($"// API calls used by the sync {apiCalls:N0} (ceil(N/2000) = {(contacts + 1999) / 2000:N0})");

        var ok = missing == 0 && differ == 0 && read == contacts && space.Users == contacts && accepted == contacts && otherDrops == 0;
        Console.WriteLine(ok ? "// PASS: nothing lost, nothing corrupted, every repeat dropped as a duplicate" : "// FAIL");
        return ok ? 0 : 1;
    }

    /// <summary>
    /// Reads every Contact back through the app's own Salesforce client and builds its message with the
    /// mapping, as the engine does; then looks its profile up in the workspace by user_id and compares
    /// traits with the discrepancy check's rule. A profile with a trait the mapping does not produce differs too.
    /// </summary>
    private static async Task<(long Missing, long Differ, long Read)> VerifyAsync(string data, LoopbackHost demo, Guid mappingId)
    {
        using var core = CoreHost(data);
        var store = demo.Services.GetRequiredService<SegmentDemoWorkspace>().FindById(Space)!.Store;
        await using var db = await core.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var mapping = await db.Mappings.AsNoTracking().SingleAsync(m => m.Id == mappingId);
        var model = await db.Models.AsNoTracking().SingleAsync(m => m.Id == mapping.ModelId);
        await using var scope = core.Services.CreateAsyncScope();
        var client = (await scope.ServiceProvider.GetRequiredService<SourceService>().CreateClientAsync(model.SourceId, CancellationToken.None))!;
        var schema = await ModelSchema.LoadAsync(client, model.Collection, model.Fields, CancellationToken.None);
        var builder = new MappingMessageBuilder(mapping, schema.FieldTypes(model.Fields));
        long missing = 0, differ = 0, read = 0;
        var now = DateTimeOffset.UtcNow;
        await foreach (var record in client.QueryAsync(schema.Query(model.Fields, null)))
        {
            read++;
            var message = builder.Build(record, now).Message;
            Dictionary<string, JsonElement>? traits;
            lock (store.Gate)
            {
                traits = message?.UserId is { } user && store.Find("users", "user_id", user) is { } profile
                    ? profile.Traits.ToDictionary(t => t.Key, t => t.Value.Value)
                    : null;
            }

            if (traits is null)
            {
                missing++;
                continue;
            }

            var expected = message!.Traits ?? new Dictionary<string, object?>();
            if (DiscrepancyChecker.Compare(expected, traits).Count > 0 || traits.Keys.Any(k => !expected.ContainsKey(k)))
            {
                differ++;
            }
        }

        return (missing, differ, read);
    }

    /// <summary>Core's services on the data folder with the scheduler off: to seed the flow and to read records back, never to run a sync.</summary>
    private static IHost CoreHost(string data)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Benchmark" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataDirectory"] = data,
            ["Database:Provider"] = "Sqlite",
            ["Scheduler:Enabled"] = "false",
        });
        SyncEngineBenchmark.AddEngine(builder.Services, builder.Configuration, builder.Environment);
        return builder.Build();
    }
}
