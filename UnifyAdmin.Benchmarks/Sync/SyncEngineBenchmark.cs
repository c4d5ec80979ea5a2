using System.Diagnostics;
using System.Net.Http.Json;
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

namespace UnifyAdmin.Benchmarks.Sync;

/// <summary>
/// The real engine end to end: an initial sync of N Contacts (10 fields, Identify with 8 traits)
/// from the demo org to the demo workspace over loopback, then an incremental with 1,000 changed
/// records. Prints time, API calls (counted by the org) and peak memory. By default the demo org and
/// workspace run in a child process, so the peak is the engine's own (the workspace keeps every profile
/// and messageId: its memory grows with N by design, and its peak is printed separately); with
/// <c>--demo-in-process</c> everything shares one process as before. Run once with
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
    public void InitialThenIncremental() => RunAsync(Contacts, demoInProcess: false).GetAwaiter().GetResult();

    public static async Task RunAsync(int contacts, bool demoInProcess)
    {
        var data = Path.Combine(Path.GetTempPath(), "unifyadmin-bench-" + Guid.NewGuid().ToString("N"));
        await using var child = demoInProcess ? null : await DemoHost.StartChildAsync(contacts);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Benchmark" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["DataDirectory"] = data });
        AddEngine(builder.Services, builder.Configuration, builder.Environment);
        if (demoInProcess)
        {
            DemoHost.Add(builder, contacts);
        }

        await using var app = builder.Build();
        if (demoInProcess)
        {
            DemoHost.Map(app);
        }

        await app.Services.GetRequiredService<DatabaseMigrator>().PrepareAsync(CancellationToken.None);
        await app.StartAsync();
        var demoUrl = child?.Url ?? app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        using var control = new HttpClient { BaseAddress = new Uri(demoUrl + "/demo/salesforce/_control/") };
        try
        {
            var sourceId = await SeedAsync(app.Services, demoUrl);
            var engine = app.Services.GetRequiredService<SyncEngine>();
            var db = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

            using var peak = new PeakMemory();
            var calls = await ApiCallsUsedAsync(control);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var runId = await engine.RunSourceAsync(sourceId, SyncTrigger.Manual, CancellationToken.None);
            watch.Stop();
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var (workingSet, gcHeap) = (peak.WorkingSet, peak.GcHeap);
            await using (var context = await db.CreateDbContextAsync())
            {
                var run = await context.SyncRuns.Include(r => r.Mappings).FirstAsync(r => r.Id == runId);
                Console.WriteLine($"// initial: {contacts:N0} contacts, {run.State}, {watch.Elapsed.TotalSeconds:N1} s ({cpu.TotalSeconds:N1} s CPU in the {(demoInProcess ? "shared" : "engine's")} process), "
                    + $"{await ApiCallsUsedAsync(control) - calls} API calls (ceil(N/2000) = {(contacts + 1999) / 2000}), accepted {run.Mappings.Sum(m => m.Accepted):N0}, "
                    + $"peak {(demoInProcess ? "process (engine and demo)" : "engine process")}: working set {workingSet / 1024 / 1024:N0} MB, GC heap {gcHeap / 1024 / 1024:N0} MB");
            }

            for (var i = 0; i < 1000; i++)
            {
                var id = (await control.GetFromJsonAsync<RecordIdAnswer>($"records/Contact/index/{i * (contacts / 1000)}"))!.Id;
                using var changed = await control.PatchAsJsonAsync($"records/Contact/{id}", new Dictionary<string, object?> { ["Title"] = "Changed " + i });
                changed.EnsureSuccessStatusCode();
            }

            calls = await ApiCallsUsedAsync(control);
            watch.Restart();
            runId = await engine.RunSourceAsync(sourceId, SyncTrigger.Manual, CancellationToken.None);
            watch.Stop();
            await using (var context = await db.CreateDbContextAsync())
            {
                var run = await context.SyncRuns.Include(r => r.Mappings).FirstAsync(r => r.Id == runId);
                Console.WriteLine($"// incremental: 1,000 changed, {run.State}, {watch.Elapsed.TotalSeconds:N2} s, {await ApiCallsUsedAsync(control) - calls} API calls, accepted {run.Mappings.Sum(m => m.Accepted):N0}, unchanged {run.Mappings.Sum(m => m.Unchanged):N0}");
            }

            if (child is not null)
            {
                var demo = await child.StopAsync();
                Console.WriteLine($"// demo process (org and workspace): peak working set {demo.WorkingSet / 1024 / 1024:N0} MB, GC heap {demo.GcHeap / 1024 / 1024:N0} MB; {demo.Cpu.TotalSeconds:N1} s CPU from its start (both runs and seeding)");
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

    private static async Task<long> ApiCallsUsedAsync(HttpClient control)
        => (await control.GetFromJsonAsync<LimitsAnswer>("limits"))!.Used;

    private sealed record LimitsAnswer(long Used);

    private sealed record RecordIdAnswer(string Id);

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
