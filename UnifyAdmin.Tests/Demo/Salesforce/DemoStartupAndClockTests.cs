using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Demo.Salesforce;

public sealed class DemoStartupAndClockTests
{
    private const string Callback = "https://app.example.com/callback";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Theory]
    [InlineData("Demo:Salesforce:DailyApiLimit", "0")]
    [InlineData("Demo:Salesforce:ClientSecret", "")]
    [InlineData("Demo:Salesforce:JwtPublicKeyPem", "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----")]
    [InlineData("Demo:Salesforce:ObjectSizes:User", "0")]
    public async Task Refuses_to_start_with_a_setting_it_cannot_use_and_names_the_key(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => LoopbackHost.StartAsync(
            builder => builder.Services.AddSalesforceDemo(builder.Configuration),
            app => app.MapSalesforceDemo(),
            new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_an_authorization_code_older_than_15_minutes()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var host = await LoopbackHost.StartAsync(
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(clock);
                builder.Services.AddSalesforceDemo(builder.Configuration);
            },
            app => app.MapSalesforceDemo(),
            new Dictionary<string, string?> { ["Demo:Salesforce:CallbackUrls:0"] = Callback });
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        const string callback = Callback;
        using var signIn = await http.PostAsync(host.Url("/demo/salesforce/services/oauth2/authorize"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["step"] = "login",
            ["response_type"] = "code",
            ["client_id"] = "demo-client-id",
            ["redirect_uri"] = callback,
            ["username"] = "admin@demo.unifyadmin.dev",
            ["password"] = "demo-password",
        }), Ct);
        var pending = Regex.Match(await signIn.Content.ReadAsStringAsync(Ct), "name=\"pending\" value=\"([^\"]+)\"").Groups[1].Value;
        using var allow = await http.PostAsync(host.Url("/demo/salesforce/services/oauth2/authorize"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["step"] = "consent",
            ["pending"] = pending,
            ["decision"] = "allow",
        }), Ct);
        var code = Uri.UnescapeDataString(Regex.Match(allow.Headers.Location!.Query, "code=([^&]+)").Groups[1].Value);
        clock.Now += TimeSpan.FromMinutes(16);

        using var exchange = await http.PostAsync(host.Url("/demo/salesforce/services/oauth2/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["client_id"] = "demo-client-id",
            ["client_secret"] = "demo-client-secret",
            ["redirect_uri"] = callback,
        }), Ct);
        var body = await exchange.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, exchange.StatusCode);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.Equal("expired authorization code", body.GetProperty("error_description").GetString());
    }
}
