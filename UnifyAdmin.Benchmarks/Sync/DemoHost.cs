using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Demo.Segment;

namespace UnifyAdmin.Benchmarks.Sync;

/// <summary>
/// The demo org and workspace of the end-to-end benchmark. The workspace keeps every profile and every
/// messageId it saw, so its memory grows with the org by design; run in its own process, it leaves the
/// engine's process to measure the engine alone.
/// </summary>
public static class DemoHost
{
    /// <summary>Settings of the demo services for an org of <paramref name="contacts"/> Contacts.</summary>
    public static Dictionary<string, string?> Settings(int contacts) => new()
    {
        ["Demo:Salesforce:ObjectSizes:Contact"] = contacts.ToString(CultureInfo.InvariantCulture),
        ["Demo:Salesforce:DailyApiLimit"] = "10000000",
        ["Demo:Salesforce:ControlApiEnabled"] = "true",
        ["Demo:Segment:MaxDedupEntries"] = "2000000",
        ["Demo:Segment:MaxKeptMessages"] = "1000",
    };

    public static void Add(WebApplicationBuilder builder, int contacts)
    {
        builder.Configuration.AddInMemoryCollection(Settings(contacts));
        builder.Services.AddSalesforceDemo(builder.Configuration);
        builder.Services.AddSegmentDemo(builder.Configuration);
    }

    public static void Map(WebApplication app)
    {
        app.MapSalesforceDemo();
        app.MapSegmentDemo();
    }

    /// <summary>
    /// The child process's side (<c>demo-host N</c>): serves the demo on a loopback port, writes
    /// <c>url …</c>, and when its standard input closes writes <c>peak …</c> (working set, GC heap, CPU time) and exits.
    /// </summary>
    public static async Task ServeAsync(int contacts)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Benchmark" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        Add(builder, contacts);
        await using var app = builder.Build();
        Map(app);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        using var peak = new PeakMemory();
        Console.WriteLine("url " + url);
        await Console.In.ReadToEndAsync();
        Console.WriteLine($"peak {peak.WorkingSet} {peak.GcHeap} {Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds:F0}");
        await app.StopAsync();
    }

    /// <summary>Starts <c>demo-host N</c> as a child of this process and waits for its URL.</summary>
    public static async Task<Child> StartChildAsync(int contacts)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(DemoHost).Assembly.Location);
        }

        start.ArgumentList.Add("demo-host");
        start.ArgumentList.Add(contacts.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("The demo process did not start.");
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("url ", StringComparison.Ordinal))
            {
                return new Child(process, line[4..]);
            }
        }

        throw new InvalidOperationException("The demo process ended before serving.");
    }

    public sealed class Child(Process process, string url) : IAsyncDisposable
    {
        public string Url { get; } = url;

        /// <summary>Closes the child's input, which ends it, and returns the peak memory it reported.</summary>
        public async Task<(long WorkingSet, long GcHeap, TimeSpan Cpu)> StopAsync()
        {
            process.StandardInput.Close();
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("peak ", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ');
                    await process.WaitForExitAsync();
                    return (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(double.Parse(parts[3], CultureInfo.InvariantCulture)));
                }
            }

            return (0, 0, TimeSpan.Zero);
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }
}

/// <summary>Samples this process's working set and GC heap every 100 ms and keeps the highest of each.</summary>
public sealed class PeakMemory : IDisposable
{
    private readonly Timer timer;
    private long workingSet;
    private long gcHeap;

    public PeakMemory() => timer = new Timer(_ => Sample(), null, 0, 100);

    public long WorkingSet
    {
        get
        {
            Sample();
            return Interlocked.Read(ref workingSet);
        }
    }

    public long GcHeap
    {
        get
        {
            Sample();
            return Interlocked.Read(ref gcHeap);
        }
    }

    public void Dispose() => timer.Dispose();

    private void Sample()
    {
        Max(ref workingSet, Environment.WorkingSet);
        Max(ref gcHeap, GC.GetTotalMemory(forceFullCollection: false));
    }

    private static void Max(ref long peak, long value)
    {
        var seen = Interlocked.Read(ref peak);
        while (value > seen && Interlocked.CompareExchange(ref peak, value, seen) != seen)
        {
            seen = Interlocked.Read(ref peak);
        }
    }
}
