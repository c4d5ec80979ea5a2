using System.Net;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Tests.Core.Salesforce;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Sources;

/// <summary>Connecting and saving sources against the app's own demo org, over real loopback HTTP.</summary>
public sealed class SourceConnectorTests(AppHost host) : IClassFixture<AppHost>
{
    private static readonly ClaimsPrincipal Admin = Principal(Roles.Admin, "admin-1");
    private static readonly ClaimsPrincipal OtherAdmin = Principal(Roles.Admin, "admin-2");
    private static readonly ClaimsPrincipal Viewer = Principal(Roles.Viewer, "viewer-1");

    private static ClaimsPrincipal Principal(string role, string id)
        => new(new ClaimsIdentity([new Claim(ClaimTypes.Role, role), new Claim(ClaimTypes.NameIdentifier, id)], "test"));

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private SourceConnectionInput DemoInput(string name) => new()
    {
        Name = name,
        LoginKind = SalesforceLoginKind.AppHosted,
        ClientId = "demo-client-id",
    };

    private async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>Plays the admin's browser on the demo org's sign-in and consent pages; returns the callback's query.</summary>
    private async Task<Dictionary<string, string>> SignInAtSalesforceAsync(Uri authorizeUrl, string decision = "allow")
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true });
        var signIn = await browser.GetAsync(authorizeUrl, Ct);
        var (action, fields) = SalesforceDemoFixture.ReadForm(await signIn.Content.ReadAsStringAsync(Ct));
        fields["username"] = "admin@demo.unifyadmin.dev";
        fields["password"] = "demo-password";
        var consent = await browser.PostAsync(new Uri(host.BaseAddress, action), new FormUrlEncodedContent(fields), Ct);
        (action, fields) = SalesforceDemoFixture.ReadForm(await consent.Content.ReadAsStringAsync(Ct));
        fields["decision"] = decision;
        var redirect = await browser.PostAsync(new Uri(host.BaseAddress, action), new FormUrlEncodedContent(fields), Ct);
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(redirect.Headers.Location!.Query)
            .ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
    }

    private Task<OperationResult<ConnectStart>> StartAsync(SourceConnectionInput input, ClaimsPrincipal? user = null, Guid? sourceId = null)
        => WithAsync(sp => sp.GetRequiredService<SourceConnector>().StartAsync(user ?? Admin, input, host.BaseAddress, sourceId, Ct));

    private Task<ConnectCallbackResult> CompleteAsync(Dictionary<string, string> query, ClaimsPrincipal? user = null)
        => WithAsync(sp => sp.GetRequiredService<SourceConnector>().CompleteAsync(
            user ?? Admin, query.GetValueOrDefault("state"), query.GetValueOrDefault("code"), query.GetValueOrDefault("error"),
            query.GetValueOrDefault("error_description"), host.BaseAddress, Ct));

    private async Task<int> CountSourcesAsync()
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct);
        return await db.Sources.CountAsync(Ct);
    }

    private static SelectiveSyncInput ContactSelection() => new()
    {
        Collections = [new SelectedCollectionInput("Contact", "Contact", false, ["Email", "FirstName", "LastName"])],
    };

    [Fact]
    public async Task A_connected_org_is_saved_disabled_with_encrypted_secrets_and_its_selective_sync()
    {
        var start = await StartAsync(DemoInput("Saved org"));
        var result = await CompleteAsync(await SignInAtSalesforceAsync(start.Value.AuthorizeUrl!));
        Assert.Null(result.Error);
        var attempt = await WithAsync(sp => Task.FromResult(sp.GetRequiredService<SourceConnector>().Find(Admin, start.Value.AttemptId)!));
        Assert.StartsWith("00D", attempt.Identity!.OrganizationId);
        Assert.True(attempt.Usage!.Allowed > 0);

        var saved = await WithAsync(sp => sp.GetRequiredService<SourceService>().CreateAsync(Admin, attempt, ContactSelection(), Ct));

        Assert.Empty(saved.Errors);
        var id = saved.Value;
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct);
        var row = await db.Sources.Include(s => s.Collections).SingleAsync(s => s.Id == id, Ct);
        Assert.False(row.Enabled);
        Assert.Equal(SourceConnectionState.Connected, row.ConnectionState);
        Assert.DoesNotContain("demo-client-secret", row.ClientSecretProtected);
        Assert.Equal("demo-client-secret", host.Services.GetRequiredService<SecretProtector>().Unprotect(row.ClientSecretProtected));
        Assert.NotNull(row.RefreshTokenProtected);
        Assert.Equal(["Id", "SystemModstamp", "Email", "FirstName", "LastName"], row.Collections.Single().Columns);
    }

    [Fact]
    public async Task The_log_holds_no_secret_after_good_and_failed_connections()
    {
        var good = await StartAsync(DemoInput("Logged org"));
        var goodQuery = await SignInAtSalesforceAsync(good.Value.AuthorizeUrl!);
        await CompleteAsync(goodQuery);
        var attempt = await WithAsync(sp => Task.FromResult(sp.GetRequiredService<SourceConnector>().Find(Admin, good.Value.AttemptId)!));
        var wrong = DemoInput("Wrong secret org");
        wrong.ClientSecret = "wrong-secret-value-123";
        var bad = await StartAsync(wrong);
        await CompleteAsync(await SignInAtSalesforceAsync(bad.Value.AuthorizeUrl!));

        string[] secrets = ["demo-client-secret", "wrong-secret-value-123", attempt.Token!.AccessToken, attempt.Token.RefreshToken!, goodQuery["code"]];
        Assert.NotEmpty(host.Logs.Lines);
        foreach (var line in host.Logs.Lines)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line);
            }
        }
    }

    [Fact]
    public async Task A_forged_state_is_refused_and_nothing_is_connected()
    {
        var start = await StartAsync(DemoInput("Forged org"));
        var query = await SignInAtSalesforceAsync(start.Value.AuthorizeUrl!);
        query["state"] = "forged-" + query["state"];

        var result = await CompleteAsync(query);

        Assert.Null(result.AttemptId);
        Assert.Contains("does not match a connection you started", result.Error);
    }

    [Fact]
    public async Task A_replayed_callback_is_refused()
    {
        var start = await StartAsync(DemoInput("Replayed org"));
        var query = await SignInAtSalesforceAsync(start.Value.AuthorizeUrl!);
        Assert.Null((await CompleteAsync(query)).Error);

        var replay = await CompleteAsync(query);

        Assert.Contains("does not match a connection you started", replay.Error);
    }

    [Fact]
    public async Task A_callback_in_another_admins_session_is_refused()
    {
        var start = await StartAsync(DemoInput("Stolen org"));
        var query = await SignInAtSalesforceAsync(start.Value.AuthorizeUrl!);

        var result = await CompleteAsync(query, OtherAdmin);

        Assert.Contains("does not match a connection you started", result.Error);
    }

    [Fact]
    public async Task A_user_without_api_access_gets_a_message_that_says_how_to_fix_it()
    {
        var org = host.Services.GetRequiredService<SalesforceDemoOrg>();
        org.SetApiEnabled(false);
        try
        {
            var start = await StartAsync(DemoInput("No API org"));
            var result = await CompleteAsync(await SignInAtSalesforceAsync(start.Value.AuthorizeUrl!));

            Assert.Contains("API_DISABLED_FOR_ORG", result.Error);
            Assert.Contains("API Enabled", result.Error);
        }
        finally
        {
            org.SetApiEnabled(true);
        }
    }

    [Fact]
    public async Task An_unreachable_login_host_is_reported_without_saving_anything()
    {
        var before = await CountSourcesAsync();
        var input = DemoInput("Unreachable org");
        input.LoginKind = SalesforceLoginKind.MyDomain;
        input.MyDomainUrl = "https://127.0.0.1:1";
        input.AuthFlow = SalesforceAuthFlow.ClientCredentials;
        input.ClientSecret = "some-secret";

        var timer = System.Diagnostics.Stopwatch.StartNew();
        var start = await StartAsync(input);

        Assert.False(start.Succeeded);
        Assert.Contains("Could not reach the Salesforce host https://127.0.0.1:1", start.ErrorText);
        Assert.DoesNotContain("inner exception", start.ErrorText);
        // Token requests are never retried, so nothing waits for backoffs.
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(5), $"took {timer.Elapsed}");
        Assert.Equal(before, await CountSourcesAsync());
    }

    [Fact]
    public async Task A_viewer_cannot_start_a_connection_or_save_a_source()
    {
        var start = await StartAsync(DemoInput("Viewer org"), Viewer);

        Assert.Equal(["Only an Admin can connect Salesforce."], start.Errors);
    }

    [Fact]
    public async Task An_empty_selective_sync_is_refused_and_nothing_is_saved()
    {
        var before = await CountSourcesAsync();
        var start = await StartAsync(DemoInput("Empty sync org"));
        await CompleteAsync(await SignInAtSalesforceAsync(start.Value.AuthorizeUrl!));
        var attempt = await WithAsync(sp => Task.FromResult(sp.GetRequiredService<SourceConnector>().Find(Admin, start.Value.AttemptId)!));

        var saved = await WithAsync(sp => sp.GetRequiredService<SourceService>().CreateAsync(Admin, attempt, new SelectiveSyncInput(), Ct));

        Assert.False(saved.Succeeded);
        Assert.Contains("Pick at least one collection, and the columns to read from it.", saved.Errors);
        Assert.Equal(before, await CountSourcesAsync());
    }

    private async Task<Guid> SaveDemoSourceAsync(string name)
    {
        var start = await StartAsync(DemoInput(name));
        await CompleteAsync(await SignInAtSalesforceAsync(start.Value.AuthorizeUrl!));
        var attempt = await WithAsync(sp => Task.FromResult(sp.GetRequiredService<SourceConnector>().Find(Admin, start.Value.AttemptId)!));
        var saved = await WithAsync(sp => sp.GetRequiredService<SourceService>().CreateAsync(Admin, attempt, ContactSelection(), Ct));
        Assert.Empty(saved.Errors);
        return saved.Value;
    }

    private Task<SourceDetails> ReadAsync(Guid id) => WithAsync(async sp => (await sp.GetRequiredService<SourceService>().GetAsync(id, Ct))!);

    [Fact]
    public async Task Api_usage_seen_by_the_client_is_saved_on_the_source()
    {
        var id = await SaveDemoSourceAsync("Usage org");
        var client = await WithAsync(sp => sp.GetRequiredService<SourceService>().CreateClientAsync(id, Ct));

        await client!.DescribeGlobalAsync(Ct);

        var org = host.Services.GetRequiredService<SalesforceDemoOrg>();
        var summary = (await ReadAsync(id)).Summary;
        Assert.Equal(org.Options.DailyApiLimit, summary.ApiAllowed);
        Assert.Equal(org.ApiCallsUsed, summary.ApiUsed);
    }

    [Fact]
    public async Task An_expired_refresh_token_marks_the_source_needs_reconnect_and_reconnecting_clears_it()
    {
        var id = await SaveDemoSourceAsync("Expiring org");
        var org = host.Services.GetRequiredService<SalesforceDemoOrg>();
        org.ExpireAccessTokens();
        org.ExpireRefreshTokens();
        var client = await WithAsync(sp => sp.GetRequiredService<SourceService>().CreateClientAsync(id, Ct));

        await Assert.ThrowsAsync<UnifyAdmin.Core.Salesforce.SalesforceReconnectRequiredException>(() => client!.DescribeGlobalAsync(Ct));

        var broken = (await ReadAsync(id)).Summary;
        Assert.Equal(SourceConnectionState.NeedsReconnect, broken.ConnectionState);
        Assert.False(string.IsNullOrEmpty(broken.ConnectionProblem));

        var draft = await WithAsync(sp => sp.GetRequiredService<SourceService>().ReconnectDraftAsync(id, Ct));
        var start = await StartAsync(draft!, sourceId: id);
        var result = await CompleteAsync(await SignInAtSalesforceAsync(start.Value.AuthorizeUrl!));

        Assert.Null(result.Error);
        Assert.Equal(id, result.SourceId);
        Assert.Equal(SourceConnectionState.Connected, (await ReadAsync(id)).Summary.ConnectionState);
        var fresh = await WithAsync(sp => sp.GetRequiredService<SourceService>().CreateClientAsync(id, Ct));
        Assert.NotEmpty((await fresh!.DescribeGlobalAsync(Ct)).Sobjects);
    }

    [Fact]
    public async Task Deleting_a_source_revokes_its_token_at_salesforce()
    {
        var start = await StartAsync(DemoInput("Deleted org"));
        await CompleteAsync(await SignInAtSalesforceAsync(start.Value.AuthorizeUrl!));
        var attempt = await WithAsync(sp => Task.FromResult(sp.GetRequiredService<SourceConnector>().Find(Admin, start.Value.AttemptId)!));
        var saved = await WithAsync(sp => sp.GetRequiredService<SourceService>().CreateAsync(Admin, attempt, ContactSelection(), Ct));

        var deleted = await WithAsync(sp => sp.GetRequiredService<SourceService>().DeleteAsync(Admin, saved.Value, Ct));

        Assert.True(deleted.Succeeded);
        Assert.Null(deleted.Value.Warning);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(attempt.Token!.InstanceUrl + "/services/data/v64.0/limits/"));
        request.Headers.Authorization = new("Bearer", attempt.Token.AccessToken);
        var response = await http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
