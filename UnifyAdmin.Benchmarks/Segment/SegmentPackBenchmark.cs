using BenchmarkDotNet.Attributes;
using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Benchmarks.Segment;

/// <summary>Packing alone: serialize 10,000 ready Identify messages (10 traits each) into batches.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class SegmentPackBenchmark
{
    private IdentifyMessage[] messages = [];

    [GlobalSetup]
    public void Setup()
    {
        var at = DateTimeOffset.UtcNow;
        messages = Enumerable.Range(0, 10_000).Select(i => SegmentSendRun.Message(0, i, 10_000, at)).ToArray();
    }

    [Benchmark(OperationsPerInvoke = 10_000)]
    public int Pack()
    {
        var batches = 0;
        using var batcher = new SegmentBatcher(new SegmentLibrary("unifyadmin", "1.0.0"));
        foreach (var message in messages)
        {
            if (batcher.Add(message) is { } batch)
            {
                batches++;
                batch.Dispose();
            }
        }

        batcher.Flush()?.Dispose();
        return batches;
    }
}
