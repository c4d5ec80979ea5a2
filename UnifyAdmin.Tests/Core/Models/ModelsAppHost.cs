using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Models;

/// <summary>The app with its demo org, plus helpers to seed a connected source and drive the demo's control API over HTTP.</summary>
public class ModelsAppHost : AppHost
{
    public static readonly ClaimsPrincipal Admin = Principal(Roles.Admin);
    public static readonly ClaimsPrincipal Viewer = Principal(Roles.Viewer);

    /// <summary>Contact with the columns the tests use, and Account for parent fields.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> DefaultSelectiveSync = new Dictionary<string, string[]>
    {
        ["Contact"] = ["FirstName", "LastName", "Email", "LeadSource", "Birthdate", "HasOptedOutOfEmail", "Lifetime_Value__c", "AccountId",
                       "Full_Name__c", "MailingAddress", "MailingCity", "Department", "Title", "CreatedDate"],
        ["Account"] = ["Name", "Industry", "AnnualRevenue", "NumberOfEmployees"],
    };

    public SalesforceDemoOrg Org => Services.GetRequiredService<SalesforceDemoOrg>();

    public Uri DemoLoginHost => new(Url("demo/salesforce"));

    public static ClaimsPrincipal Principal(string role)
        => new(new ClaimsIdentity([new Claim(ClaimTypes.Role, role), new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString())], "test"));

    /// <summary>Saves a source connected to the demo org (client credentials), with the given Selective Sync.</summary>
    public async Task<Guid> SeedSourceAsync(string name, IReadOnlyDictionary<string, string[]>? collections = null, CancellationToken ct = default)
    {
        await using var scope = Services.CreateAsyncScope();
        var oauth = scope.ServiceProvider.GetRequiredService<SalesforceOAuthClient>();
        var secrets = scope.ServiceProvider.GetRequiredService<SecretProtector>();
        var token = await oauth.ClientCredentialsAsync(DemoLoginHost, "demo-client-id", "demo-client-secret", ct);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        var source = new Source
        {
            Id = Guid.NewGuid(),
            Name = name,
            LoginKind = SalesforceLoginKind.AppHosted,
            LoginHost = DemoLoginHost.ToString().TrimEnd('/'),
            AuthFlow = SalesforceAuthFlow.ClientCredentials,
            ClientId = "demo-client-id",
            ClientSecretProtected = secrets.Protect("demo-client-secret"),
            AccessTokenProtected = secrets.Protect(token.AccessToken),
            InstanceUrl = token.InstanceUrl.ToString().TrimEnd('/'),
            OrgId = Org.OrganizationId,
            ConnectionState = SourceConnectionState.Connected,
            CreatedAt = DateTimeOffset.UtcNow,
            Version = Guid.NewGuid(),
            Collections = (collections ?? DefaultSelectiveSync).Select(c => new SourceCollection
            {
                Id = Guid.NewGuid(),
                Name = c.Key,
                Label = c.Key,
                Columns = SelectiveSync.Normalize(c.Value),
            }).ToList(),
        };
        db.Sources.Add(source);
        await db.SaveChangesAsync(ct);
        return source.Id;
    }

    /// <summary>Changes a saved source row directly (e.g. to mark it as needing a reconnect).</summary>
    public async Task UpdateSourceAsync(Guid id, Action<Source, SecretProtector> change)
    {
        await using var scope = Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var source = await db.Sources.SingleAsync(s => s.Id == id);
        change(source, scope.ServiceProvider.GetRequiredService<SecretProtector>());
        await db.SaveChangesAsync();
    }

    /// <summary>Runs something with a scoped <see cref="ModelService"/>.</summary>
    public async Task<T> WithModelsAsync<T>(Func<ModelService, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ModelService>());
    }

    public async Task<ModelEditingSession> OpenSessionAsync(Guid sourceId)
    {
        var (session, error, _) = await WithModelsAsync(m => m.OpenSessionAsync(sourceId, CancellationToken.None));
        return session ?? throw new InvalidOperationException(error);
    }

    /// <summary>The demo org's control API, as a test outside the process would call it.</summary>
    public async Task ControlAsync(HttpMethod method, string path, object? body = null)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        using var request = new HttpRequestMessage(method, "demo/salesforce/_control/" + path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Inserts a record through the control API and returns its id.</summary>
    public async Task<string> InsertAsync(string collection, object fields)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        using var response = await http.PostAsJsonAsync($"demo/salesforce/_control/records/{collection}", fields);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>();
        return created!["id"].ToString()!;
    }
}
