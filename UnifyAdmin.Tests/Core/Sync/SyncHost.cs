using System.Globalization;
using Microsoft.EntityFrameworkCore;
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
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Sync;

/// <summary>The app with a small demo org (450 Contacts, 200-row pages) and fast retries; flows are created as rows.</summary>
public class SyncHost : AppHost
{
    public const int Contacts = 450;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => BaseSettings;

    protected static IEnumerable<KeyValuePair<string, string?>> BaseSettings =>
    [
        new("Demo:Salesforce:ObjectSizes:Contact", Contacts.ToString(CultureInfo.InvariantCulture)),
        new("Demo:Salesforce:DailyApiLimit", "1000000"),
        new("Sync:PageSize", "200"),
        new("Segment:MaxAttempts", "3"),
        new("Segment:InitialBackoff", "00:00:00.010"),
        new("Segment:MaxBackoff", "00:00:00.040"),
        new("Salesforce:RetryCount", "3"),
        new("Salesforce:RetryBaseDelay", "00:00:00.010"),
    ];

    /// <summary>Where the flows' demo org and workspace live: this app's own demo unless a test hosts them elsewhere.</summary>
    public virtual string DemoUrl(string path) => Url(path);

    public SalesforceDemoOrg Org => Services.GetRequiredService<SalesforceDemoOrg>();

    public SegmentDemoControl Segment => Services.GetRequiredService<SegmentDemoControl>();

    public SyncEngine Engine => Services.GetRequiredService<SyncEngine>();

    public IDbContextFactory<AppDbContext> Db => Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    /// <summary>Back to the generated org and an empty workspace.</summary>
    public void ResetDemo()
    {
        Org.Reset();
        Segment.Reset();
    }

    /// <summary>Messages the workspace kept (not dropped), newest last.</summary>
    public IReadOnlyList<SegmentDemoMessage> Delivered() => Segment.Messages("spa_demo", 100_000).Where(m => m.DroppedReason is null).ToList();

    public async Task<Guid> CreateSourceAsync(DateTimeOffset? historicalSince = null, int budgetPercent = 50)
    {
        var secrets = Services.GetRequiredService<SecretProtector>();
        var login = new Uri(DemoUrl("/demo/salesforce"));
        var token = await Services.GetRequiredService<SalesforceOAuthClient>().ClientCredentialsAsync(login, "demo-client-id", "demo-client-secret", CancellationToken.None);
        var source = new Source
        {
            Id = Guid.NewGuid(),
            Name = "Demo " + Guid.NewGuid().ToString("N")[..6],
            LoginKind = SalesforceLoginKind.AppHosted,
            LoginHost = login.ToString().TrimEnd('/'),
            AuthFlow = SalesforceAuthFlow.ClientCredentials,
            ClientId = "demo-client-id",
            ClientSecretProtected = secrets.Protect("demo-client-secret"),
            AccessTokenProtected = secrets.Protect(token.AccessToken),
            InstanceUrl = token.InstanceUrl.ToString().TrimEnd('/'),
            ConnectionState = SourceConnectionState.Connected,
            Enabled = true,
            HistoricalSince = historicalSince,
            ApiBudgetPercent = budgetPercent,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
            Version = Guid.NewGuid(),
        };
        await using var db = await Db.CreateDbContextAsync();
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        return source.Id;
    }

    public async Task<(Guid DestinationId, Guid SpaceId)> CreateDestinationAsync()
    {
        var secrets = Services.GetRequiredService<SecretProtector>();
        var destination = new Destination
        {
            Id = Guid.NewGuid(),
            Name = "Demo workspace " + Guid.NewGuid().ToString("N")[..6],
            Region = SegmentRegion.Us,
            TrackingApiUrl = DemoUrl("/demo/segment"),
            ProfileApiUrl = DemoUrl("/demo/segment-profiles"),
            Enabled = true,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
            Version = Guid.NewGuid(),
        };
        var space = new ProfileSpace { Id = Guid.NewGuid(), DestinationId = destination.Id, SpaceId = "spa_demo", Name = "Demo space", WriteKeyProtected = secrets.Protect("demo-write-key")!, AccessTokenProtected = secrets.Protect("demo-access-token") };
        destination.Spaces.Add(space);
        await using var db = await Db.CreateDbContextAsync();
        db.Destinations.Add(destination);
        await db.SaveChangesAsync();
        return (destination.Id, space.Id);
    }

