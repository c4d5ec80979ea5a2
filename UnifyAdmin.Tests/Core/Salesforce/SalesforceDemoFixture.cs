using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Salesforce;

/// <summary>
/// One demo org on a loopback port per test class, plus the client's services configured for fast
/// retries. Tests that change the org (faults, expiry, records) live in classes that run sequentially.
/// </summary>
public partial class SalesforceDemoFixture : IAsyncLifetime
{
    public const string ClientId = "demo-client-id";
    public const string ClientSecret = "demo-client-secret";
    public const string Username = "admin@demo.unifyadmin.dev";
    public const string Password = "demo-password";
    public static readonly Uri RedirectUri = new("https://admin.example.test/oauth/salesforce/callback");

    private LoopbackHost? host;
    private ServiceProvider? clientServices;

    public RSA JwtKey { get; } = RSA.Create(2048);

    /// <summary>The demo's and the client's clock; tests move it forward instead of sleeping.</summary>
    public AdjustableClock Clock { get; } = new();

    public LoopbackHost Host => host ?? throw new InvalidOperationException("Not started.");

    /// <summary>The demo org's login host (also its instance URL).</summary>
    public Uri LoginHost => new(Host.Url("/demo/salesforce"));

    public SalesforceDemoOrg Org => Host.Services.GetRequiredService<SalesforceDemoOrg>();

    public IServiceProvider ClientServices => clientServices ?? throw new InvalidOperationException("Not started.");

    public SalesforceOAuthClient OAuth => ClientServices.GetRequiredService<SalesforceOAuthClient>();

    public ISalesforceClientFactory Factory => ClientServices.GetRequiredService<ISalesforceClientFactory>();

    public InMemorySalesforceConnectionStore Store => (InMemorySalesforceConnectionStore)ClientServices.GetRequiredService<ISalesforceConnectionStore>();

    public ApiUsageMeter Meter => ClientServices.GetRequiredService<ApiUsageMeter>();

    /// <summary>Contacts in the org; several 200-row pages.</summary>
    public virtual int ContactCount => 1100;

    public async ValueTask InitializeAsync()
    {
        host = await LoopbackHost.StartAsync(
            b => b.Services.AddSingleton<TimeProvider>(Clock).AddSalesforceDemo(b.Configuration),
            app => app.MapSalesforceDemo(),
            new Dictionary<string, string?>
            {
                ["Demo:Salesforce:ControlApiEnabled"] = "true",
                ["Demo:Salesforce:DailyApiLimit"] = "1000000",
                ["Demo:Salesforce:CallbackUrls:0"] = RedirectUri.ToString(),
                ["Demo:Salesforce:ObjectSizes:Contact"] = ContactCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Demo:Salesforce:JwtPublicKeyPem"] = JwtKey.ExportSubjectPublicKeyInfoPem(),
            });
        clientServices = CreateClientServices(clock: Clock);
    }

    /// <summary>Client services with fast retries; <paramref name="settings"/> override the <c>Salesforce</c> section.</summary>
    public static ServiceProvider CreateClientServices(
        Dictionary<string, string?>? settings = null, TimeProvider? clock = null, Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Salesforce:RetryCount"] = "3",
            ["Salesforce:RetryBaseDelay"] = "00:00:00.010",
            ["Salesforce:Timeout"] = "00:00:30",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.ClearProviders());
        services.AddSingleton(clock ?? TimeProvider.System);
        configure?.Invoke(services);
        services.AddSalesforceClient(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Runs the web-server flow like a browser would: sign in, allow, take the code from the redirect, exchange it with PKCE.</summary>
    public async Task<SalesforceToken> AuthorizeAsync(CancellationToken ct, string state = "state-123")
    {
        var code = await SignInAndAllowAsync(state, ct);
        return await OAuth.ExchangeCodeAsync(LoginHost, ClientId, ClientSecret, RedirectUri, code.Code, code.Verifier, ct);
    }

    /// <summary>Signs in on the demo's pages and returns the code from the callback redirect.</summary>
    public async Task<(string Code, string Verifier, string? State)> SignInAndAllowAsync(string state, CancellationToken ct)
    {
        var authorization = SalesforceOAuthClient.BuildAuthorizeUrl(LoginHost, ClientId, RedirectUri, state);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true });

        var signIn = await browser.GetAsync(authorization.Url, ct);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var (action, fields) = ReadForm(await signIn.Content.ReadAsStringAsync(ct));
        fields["username"] = Username;
        fields["password"] = Password;

        var consent = await browser.PostAsync(new Uri(Host.BaseAddress, action), new FormUrlEncodedContent(fields), ct);
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        (action, fields) = ReadForm(await consent.Content.ReadAsStringAsync(ct));
        fields["decision"] = "allow";

        var redirect = await browser.PostAsync(new Uri(Host.BaseAddress, action), new FormUrlEncodedContent(fields), ct);
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.StartsWith(RedirectUri.AbsoluteUri, location.AbsoluteUri, StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        return (query["code"].ToString(), authorization.CodeVerifier, query.TryGetValue("state", out var s) ? s.ToString() : null);
    }

    /// <summary>A connection made through the web-server flow: access and refresh token.</summary>
    public async Task<SalesforceConnection> ConnectAsync(CancellationToken ct)
    {
        var token = await AuthorizeAsync(ct);
        return new SalesforceConnection(Guid.NewGuid(), LoginHost, token.InstanceUrl, ClientId, ClientSecret, token.AccessToken, token.RefreshToken);
    }

    public async Task<ISalesforceClient> ConnectClientAsync(CancellationToken ct) => Factory.Create(await ConnectAsync(ct));

    public async ValueTask DisposeAsync()
    {
        if (clientServices is not null)
        {
            await clientServices.DisposeAsync();
        }

        if (host is not null)
        {
            await host.DisposeAsync();
        }

        JwtKey.Dispose();
        GC.SuppressFinalize(this);
    }

    internal static (string Action, Dictionary<string, string> Fields) ReadForm(string html)
    {
        var form = FormTag().Match(html);
        Assert.True(form.Success, "The page has no form: " + html[..Math.Min(html.Length, 400)]);
        var fields = new Dictionary<string, string>();
        foreach (Match input in HiddenInput().Matches(html))
        {
            var tag = input.Value;
            var name = Attribute(tag, "name");
            if (name is not null && tag.Contains("hidden", StringComparison.OrdinalIgnoreCase))
            {
                fields[name] = Attribute(tag, "value") ?? "";
            }
        }

        return (WebUtility.HtmlDecode(Attribute(form.Value, "action")!), fields);
    }

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"", RegexOptions.IgnoreCase);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("<form[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex FormTag();

    [GeneratedRegex("<input[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}

/// <summary>A clock that tests move forward instead of sleeping.</summary>
public sealed class AdjustableClock : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
}
