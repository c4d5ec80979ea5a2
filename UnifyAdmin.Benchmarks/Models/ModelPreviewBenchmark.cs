using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Demo.Salesforce;

namespace UnifyAdmin.Benchmarks.Models;

/// <summary>
/// One refresh of a model's live preview (25 rows with a filter, plus COUNT) against a demo Contact
/// collection of 1,000,000 rows on a loopback port, with the session's describes already cached, as
/// when an admin edits a filter. Target: under 500 ms and exactly 2 API calls per refresh.
/// </summary>
[Config(typeof(InProcessConfig))]
public class ModelPreviewBenchmark
{
    private static readonly string[] Fields = ["FirstName", "LastName", "Email", "LeadSource", "Birthdate", "AccountId", "Account.Name", "Account.Industry"];
    private static readonly string[] LeadSources = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"];

    private WebApplication? demo;
    private ServiceProvider? services;
    private ModelEditingSession? session;
    private int round;

    [Params(1_000_000)]
    public int Rows { get; set; }

    /// <summary>How many conditions the filter has: the demo org evaluates each one on every row to COUNT.</summary>
    [Params(1, 2)]
    public int Conditions { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [Benchmark(Description = "Refresh a 25-row filtered model preview (query + COUNT)")]
    public long Refresh() => RefreshAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        services?.Dispose();
        demo?.StopAsync().GetAwaiter().GetResult();
        demo?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private async Task<long> RefreshAsync()
    {
        // Each refresh asks something new, as an admin changing the filter would.
        var source = LeadSources[round++ % LeadSources.Length];
        FilterCondition[] conditions =
        [
            new("LeadSource", FilterOperator.Equals, source),
            new("Birthdate", FilterOperator.GreaterOrEqual, "1970-01-01"),
        ];
        var filter = new ModelFilter(FilterJoin.And, conditions[..Conditions]);
        var before = session!.ApiCalls;
        var preview = await session.PreviewAsync("Contact", Fields, filter, revalidate: false, CancellationToken.None);
        if (preview.Errors.Count > 0 || preview.Rows.Count != ModelEditingSession.PreviewRows || session.ApiCalls - before != 2)
        {
            throw new InvalidOperationException($"Unexpected preview: {preview.Rows.Count} rows, {session.ApiCalls - before} calls, {string.Join(" ", preview.Errors)}");
        }

        return preview.MatchingRows!.Value;
    }

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
        var options = demo.Services.GetRequiredService<SalesforceDemoOrg>().Options;
        var token = await services.GetRequiredService<SalesforceOAuthClient>().ClientCredentialsAsync(loginHost, options.ClientId, options.ClientSecret, CancellationToken.None);
        var client = services.GetRequiredService<ISalesforceClientFactory>().Create(
            new SalesforceConnection(Guid.NewGuid(), loginHost, token.InstanceUrl, options.ClientId, options.ClientSecret, token.AccessToken));
        session = new ModelEditingSession(Guid.NewGuid(),
        [
            new SourceCollection { Name = "Contact", Columns = [.. Fields.Where(f => !f.Contains('.', StringComparison.Ordinal))] },
            new SourceCollection { Name = "Account", Columns = ["Name", "Industry"] },
        ], client);
        // Opening the preview step loads the describes once per session.
        await session.Describes.LoadSchemaAsync("Contact", Fields, revalidate: false, CancellationToken.None);
    }

    /// <summary>In-process: a refresh is dominated by loopback I/O, and generating a child project costs minutes on a small machine.</summary>
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() => AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(10)
            .WithToolchain(InProcessEmitToolchain.Instance));
    }
}