    public async Task<Guid> CreateModelAsync(Guid sourceId, params string[] fields)
    {
        var client = await Services.CreateAsyncScope().ServiceProvider.GetRequiredService<SourceService>().CreateClientAsync(sourceId, CancellationToken.None);
        var describe = await client!.DescribeAsync("Contact");
        var all = new[] { "Id", "SystemModstamp" }.Concat(fields).Distinct().ToList();
        var model = new DataModel
        {
            Id = Guid.NewGuid(),
            SourceId = sourceId,
            Name = "Contacts " + Guid.NewGuid().ToString("N")[..6],
            Collection = "Contact",
            Fields = all,
            SchemaSnapshot = all.Select(f => describe.FindField(f)!).Select(f => new ModelFieldSnapshot(f.Name, f.Type, f.Length, f.Nillable, f.Calculated)).ToList(),
            CollectionFields = describe.Fields.Select(f => f.Name).ToList(),
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
            Version = Guid.NewGuid(),
        };
        await using var db = await Db.CreateDbContextAsync();
        db.Models.Add(model);
        await db.SaveChangesAsync();
        return model.Id;
    }

    public async Task<Guid> CreateMappingAsync(Guid modelId, (Guid DestinationId, Guid SpaceId) destination, string userIdField = "Id", DeletePolicy deletes = DeletePolicy.Report, params TraitMapping[] traits)
    {
        var mapping = new Mapping
        {
            Id = Guid.NewGuid(),
            ModelId = modelId,
            DestinationId = destination.DestinationId,
            ProfileSpaceId = destination.SpaceId,
            Action = MappingAction.Identify,
            UserIdField = userIdField,
            Traits = traits.Length > 0 ? [.. traits] : [new("email", "Email"), new("first_name", "FirstName"), new("last_name", "LastName"), new("title", "Title")],
            Enabled = true,
            DeletePolicy = deletes,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
            Version = Guid.NewGuid(),
        };
        await using var db = await Db.CreateDbContextAsync();
        db.Mappings.Add(mapping);
        await db.SaveChangesAsync();
        return mapping.Id;
    }

    /// <summary>A source with one Contact model (Email, names, Title) and one mapping to the demo space.</summary>
    public async Task<(Guid Source, Guid Model, Guid Mapping, (Guid, Guid) Destination)> CreateFlowAsync(DateTimeOffset? since = null, string userIdField = "Id")
    {
        var source = await CreateSourceAsync(since);
        var destination = await CreateDestinationAsync();
        var model = await CreateModelAsync(source, "Email", "FirstName", "LastName", "Title");
        var mapping = await CreateMappingAsync(model, destination, userIdField);
        return (source, model, mapping, destination);
    }

    public async Task<SyncRun> RunAsync(Guid sourceId)
    {
        var id = await Engine.RunSourceAsync(sourceId, SyncTrigger.Manual, CancellationToken.None);
        Assert.NotNull(id);
        return await GetRunAsync(id.Value);
    }

    public async Task<SyncRun> GetRunAsync(Guid runId)
    {
        await using var db = await Db.CreateDbContextAsync();
        return await db.SyncRuns.AsNoTracking().Include(r => r.Mappings).FirstAsync(r => r.Id == runId);
    }

    public async Task<Mapping> GetMappingAsync(Guid id)
    {
        await using var db = await Db.CreateDbContextAsync();
        return await db.Mappings.AsNoTracking().FirstAsync(m => m.Id == id);
    }

    public async Task<List<RecordError>> ErrorsAsync(Guid mappingId)
    {
        await using var db = await Db.CreateDbContextAsync();
        return await db.RecordErrors.AsNoTracking().Where(e => e.MappingId == mappingId).ToListAsync();
    }

    public string ContactId(int index) => Org.RecordId("Contact", index);
}
