using Microsoft.AspNetCore.Hosting;
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
        demo = await LoopbackHost.StartDemoAsync(
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
        // Seeded and written to the test output, so a failing set of kill points can be repeated.
        var killSeed = Random.Shared.Next();
        var random = new Random(killSeed);
        TestContext.Current.TestOutputHelper?.WriteLine($"kill point seed {killSeed}");
        var loop = new SyncCrashLoop(typeof(Program).Assembly.Location, dataDirectory);
        var accepted = 0L;
        // Generous limits: on a loaded machine starting the app alone can take most of a minute.
        foreach (var more in new[] { random.Next(1_000, 6_000), random.Next(1_000, 6_000), random.Next(1_000, 6_000) })
        {
            accepted = await loop.KillAtAsync(accepted + more, () => loop.SentAsync(mappingId), TimeSpan.FromMinutes(3), ct);
        }

        org.SetResponseDelay(TimeSpan.Zero);
        await loop.FinishAsync(() => loop.InitialDoneAsync(mappingId), "the initial sync finished", TimeSpan.FromMinutes(3), ct);

        var segment = demo.Services.GetRequiredService<SegmentDemoControl>();
        var received = segment.Messages("spa_demo", 200_000);
        var delivered = received.Where(m => m.DroppedReason is null).ToList();
        Assert.Equal(Contacts, delivered.Count);
        Assert.Equal(Contacts, delivered.Select(m => m.UserId).Distinct().Count());
        // Re-sends after a crash (the batch in flight, the lookback) carry the same messageIds: the workspace drops them.
        Assert.All(received.Where(m => m.DroppedReason is not null), m => Assert.Contains("duplicate", m.DroppedReason, StringComparison.OrdinalIgnoreCase));
        var space = segment.Spaces().Single(s => s.Id == "spa_demo");
        Assert.Equal(Contacts, space.Users);
        Assert.Equal(Contacts, space.MessagesReceived - space.MessagesDropped);
        Assert.Equal(space.MessagesDropped, space.DuplicatesDropped);

        // Exactly as mapped: a sample of profiles carries the record's fields under the mapped trait names.
        var sample = delivered[random.Next(delivered.Count)];
        Assert.Contains("\"last_name\":", sample.Json);
        Assert.Contains("\"email\":", sample.Json);
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
