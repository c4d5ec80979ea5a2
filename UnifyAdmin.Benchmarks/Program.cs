using BenchmarkDotNet.Running;
using UnifyAdmin.Benchmarks.Monitoring;

if (args is ["monitoring-scale", ..])
{
    // A one-shot scale run (seeding a million rows is no micro-benchmark): prints its figures.
    await MonitoringScaleRun.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
