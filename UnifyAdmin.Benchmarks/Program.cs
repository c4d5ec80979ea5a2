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

// "sync-e2e N" runs the engine's end-to-end measurement once, without building job copies; the demo org and
// workspace run in a child process ("demo-host N") unless "--demo-in-process" is given.
if (args is ["sync-e2e", var contacts, ..] && args.Skip(2).All(a => a == "--demo-in-process"))
{
    await UnifyAdmin.Benchmarks.Sync.SyncEngineBenchmark.RunAsync(int.Parse(contacts, System.Globalization.CultureInfo.InvariantCulture), demoInProcess: args.Length > 2);
    return;
}

if (args is ["demo-host", var size])
{
    await UnifyAdmin.Benchmarks.Sync.DemoHost.ServeAsync(int.Parse(size, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

// "sync-crash N K [seed]": the app as a child process, killed K times during its initial sync of N Contacts; non-zero exit on any loss.
if (args is ["sync-crash", var records, var kills, ..])
{
    var seed = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
    Environment.ExitCode = await UnifyAdmin.Benchmarks.Sync.SyncCrashRun.RunAsync(
        int.Parse(records, System.Globalization.CultureInfo.InvariantCulture), int.Parse(kills, System.Globalization.CultureInfo.InvariantCulture), seed);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
