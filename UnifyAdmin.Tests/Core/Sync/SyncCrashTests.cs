using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sync;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Demo.Segment;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Sync;

/// <summary>
/// The app as a child process, killed (SIGKILL) at three random points of an initial sync of 20,000
/// Contacts and restarted on the same data. The demo org and workspace live in this test process, so
/// they outlive every crash, as Salesforce and Segment would.
/// </summary>
public sealed class SyncCrashTests : IAsyncLifetime
{
    private const int Contacts = 20_000;
    private LoopbackHost demo = null!;
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "unifyadmin-tests", "crash-" + Guid.NewGuid().ToString("N"));

    public async ValueTask InitializeAsync()
    {
        demo = await LoopbackHost.StartAsync(
            b =>
            {
                b.Services.TryAddSingleton(TimeProvider.System);
                b.Services.AddSalesforceDemo(b.Configuration);
                b.Services.AddSegmentDemo(b.Configuration);
            },
            app =>
            {
                app.MapSalesforceDemo();
                app.MapSegmentDemo();
            },
            new Dictionary<string, string?>
            {
                ["Demo:Salesforce:ObjectSizes:Contact"] = Contacts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Demo:Salesforce:DailyApiLimit"] = "1000000",
                ["Demo:Segment:MaxKeptMessages"] = "200000",
            });
    }

    public async ValueTask DisposeAsync()
    {
        await demo.DisposeAsync();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    [Fact]
    public async Task Killed_three_times_during_the_initial_sync_every_record_arrives_once_and_every_repeat_is_a_dropped_duplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        Guid sourceId, mappingId;
        await using (var seed = new SeedHost(dataDirectory, demo))
        {
            await seed.InitializeAsync();
            var flow = await seed.CreateFlowAsync();
            (sourceId, mappingId) = (flow.Source, flow.Mapping);
            await using var scope = seed.Services.CreateAsyncScope();
            // Stored in the database; the child's scheduler fires it (and recovers it after each crash).
            await scope.ServiceProvider.GetRequiredService<SyncScheduler>().TriggerNowAsync(sourceId, ct);
        }

        var org = demo.Services.GetRequiredService<SalesforceDemoOrg>();
        org.SetResponseDelay(TimeSpan.FromMilliseconds(150));
        var random = new Random();
        var kills = new[] { random.Next(1_000, 6_000), random.Next(1_000, 6_000), random.Next(1_000, 6_000) };
        var accepted = 0L;
        foreach (var more in kills)
        {
            using var app = StartApp();
            var target = accepted + more;
            await Eventually.TrueAsync(async () => (accepted = await AcceptedAsync(mappingId)) >= target, $"the sync passed {target} records", TimeSpan.FromSeconds(60));
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync(ct);
        }

        org.SetResponseDelay(TimeSpan.Zero);
        using (var last = StartApp())
        {
            await Eventually.TrueAsync(async () => await InitialDoneAsync(mappingId), "the initial sync finished", TimeSpan.FromSeconds(90));
            last.Kill(entireProcessTree: true);
            await last.WaitForExitAsync(ct);
        }

        var segment = demo.Services.GetRequiredService<SegmentDemoControl>();
        var received = segment.Messages("spa_demo", 200_000);
        var delivered = received.Where(m => m.DroppedReason is null).ToList();
        Assert.Equal(Contacts, delivered.Count);
        Assert.Equal(Contacts, delivered.Select(m => m.UserId).Distinct().Count());
        // Re-sends after a crash (the batch in flight, the lookback) carry the same messageIds: the workspace drops them.
        Assert.All(received.Where(m => m.DroppedReason is not null), m => Assert.Contains("duplicate", m.DroppedReason, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(Contacts, segment.Spaces().Single(s => s.Id == "spa_demo").Users);

        // Exactly as mapped: a sample of profiles carries the record's fields under the mapped trait names.
        var sample = delivered[random.Next(delivered.Count)];
        Assert.Contains("\"last_name\":", sample.Json);
        Assert.Contains("\"email\":", sample.Json);
    }

    private Process StartApp()
    {
        var appDll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [appDll])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DataDirectory"] = dataDirectory;
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Demo__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<long> AcceptedAsync(Guid mappingId)
    {
        await using var db = Open();
        return await db.RecordStates.LongCountAsync(s => s.MappingId == mappingId && s.State == RecordSyncState.Sent);
    }

    private async Task<bool> InitialDoneAsync(Guid mappingId)
    {
        await using var db = Open();
        return await db.Mappings.AnyAsync(m => m.Id == mappingId && m.InitialSyncDone);
    }

    private SqliteAppDbContext Open()
    {
        var options = new DbContextOptionsBuilder<SqliteAppDbContext>()
            .UseSqlite($"Data Source={Path.Combine(dataDirectory, "unifyadmin.db")};Pooling=False")
            .Options;
        return new SqliteAppDbContext(options);
    }

    /// <summary>Creates the flow rows in the data folder with the scheduler stopped, then goes away.</summary>
    private sealed class SeedHost(string data, LoopbackHost demo) : SyncHost
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [.. BaseSettings, new("Scheduler:Enabled", "false")];

        public override string DemoUrl(string path) => demo.Url(path);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("DataDirectory", data);
        }
    }
}
