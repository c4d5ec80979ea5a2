using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Demo.Salesforce;

namespace UnifyAdmin.Benchmarks.Salesforce;

/// <summary>
/// Streams N Contact rows (10 columns) from the demo org, hosted in-process on a loopback Kestrel
/// port, through the client. Extra columns: rows/s (from the mean), peak working set and peak GC heap of
/// the benchmark process, and API calls per run from the demo's usage counter.
/// </summary>
[Config(typeof(StreamConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 3)]
public class SalesforceStreamBenchmarks
{
    private const string TenColumns = "SELECT Id, FirstName, LastName, Email, Phone, Title, Department, Birthdate, AccountId, SystemModstamp FROM Contact";

    private WebApplication? demo;
    private ServiceProvider? services;
    private ISalesforceClient? client;
    private long peakHeap;
    private long apiCalls;

    [Params(100_000, 1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [Benchmark(Description = "Stream Contact rows through ISalesforceClient")]
    public long Stream() => StreamAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        var peakWorkingSet = Process.GetCurrentProcess().PeakWorkingSet64;
        var line = string.Create(CultureInfo.InvariantCulture, $"{peakWorkingSet};{peakHeap};{apiCalls}");
        File.WriteAllText(ResultPath(Rows), line);
        Console.WriteLine($"// Salesforce stream {Rows} rows: peak working set {peakWorkingSet / 1048576.0:F1} MB, peak GC heap {peakHeap / 1048576.0:F1} MB, API calls per run {apiCalls}");
        services?.Dispose();
        demo?.StopAsync().GetAwaiter().GetResult();
        demo?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    internal static string ResultPath(object rows) => Path.Combine(Path.GetTempPath(), $"unifyadmin-salesforce-stream-{rows}.txt");

    private async Task SetupAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Benchmark" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Demo:Salesforce:DailyApiLimit"] = "100000000",
            ["Demo:Salesforce:ObjectSizes:Contact"] = Rows.ToString(CultureInfo.InvariantCulture),
        });
        builder.Services.AddSalesforceDemo(builder.Configuration);
        demo = builder.Build();
        demo.MapSalesforceDemo();
        await demo.StartAsync();
        var address = demo.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var loginHost = new Uri(address.TrimEnd('/') + "/demo/salesforce");

        var configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddLogging();
        collection.AddSalesforceClient(configuration);
        services = collection.BuildServiceProvider();
        var demoOptions = demo.Services.GetRequiredService<SalesforceDemoOrg>().Options;
        var token = await services.GetRequiredService<SalesforceOAuthClient>()
            .ClientCredentialsAsync(loginHost, demoOptions.ClientId, demoOptions.ClientSecret, CancellationToken.None);
        client = services.GetRequiredService<ISalesforceClientFactory>().Create(
            new SalesforceConnection(Guid.NewGuid(), loginHost, token.InstanceUrl, demoOptions.ClientId, demoOptions.ClientSecret, token.AccessToken));
    }

    private async Task<long> StreamAsync()
    {
        var org = demo!.Services.GetRequiredService<SalesforceDemoOrg>();
        var callsBefore = org.ApiCallsUsed;
        long rows = 0;
        await foreach (var row in client!.QueryAsync(TenColumns, batchSize: 2000))
        {
            if (row.Count != 10)
            {
                throw new InvalidOperationException("A row lost columns.");
            }

            if (++rows % 2000 == 0)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
            }
        }

        if (rows != Rows)
        {
            throw new InvalidOperationException($"Streamed {rows} rows, expected {Rows}.");
        }

        apiCalls = org.ApiCallsUsed - callsBefore;
        return rows;
    }

    private sealed class StreamConfig : ManualConfig
    {
        public StreamConfig()
        {
            AddColumn(new RowsPerSecondColumn(), new ResultColumn("Peak working set (MB)", 0), new ResultColumn("Peak GC heap (MB)", 1), new ResultColumn("API calls/run", 2));
        }
    }

    private sealed class RowsPerSecondColumn : IColumn
    {
        public string Id => "RowsPerSecond";

        public string ColumnName => "Rows/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Rows streamed per second, from the mean time of one run";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var rows = Convert.ToDouble(benchmarkCase.Parameters["Rows"], CultureInfo.InvariantCulture);
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return mean is > 0 ? (rows / (mean.Value / 1e9)).ToString("N0", CultureInfo.InvariantCulture) : "-";
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }

    private sealed class ResultColumn(string name, int index) : IColumn
    {
        public string Id => "SalesforceStream" + index;

        public string ColumnName => name;

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => index + 1;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Measured inside the benchmark process; see GlobalCleanup";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var path = ResultPath(benchmarkCase.Parameters["Rows"]);
            if (!File.Exists(path))
            {
                return "-";
            }

            var value = long.Parse(File.ReadAllText(path).Split(';')[index], CultureInfo.InvariantCulture);
            return index == 2 ? value.ToString(CultureInfo.InvariantCulture) : (value / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
