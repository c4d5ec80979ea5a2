using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace UnifyAdmin.Benchmarks.Segment;

/// <summary>
/// End to end: pack and send Identify messages (10 traits each) to the in-process demo over
/// loopback. One cold invocation per case; the figures (msg/s, batch fullness, peak memory) are
/// printed by the benchmark process. Run with
/// <c>dotnet run -c Release --project UnifyAdmin.Benchmarks -- --filter *SegmentSendBenchmark*</c>.
/// </summary>
// Server GC, as the ASP.NET Core host that serves the demo in the app runs with.
[GcServer(true)]
[SimpleJob(RunStrategy.ColdStart, launchCount: 1, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class SegmentSendBenchmark
{
    private SegmentSendRun? run;

    [Params(100_000, 1_000_000)]
    public int Messages { get; set; }

    /// <summary>
    /// Distinct users the messages cycle over (a re-sync updates existing profiles). With the
    /// demo's messageId set bounded to the same number, the demo ends each case holding the
    /// same state, so a difference in peak memory between 100,000 and 1,000,000 messages is the
    /// client's. Set it to 1,000,000 to measure a million new profiles instead.
    /// </summary>
    [Params(100_000)]
    public int DistinctUsers { get; set; }

    [GlobalSetup]
    public void Setup() => run = SegmentSendRun.StartAsync(maxDedupEntries: DistinctUsers).GetAwaiter().GetResult();

    [Benchmark]
    public void PackAndSend()
    {
        var figures = run!.RunAsync(Messages, DistinctUsers).GetAwaiter().GetResult();
        Console.WriteLine("// " + figures);
    }

    [GlobalCleanup]
    public void Cleanup() => run!.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
