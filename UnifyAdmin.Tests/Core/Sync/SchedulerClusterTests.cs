using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Quartz;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sync;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Demo.Segment;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Sync;

/// <summary>
/// Several app instances with <c>Scheduler:Clustered=true</c> (decision 018): one SQLite app database file and
/// one PostgreSQL scheduler store shared by all. The demo org and workspace live in this test process, so
/// they outlive any instance. Needs PostgreSQL (<see cref="PostgresTestDatabase" />).
/// </summary>
public sealed class SchedulerClusterTests : IAsyncLifetime
{
    private const int Contacts = 60;
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(3);
    private static readonly string EveryPeriod = $"0/{Period.TotalSeconds.ToString(CultureInfo.InvariantCulture)} * * * * ?";

    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "unifyadmin-tests", "cluster-" + Guid.NewGuid().ToString("N"));
    private readonly FireLog fires = new();
    private readonly List<ClusterNode> nodes = [];
    private readonly List<AppProcess> children = [];
    private PostgresTestDatabase store = null!;
    private LoopbackHost demo = null!;

    public async ValueTask InitializeAsync() => store = await PostgresTestDatabase.CreateAsync();

    private async Task StartDemoAsync(int contacts)
    {
        demo = await LoopbackHost.StartDemoAsync(new Dictionary<string, string?>
        {
            ["Demo:Salesforce:ObjectSizes:Contact"] = contacts.ToString(CultureInfo.InvariantCulture),
            ["Demo:Salesforce:DailyApiLimit"] = "1000000",
            ["Demo:Segment:MaxKeptMessages"] = "200000",
        });
    }

    public async ValueTask DisposeAsync()
    {
        // A test that failed before its kill must not leave an instance running.
        foreach (var child in children)
        {
            child.Dispose();
        }

        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }

        if (demo is not null)
        {
            await demo.DisposeAsync();
        }

        if (store is not null)
        {
            await store.DisposeAsync();
        }

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
    public async Task Two_instances_on_one_store_run_each_scheduled_time_exactly_once()
    {
        await StartDemoAsync(Contacts);
        var first = await StartNodeAsync();
        var flow = await first.CreateFlowAsync();
        await ScheduleAsync(first, flow.Source, EveryPeriod);
        var second = await StartNodeAsync();

        var instances = new[] { await InstanceIdAsync(first), await InstanceIdAsync(second) };
        Assert.NotEqual(instances[0], instances[1]);
        await Eventually.TrueAsync(async () => (await CheckedInAsync()).Count == 2, "both instances checked in to the store", TimeSpan.FromSeconds(60));
        Assert.Equal(instances.Order(), (await CheckedInAsync()).Order());

        await Eventually.TrueAsync(() => fires.Scheduled(flow.Source).Count >= 6, "six scheduled times ran", TimeSpan.FromSeconds(180));
        // Stopping waits for a run in progress, so every firing below has finished and written its run.
        await second.DisposeAsync();
        await first.DisposeAsync();

        var fired = fires.Scheduled(flow.Source);
        AssertEachTimeOnceWithoutGaps(fired);
        var runs = await ScheduledRunsAsync(flow.Source);
        Assert.Equal(fired.Count, runs.Count);
        Assert.All(runs, r => Assert.Equal(SyncRunState.Succeeded, r.State));
        Assert.Equal(Contacts, DeliveredUsers());
    }

    [Fact]
    public async Task When_one_instance_stops_the_other_runs_every_following_time()
    {
        await StartDemoAsync(Contacts);
        var first = await StartNodeAsync();
        var flow = await first.CreateFlowAsync();
        await ScheduleAsync(first, flow.Source, EveryPeriod);
        var second = await StartNodeAsync();
        await Eventually.TrueAsync(async () => (await CheckedInAsync()).Count == 2, "both instances checked in to the store", TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(() => fires.Scheduled(flow.Source).Count >= 2, "two scheduled times ran", TimeSpan.FromSeconds(120));

        // Stop whichever instance ran the latest time, so the one that keeps going is not simply the one that always did.
        var latest = fires.Scheduled(flow.Source)[^1].Instance;
        var (stopping, staying) = latest == await InstanceIdAsync(first) ? (first, second) : (second, first);
        var stayingId = await InstanceIdAsync(staying);
        await stopping.DisposeAsync();
        var before = fires.Scheduled(flow.Source).Count;

        await Eventually.TrueAsync(() => fires.Scheduled(flow.Source).Count >= before + 3, "three more scheduled times ran", TimeSpan.FromSeconds(120));
        await staying.DisposeAsync();

        var fired = fires.Scheduled(flow.Source);
        AssertEachTimeOnceWithoutGaps(fired);
        Assert.All(fired.Skip(before), f => Assert.Equal(stayingId, f.Instance));
        Assert.Equal(fired.Count, (await ScheduledRunsAsync(flow.Source)).Count);
    }

    [Fact]
    public async Task A_run_on_an_instance_that_dies_is_taken_over_by_another_instance_and_finished()
    {
        const int manyContacts = 2_000;
        await StartDemoAsync(manyContacts);
        var org = demo.Services.GetRequiredService<SalesforceDemoOrg>();
        Guid sourceId, mappingId;
        await using (var seed = new ClusterNode(dataDirectory, demo, store, fires, schedulerEnabled: false))
        {
            await seed.InitializeAsync();
            var flow = await seed.CreateFlowAsync();
            (sourceId, mappingId) = (flow.Source, flow.Mapping);
            await seed.Services.GetRequiredService<SyncScheduler>().TriggerNowAsync(sourceId, TestContext.Current.CancellationToken);
        }

        // The org answers nothing for now: the run (saved before its first call) is still going when its
        // instance is killed, however long the other instance takes to start.
        org.SetResponseDelay(TimeSpan.FromMinutes(10));
        var doomed = AppProcess.Start(typeof(Program).Assembly.Location, dataDirectory, ClusterNode.ChildSettings(store));
        children.Add(doomed);
        await Eventually.TrueAsync(async () => await RunningRunAsync(sourceId) is not null, "the first instance started the run", TimeSpan.FromSeconds(120));
        var doomedId = (await CheckedInAsync()).Single();
        var survivor = await StartNodeAsync();
        var survivorId = await InstanceIdAsync(survivor);
        await Eventually.TrueAsync(async () => (await CheckedInAsync()).Count == 2, "both instances checked in to the store", TimeSpan.FromSeconds(60));
        var abandoned = (await RunningRunAsync(sourceId))!.Value;

        await doomed.KillAsync(TestContext.Current.CancellationToken);
        org.SetResponseDelay(TimeSpan.Zero);

        // The firing ends after the run has written its outcome, so waiting for it leaves nothing in flight.
        await Eventually.TrueAsync(() => fires.All().Any(f => f.Recovering), "the other instance took the run over and finished it", TimeSpan.FromSeconds(180));
        Assert.True(await InitialDoneAsync(survivor, mappingId));
        var recovered = Assert.Single(fires.All(), f => f.Recovering);
        Assert.Equal(survivorId, recovered.Instance);
        var ct = TestContext.Current.CancellationToken;
        await using (var db = await survivor.Db.CreateDbContextAsync(ct))
        {
            var dead = await db.SyncRuns.AsNoTracking().SingleAsync(r => r.Id == abandoned, ct);
            Assert.Equal(SyncRunState.Failed, dead.State);
            Assert.Equal(AbandonedRuns.Reason, dead.Reason);
            Assert.Contains(await db.SyncRuns.AsNoTracking().Where(r => r.SourceId == sourceId).ToListAsync(ct), r => r.Id != abandoned && r.State == SyncRunState.Succeeded);
        }

        // The dead instance's check-in is gone: the survivor wrote it off when it took the run over.
        Assert.DoesNotContain(doomedId, await CheckedInAsync());
        Assert.Equal(manyContacts, DeliveredUsers());
    }

    private static void AssertEachTimeOnceWithoutGaps(IReadOnlyList<Fire> fired)
    {
        var times = fired.Select(f => f.ScheduledAt).ToList();
        Assert.Equal(times.Count, times.Distinct().Count());
        var ordered = times.Order().ToList();
        Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.Equal(Period, pair.Second - pair.First));
    }

    private async Task<ClusterNode> StartNodeAsync()
    {
        var node = new ClusterNode(dataDirectory, demo, store, fires, schedulerEnabled: true);
        nodes.Add(node);
        await node.InitializeAsync();
        return node;
    }

    private static async Task ScheduleAsync(ClusterNode node, Guid sourceId, string cron)
    {
        await using (var db = await node.Db.CreateDbContextAsync())
        {
            await db.Sources.Where(s => s.Id == sourceId).ExecuteUpdateAsync(u => u.SetProperty(s => s.SyncCron, cron));
        }

        await node.Services.GetRequiredService<SyncScheduler>().ApplyAsync(sourceId, CancellationToken.None);
    }

    private static async Task<string> InstanceIdAsync(ClusterNode node)
        => (await node.Services.GetRequiredService<ISchedulerFactory>().GetScheduler()).SchedulerInstanceId;

    /// <summary>The instances with a check-in row in the shared store.</summary>
    private Task<List<string>> CheckedInAsync() => store.ListAsync<string>("SELECT instance_name FROM qrtz_scheduler_state");

    private async Task<List<SyncRun>> ScheduledRunsAsync(Guid sourceId)
    {
        await using var db = Open();
        return await db.SyncRuns.AsNoTracking().Where(r => r.SourceId == sourceId && r.Trigger == SyncTrigger.Schedule).ToListAsync();
    }

    private async Task<Guid?> RunningRunAsync(Guid sourceId)
    {
        await using var db = Open();
        return await db.SyncRuns.Where(r => r.SourceId == sourceId && r.State == SyncRunState.Running).Select(r => (Guid?)r.Id).FirstOrDefaultAsync();
    }

    private static async Task<bool> InitialDoneAsync(ClusterNode node, Guid mappingId)
    {
        await using var db = await node.Db.CreateDbContextAsync();
        return await db.Mappings.AnyAsync(m => m.Id == mappingId && m.InitialSyncDone);
    }

    private int DeliveredUsers() => demo.Services.GetRequiredService<SegmentDemoControl>().Spaces().Single(s => s.Id == "spa_demo").Users;

    private SqliteAppDbContext Open() => new(new DbContextOptionsBuilder<SqliteAppDbContext>()
        .UseSqlite($"Data Source={Path.Combine(dataDirectory, "unifyadmin.db")};Pooling=False")
        .Options);

    /// <summary>One instance of the cluster, in this process, with the listener that records every firing.</summary>
    private sealed class ClusterNode(string data, LoopbackHost demo, PostgresTestDatabase store, FireLog fires, bool schedulerEnabled) : SyncHost
    {
        public static IEnumerable<KeyValuePair<string, string?>> ClusterSettings(PostgresTestDatabase store, bool schedulerEnabled) =>
        [
            new("Database:Provider", "Sqlite"),
            // The demo runs in the test process; instances sharing a data folder must not each keep demo files in it.
            new("Demo:Enabled", "false"),
            new("Scheduler:Enabled", schedulerEnabled ? "true" : "false"),
            new("Scheduler:Clustered", "true"),
            new("Scheduler:Store:Provider", "PostgreSQL"),
            new("Scheduler:Store:ConnectionString", store.ConnectionString),
            // Write a dead instance off within seconds rather than the default quarter minute.
            new("Scheduler:CheckinInterval", "00:00:01"),
        ];

        public static IEnumerable<KeyValuePair<string, string?>> ChildSettings(PostgresTestDatabase store) => [.. BaseSettings, .. ClusterSettings(store, schedulerEnabled: true)];

        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [.. BaseSettings, .. ClusterSettings(store, schedulerEnabled)];

        public override string DemoUrl(string path) => demo.Url(path);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("DataDirectory", data);
            builder.ConfigureTestServices(services => services.AddQuartz(q => q.AddJobListener(fires, [GroupMatcher<JobKey>.GroupEquals(SyncScheduler.Group)])));
        }
    }

    /// <summary>A firing of a source's job that finished: when it was due, on which instance, and whether it repeated a dead one's.</summary>
    private sealed record Fire(Guid SourceId, string Trigger, DateTimeOffset ScheduledAt, string Instance, bool Recovering);

    /// <summary>Records every finished firing of every instance in this process.</summary>
    private sealed class FireLog : IJobListener
    {
        private readonly ConcurrentQueue<Fire> fires = new();

        public string Name => "cluster-test-fires";

        public IReadOnlyList<Fire> All() => [.. fires];

        /// <summary>The firings of the source's schedule trigger, in the order they finished.</summary>
        public IReadOnlyList<Fire> Scheduled(Guid sourceId)
            => [.. fires.Where(f => f.SourceId == sourceId && f.Trigger == SyncScheduler.TriggerKeyFor(sourceId).ToString() && !f.Recovering)];

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
        {
            var sourceId = Guid.Parse(context.MergedJobDataMap.GetString(SyncJob.SourceIdKey)!);
            var trigger = (context.Recovering ? context.RecoveringTriggerKey : context.Trigger.Key)?.ToString() ?? "";
            fires.Enqueue(new Fire(sourceId, trigger, context.ScheduledFireTimeUtc ?? context.FireTimeUtc, context.Scheduler.SchedulerInstanceId, context.Recovering));
            return ValueTask.CompletedTask;
        }
    }
}
