using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Segment;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Core.Sync;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Demo.Segment;

namespace UnifyAdmin.Benchmarks.Sync;

/// <summary>
/// The real engine end to end: an initial sync of N Contacts (10 fields, Identify with 8 traits)
/// from the demo org to the demo workspace over loopback, then an incremental with 1,000 changed
/// records. Prints time, API calls and peak working set (of the whole process: the demo org and
/// workspace, with a million profiles and messageIds, live in it too). Run once in process with
/// <c>dotnet run -c Release --project UnifyAdmin.Benchmarks -- sync-e2e 1000000</c>, or through
/// BenchmarkDotNet with <c>-- --filter *SyncEngineBenchmark*</c>.
/// </summary>
[GcServer(true)]
[SimpleJob(RunStrategy.ColdStart, launchCount: 1, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class SyncEngineBenchmark
{
    [Params(100_000, 1_000_000)]
    public int Contacts { get; set; }

    [Benchmark]
    public void InitialThenIncremental() => RunAsync(Contacts).GetAwaiter().GetResult();

    public static async Task RunAsync(int contacts)
    {
        var data = Path.Combine(Path.GetTempPath(), "unifyadmin-bench-" + Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Benchmark" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataDirectory"] = data,
            ["Demo:Salesforce:ObjectSizes:Contact"] = contacts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Demo:Salesforce:DailyApiLimit"] = "10000000",
            ["Demo:Segment:MaxDedupEntries"] = "2000000",
            ["Demo:Segment:MaxKeptMessages"] = "1000",
        });
        AddEngine(builder.Services, builder.Configuration, builder.Environment);
        builder.Services.AddSalesforceDemo(builder.Configuration);
        builder.Services.AddSegmentDemo(builder.Configuration);
        await using var app = builder.Build();
        app.MapSalesforceDemo();
        app.MapSegmentDemo();
        await app.Services.GetRequiredService<DatabaseMigrator>().PrepareAsync(CancellationToken.None);
        await app.StartAsync();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        try
        {
            var sourceId = await SeedAsync(app.Services, baseUrl);
            var org = app.Services.GetRequiredService<SalesforceDemoOrg>();
            var engine = app.Services.GetRequiredService<SyncEngine>();
            var db = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

            var peak = 0L;
            using var sampler = new Timer(_ => peak = Math.Max(peak, Environment.WorkingSet), null, 0, 100);
            var calls = org.ApiCallsUsed;
            var watch = Stopwatch.StartNew();
            var runId = await engine.RunSourceAsync(sourceId, SyncTrigger.Manual, CancellationToken.None);
            watch.Stop();
            await using (var context = await db.CreateDbContextAsync())
            {
                var run = await context.SyncRuns.Include(r => r.Mappings).FirstAsync(r => r.Id == runId);
                Console.WriteLine($"// initial: {contacts:N0} contacts, {run.State}, {watch.Elapsed.TotalSeconds:N1} s, {org.ApiCallsUsed - calls} API calls (ceil(N/2000) = {(contacts + 1999) / 2000}), accepted {run.Mappings.Sum(m => m.Accepted):N0}, peak working set {peak / 1024 / 1024:N0} MB");
            }

            for (var i = 0; i < 1000; i++)
            {
                org.Update("Contact", org.RecordId("Contact", i * (contacts / 1000)), new Dictionary<string, object?> { ["Title"] = "Changed " + i });
            }

            calls = org.ApiCallsUsed;
            watch.Restart();
            runId = await engine.RunSourceAsync(sourceId, SyncTrigger.Manual, CancellationToken.None);
            watch.Stop();
            await using (var context = await db.CreateDbContextAsync())
            {
                var run = await context.SyncRuns.Include(r => r.Mappings).FirstAsync(r => r.Id == runId);
                Console.WriteLine($"// incremental: 1,000 changed, {run.State}, {watch.Elapsed.TotalSeconds:N2} s, {org.ApiCallsUsed - calls} API calls, accepted {run.Mappings.Sum(m => m.Accepted):N0}, unchanged {run.Mappings.Sum(m => m.Unchanged):N0}");
            }
        }
        finally
        {
            await app.StopAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }

    /// <summary>Core's services the engine needs (persistence, secrets, both clients, sources, destinations, sync), as the app registers them.</summary>
    internal static void AddEngine(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddPersistence(configuration, environment);
        services.AddSecurity(configuration, environment);
        services.AddSalesforceClient(configuration);
        services.AddSegmentClients(configuration);
        services.AddSources();
        services.AddDestinations();
        services.AddSync(configuration);
    }

    /// <summary>One source, destination, Contact model (10 fields) and Identify mapping (8 traits) in the database of <paramref name="services"/>; returns the source.</summary>
    internal static async Task<Guid> SeedAsync(IServiceProvider services, string baseUrl)
    {
        var secrets = services.GetRequiredService<SecretProtector>();
        var login = new Uri(baseUrl + "/demo/salesforce");
        var token = await services.GetRequiredService<SalesforceOAuthClient>().ClientCredentialsAsync(login, "demo-client-id", "demo-client-secret", CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var source = new Source
        {
            Id = Guid.NewGuid(), Name = "Bench", LoginKind = SalesforceLoginKind.AppHosted, LoginHost = login.ToString(), AuthFlow = SalesforceAuthFlow.ClientCredentials,
            ClientId = "demo-client-id", ClientSecretProtected = secrets.Protect("demo-client-secret"), AccessTokenProtected = secrets.Protect(token.AccessToken),
            InstanceUrl = token.InstanceUrl.ToString().TrimEnd('/'), ConnectionState = SourceConnectionState.Connected, Enabled = true, ApiBudgetPercent = 100,
            CreatedAt = now, UpdatedAt = now, Version = Guid.NewGuid(),
        };
        var destination = new Destination { Id = Guid.NewGuid(), Name = "Bench", TrackingApiUrl = baseUrl + "/demo/segment", Enabled = true, CreatedAt = now, UpdatedAt = now, Version = Guid.NewGuid() };
        var space = new ProfileSpace { Id = Guid.NewGuid(), DestinationId = destination.Id, SpaceId = "spa_demo", Name = "Demo", WriteKeyProtected = secrets.Protect("demo-write-key")! };
        destination.Spaces.Add(space);
        await using var scope = services.CreateAsyncScope();
        var client = await scope.ServiceProvider.GetRequiredService<SourceService>().CreateClientAsync(source.Id, CancellationToken.None);
        var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        db.Sources.Add(source);
        db.Destinations.Add(destination);
        await db.SaveChangesAsync();
        client = await scope.ServiceProvider.GetRequiredService<SourceService>().CreateClientAsync(source.Id, CancellationToken.None);
        var describe = await client!.DescribeAsync("Contact");
        string[] fields = ["Id", "SystemModstamp", "Email", "FirstName", "LastName", "Title", "Department", "Phone", "LeadSource", "Birthdate"];
        var model = new DataModel
        {
            Id = Guid.NewGuid(), SourceId = source.Id, Name = "Contacts", Collection = "Contact", Fields = [.. fields],
            SchemaSnapshot = fields.Select(f => describe.FindField(f)!).Select(f => new ModelFieldSnapshot(f.Name, f.Type, f.Length, f.Nillable, f.Calculated)).ToList(),
            CreatedAt = now, UpdatedAt = now, Version = Guid.NewGuid(),
        };
        var mapping = new Mapping
        {
            Id = Guid.NewGuid(), ModelId = model.Id, DestinationId = destination.Id, ProfileSpaceId = space.Id, Action = MappingAction.Identify, UserIdField = "Id",
            Traits = [new("email", "Email"), new("first_name", "FirstName"), new("last_name", "LastName"), new("title", "Title"), new("department", "Department"), new("phone", "Phone"), new("lead_source", "LeadSource"), new("birthdate", "Birthdate")],
            Enabled = true, CreatedAt = now, UpdatedAt = now, Version = Guid.NewGuid(),
        };
        db.Models.Add(model);
        db.Mappings.Add(mapping);
        await db.SaveChangesAsync();
        await db.DisposeAsync();
        return source.Id;
    }
}
