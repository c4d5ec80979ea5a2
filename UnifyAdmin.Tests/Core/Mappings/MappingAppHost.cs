using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Demo.Segment;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Mappings;

/// <summary>
/// The app with its demo org and workspace, quick Segment retries (a test send that meets a fault gives
/// up after two attempts), and helpers that put a connected source, a destination and a model in the
/// database directly (models are another feature's pages).
/// </summary>
public class MappingAppHost : AppHost
{
    public static readonly ClaimsPrincipal Admin = Principal(Roles.Admin);
    public static readonly ClaimsPrincipal Viewer = Principal(Roles.Viewer);

    public static readonly string[] ContactFields =
    [
        "Id", "SystemModstamp", "External_Key__c", "Email", "FirstName", "LastName", "Title", "Phone", "Description",
        "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode", "MailingCountry", "HasOptedOutOfEmail", "Lifetime_Value__c", "Account.Name",
    ];

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Segment:MaxAttempts", "2"),
        new("Segment:InitialBackoff", "00:00:00.010"),
        new("Segment:MaxBackoff", "00:00:00.040"),
        new("Segment:ProfileApiMaxAttempts", "3"),
    ];

    public SalesforceDemoOrg Org => Services.GetRequiredService<SalesforceDemoOrg>();

    public SegmentDemoControl Workspace => Services.GetRequiredService<SegmentDemoControl>();

    public static ClaimsPrincipal Principal(string role)
        => new(new ClaimsIdentity([new Claim(ClaimTypes.Role, role), new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString())], "test"));

    /// <summary>A source connected to the demo org (client credentials), saved directly.</summary>
    public async Task<Guid> CreateSourceAsync(string name, CancellationToken ct)
    {
        var login = new Uri(Url("demo/salesforce"));
        using var http = new HttpClient();
        var token = await new SalesforceOAuthClient(http, TimeProvider.System).ClientCredentialsAsync(login, "demo-client-id", "demo-client-secret", ct);
        var secrets = Services.GetRequiredService<SecretProtector>();
        var id = Guid.NewGuid();
        await using var db = await Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        db.Sources.Add(new Source
        {
            Id = id,
            Name = name,
            LoginKind = SalesforceLoginKind.AppHosted,
            LoginHost = login.ToString().TrimEnd('/'),
            AuthFlow = SalesforceAuthFlow.ClientCredentials,
            ClientId = "demo-client-id",
            ClientSecretProtected = secrets.Protect("demo-client-secret"),
            AccessTokenProtected = secrets.Protect(token.AccessToken),
            InstanceUrl = token.InstanceUrl.ToString().TrimEnd('/'),
            Version = Guid.NewGuid(),
        });
        await db.SaveChangesAsync(ct);
        return id;
    }

    /// <summary>A model row (what the models pages save), here written directly.</summary>
    public async Task<Guid> CreateModelAsync(Guid sourceId, string name, CancellationToken ct, string collection = "Contact", IEnumerable<string>? fields = null, ModelFilter? filter = null)
    {
        var id = Guid.NewGuid();
        var list = (fields ?? ContactFields).ToList();
        await using var db = await Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        db.Models.Add(new DataModel
        {
            Id = id,
            SourceId = sourceId,
            Name = name,
            Collection = collection,
            Fields = list,
            Filter = filter,
            SchemaSnapshot = list.Select(f => new ModelFieldSnapshot(f, f.EndsWith("Modstamp", StringComparison.Ordinal) ? "datetime" : "string", 255, true, false)).ToList(),
            Version = Guid.NewGuid(),
        });
        await db.SaveChangesAsync(ct);
        return id;
    }

    /// <summary>A destination on the demo workspace; without a token when <paramref name="accessToken"/> is null.</summary>
    public async Task<DestinationDetails> CreateDestinationAsync(string name, CancellationToken ct, string? accessToken = "demo-access-token", string writeKey = "demo-write-key")
    {
        await using var scope = Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<DestinationService>();
        var result = await service.CreateAsync(Admin, new DestinationInput
        {
            Name = name,
            TrackingApiUrl = Url("demo/segment"),
            ProfileApiUrl = Url("demo/segment-profiles"),
            Spaces = [new ProfileSpaceInput { SpaceId = "spa_demo", Name = "Demo space", WriteKey = writeKey, AccessToken = accessToken }],
        }, ct);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return (await service.GetAsync(result.Value, ct))!;
    }

    /// <summary>Runs something with the scoped mapping services.</summary>
    public async Task<T> WithAsync<T>(Func<MappingService, MappingTestService, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<MappingService>(), scope.ServiceProvider.GetRequiredService<MappingTestService>());
    }
}
