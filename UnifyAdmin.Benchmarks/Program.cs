using BenchmarkDotNet.Running;

if (args is ["mapping-cpu"])
{
    UnifyAdmin.Benchmarks.Mappings.MappingBuildBenchmark.PrintCpuTime();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
