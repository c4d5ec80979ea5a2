using BenchmarkDotNet.Running;
using UnifyAdmin.Benchmarks.Monitoring;

if (args is ["monitoring-scale", ..])
{
    // A one-shot scale run (seeding a million rows is no micro-benchmark): prints its figures.
    await MonitoringScaleRun.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return;
}

if (args is ["mapping-cpu"])
{
    UnifyAdmin.Benchmarks.Mappings.MappingBuildBenchmark.PrintCpuTime();
    return;
}

// "sync-e2e N" runs the engine's end-to-end measurement once in this process, without building job copies.
if (args is ["sync-e2e", var contacts])
{
    await UnifyAdmin.Benchmarks.Sync.SyncEngineBenchmark.RunAsync(int.Parse(contacts, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
