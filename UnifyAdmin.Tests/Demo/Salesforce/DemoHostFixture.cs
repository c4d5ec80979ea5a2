using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Demo.Salesforce;

/// <summary>One demo org on a loopback port per test class, with the control API on and a JWT signing key.</summary>
public sealed class DemoHostFixture : IAsyncLifetime
{
    public const string Prefix = "/demo/salesforce";

    /// <summary>The key pair a JWT bearer client signs with; the demo gets its public half as a PEM setting.</summary>
    public RSA JwtKey { get; } = RSA.Create(2048);

    public LoopbackHost Host { get; private set; } = null!;

    public SalesforceDemoOrg Org => Host.Services.GetRequiredService<SalesforceDemoOrg>();

    public string LoginUrl => Host.Url(Prefix);

    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false });

    public async ValueTask InitializeAsync()
    {
        Host = await LoopbackHost.StartAsync(
            builder => builder.Services.AddSalesforceDemo(builder.Configuration),
            app => app.MapSalesforceDemo(),
            new Dictionary<string, string?>
            {
                ["Demo:Salesforce:ControlApiEnabled"] = "true",
                ["Demo:Salesforce:JwtPublicKeyPem"] = JwtKey.ExportSubjectPublicKeyInfoPem(),
                ["Demo:Salesforce:ObjectSizes:Contact"] = "5000",
                ["Demo:Salesforce:CallbackUrls:0"] = "http://localhost:5000/oauth/salesforce/callback",
            });
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        JwtKey.Dispose();
    }

    public string Url(string relative) => Host.Url(Prefix + "/" + relative.TrimStart('/'));

    /// <summary>A fresh access token through the client credentials grant.</summary>
    public async Task<TokenResponse> ClientCredentialsAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsync(Url("services/oauth2/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "demo-client-id",
            ["client_secret"] = "demo-client-secret",
        }), cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken))!;
    }

    public async Task<HttpResponseMessage> GetAsync(string relative, string? accessToken, CancellationToken cancellationToken, string? batchSize = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, relative.StartsWith("http", StringComparison.Ordinal) ? relative : Url(relative));
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        if (batchSize is not null)
        {
            request.Headers.Add("Sforce-Query-Options", "batchSize=" + batchSize);
        }

        return await Http.SendAsync(request, cancellationToken);
    }

    public async Task<JsonElement> GetJsonAsync(string relative, string accessToken, CancellationToken cancellationToken, string? batchSize = null)
    {
        using var response = await GetAsync(relative, accessToken, cancellationToken, batchSize);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public Task<JsonElement> QueryAsync(string soql, string accessToken, CancellationToken cancellationToken, string? batchSize = null, bool all = false) =>
        GetJsonAsync($"services/data/v64.0/{(all ? "queryAll" : "query")}?q={Uri.EscapeDataString(soql)}", accessToken, cancellationToken, batchSize);
}

/// <summary>The token endpoint's success body.</summary>
public sealed record TokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("signature")] string Signature,
    [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string Scope,
    [property: System.Text.Json.Serialization.JsonPropertyName("instance_url")] string InstanceUrl,
    [property: System.Text.Json.Serialization.JsonPropertyName("id")] string Id,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("issued_at")] string IssuedAt);
