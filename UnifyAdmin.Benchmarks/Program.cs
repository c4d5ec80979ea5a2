using BenchmarkDotNet.Running;

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
