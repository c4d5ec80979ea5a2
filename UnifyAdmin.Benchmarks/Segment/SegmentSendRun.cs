using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Demo.Segment;
using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Benchmarks.Segment;

/// <summary>Figures of one end-to-end send: throughput, batch fullness and memory.</summary>
public sealed record SegmentSendFigures(
    int Messages,
    int DistinctUsers,
    TimeSpan Elapsed,
    int Batches,
    double MeanFullness,
    double MinFullness,
    int Accepted,
    int Failed,
    long PeakWorkingSetBytes,
    long PeakManagedHeapBytes,
    int DemoUserProfiles,
    TimeSpan CpuTime,
    long LiveHeapAfterRunBytes)
{
    public double MessagesPerSecond => Messages / Elapsed.TotalSeconds;

    /// <summary>Process CPU per message, client and demo together; robust when other work shares the machine.</summary>
    public double CpuMicrosecondsPerMessage => CpuTime.TotalMicroseconds / Messages;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"segment-send: {Messages:N0} identify messages ({DistinctUsers:N0} distinct users) in {Elapsed.TotalSeconds:N2} s = {MessagesPerSecond:N0} msg/s; " +
        $"{Batches:N0} batches, fullness mean {MeanFullness:P1} min {MinFullness:P1} (last batch excluded); accepted {Accepted:N0}, failed {Failed:N0}; " +
        $"peak working set {PeakWorkingSetBytes / 1048576.0:N0} MiB, peak managed heap {PeakManagedHeapBytes / 1048576.0:N0} MiB, live heap after the run {LiveHeapAfterRunBytes / 1048576.0:N0} MiB; demo user profiles {DemoUserProfiles:N0}; " +
        $"process CPU {CpuTime.TotalSeconds:N1} s = {CpuMicrosecondsPerMessage:N1} us/msg (client + demo), {Environment.ProcessorCount} cores, load average {LoadAverage()}");

    private static string LoadAverage()
        => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

/// <summary>
/// Hosts the demo workspace on a Kestrel loopback port in this process and streams Identify
/// messages through the real batcher and tracking client into it: packing on one thread, sends on
/// a bounded channel, so memory stays flat however many messages go through.
/// </summary>
public sealed class SegmentSendRun : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ServiceProvider clients;
    private int runNumber;

    private SegmentSendRun(WebApplication app, ServiceProvider clients, Uri trackingBase)
    {
        this.app = app;
        this.clients = clients;
        TrackingBase = trackingBase;
    }

    public Uri TrackingBase { get; }

    /// <param name="maxDedupEntries">
    /// Bound of the demo's messageId set; equal to the distinct users when comparing memory
    /// across message counts, so the demo holds the same state and only the client differs.
    /// </param>
    public static async Task<SegmentSendRun> StartAsync(int maxDedupEntries = 2_000_000)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Benchmark" });
        builder.WebHost.UseKestrel(k => k.Limits.MaxRequestBodySize = null).UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Demo:Segment:MaxKeptMessages"] = "1000",
            ["Demo:Segment:MaxDedupEntries"] = maxDedupEntries.ToString(CultureInfo.InvariantCulture),
        });
        builder.Services.AddSegmentDemo(builder.Configuration);
        var app = builder.Build();
        app.MapSegmentDemo();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSegmentClients(new ConfigurationBuilder().Build());
        return new SegmentSendRun(app, services.BuildServiceProvider(), new Uri(address.TrimEnd('/') + "/demo/segment"));
    }

    /// <summary>Builds the message the way the engine would: a fresh traits dictionary per record.</summary>
    public static IdentifyMessage Message(int run, int i, int distinctUsers, DateTimeOffset at)
    {
        var user = i % distinctUsers;
        var traits = new Dictionary<string, object?>(10)
        {
            ["email"] = $"user{user}@example.com",
            ["first_name"] = "Ada",
            ["last_name"] = "Lovelace-" + user.ToString(CultureInfo.InvariantCulture),
            ["title"] = "Head of Analytical Engines",
            ["phone"] = "+44 20 7946 0958",
            ["lifetime_value"] = 1234.5 + (i % 100),
            ["employees"] = 250,
            ["is_customer"] = (i & 1) == 0,
            ["created_at"] = at,
            ["city"] = "London",
        };
        return new IdentifyMessage(
            string.Create(CultureInfo.InvariantCulture, $"bench-{run}-{i}"),
            string.Create(CultureInfo.InvariantCulture, $"003{user:D15}"),
            null,
            traits,
            at,
            RecordKey: null);
    }

    public async Task<SegmentSendFigures> RunAsync(int count, int distinctUsers, int senders = 2)
    {
        var run = Interlocked.Increment(ref runNumber);
        var tracking = clients.GetRequiredService<SegmentTrackingClient>();
        var options = clients.GetRequiredService<Microsoft.Extensions.Options.IOptions<SegmentOptions>>().Value;
        var channel = Channel.CreateBounded<SegmentBatch>(new BoundedChannelOptions(senders * 2) { SingleWriter = true });
        var fullness = new List<double>();
        var accepted = 0;
        var failed = 0;
        long peakHeap = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                try
                {
                    await Task.Delay(50, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var consumers = Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            await foreach (var batch in channel.Reader.ReadAllAsync())
            {
                using (batch)
                {
                    var result = await tracking.SendBatchAsync(TrackingBase, "demo-write-key", batch, CancellationToken.None);
                    Interlocked.Add(ref accepted, result.Accepted.Count);
                    Interlocked.Add(ref failed, result.Failed.Count);
                }
            }
        })).ToArray();

        var at = DateTimeOffset.UtcNow;
        using (var batcher = tracking.CreateBatcher())
        {
            for (var i = 0; i < count; i++)
            {
                if (batcher.Add(Message(run, i, distinctUsers, at)) is { } full)
                {
                    fullness.Add((double)full.ByteCount / options.MaxBatchBytes);
                    await channel.Writer.WriteAsync(full);
                }
            }

            if (batcher.Flush() is { } last)
            {
                await channel.Writer.WriteAsync(last);
            }

            failed += batcher.RefusedCount;
        }

        channel.Writer.Complete();
        await Task.WhenAll(consumers);
        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        await sampling.CancelAsync();
        await sampler;

        var users = app.Services.GetRequiredService<SegmentDemoWorkspace>().Summaries().Single(s => s.Id == "spa_demo").Users;
        return new SegmentSendFigures(
            count,
            Math.Min(count, distinctUsers),
            clock.Elapsed,
            fullness.Count + 1,
            fullness.Count > 0 ? fullness.Average() : 0,
            fullness.Count > 0 ? fullness.Min() : 0,
            accepted,
            failed,
            process.PeakWorkingSet64,
            peakHeap,
            users,
            cpu,
            GC.GetTotalMemory(forceFullCollection: true));
    }

    public async ValueTask DisposeAsync()
    {
        await clients.DisposeAsync();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
