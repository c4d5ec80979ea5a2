using System.Net;
using System.Net.Sockets;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Tests.Core.Salesforce;

public sealed class SalesforceOAuthClientTests(SalesforceDemoFixture demo) : IClassFixture<SalesforceDemoFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connects_with_the_web_server_flow_and_PKCE()
    {
        var code = await demo.SignInAndAllowAsync("user-7:source-9", Ct);

        var token = await demo.OAuth.ExchangeCodeAsync(demo.LoginHost, SalesforceDemoFixture.ClientId, SalesforceDemoFixture.ClientSecret, SalesforceDemoFixture.RedirectUri, code.Code, code.Verifier, Ct);

        Assert.Equal("user-7:source-9", code.State);
        Assert.False(string.IsNullOrEmpty(token.AccessToken));
        Assert.False(string.IsNullOrEmpty(token.RefreshToken));
        Assert.Equal("Bearer", token.TokenType);
        Assert.NotNull(token.IdentityUrl);
        Assert.Contains("refresh_token", token.Scope!, StringComparison.Ordinal);
        Assert.InRange(token.IssuedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.StartsWith(demo.Host.BaseAddress.AbsoluteUri, token.InstanceUrl.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_code_exchanged_with_the_wrong_verifier()
    {
        var code = await demo.SignInAndAllowAsync("s", Ct);

        var error = await Assert.ThrowsAsync<SalesforceOAuthException>(() => demo.OAuth.ExchangeCodeAsync(
            demo.LoginHost, SalesforceDemoFixture.ClientId, SalesforceDemoFixture.ClientSecret, SalesforceDemoFixture.RedirectUri, code.Code, Pkce.CreateVerifier(), Ct));

        Assert.True(error.IsInvalidGrant);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task Refreshes_an_access_token_without_a_new_refresh_token()
    {
        var token = await demo.AuthorizeAsync(Ct);

        var refreshed = await demo.OAuth.RefreshAsync(demo.LoginHost, SalesforceDemoFixture.ClientId, SalesforceDemoFixture.ClientSecret, token.RefreshToken!, Ct);

        Assert.NotEqual(token.AccessToken, refreshed.AccessToken);
        Assert.Null(refreshed.RefreshToken);
        Assert.Equal(token.InstanceUrl, refreshed.InstanceUrl);
    }

    [Fact]
    public async Task Reports_a_wrong_client_secret_as_a_typed_OAuth_error_without_the_secret()
    {
        var error = await Assert.ThrowsAsync<SalesforceOAuthException>(() => demo.OAuth.ClientCredentialsAsync(demo.LoginHost, SalesforceDemoFixture.ClientId, "not-the-secret", Ct));

        Assert.Equal("invalid_client", error.Error);
        Assert.False(error.IsInvalidGrant);
        Assert.DoesNotContain("not-the-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gets_a_token_with_client_credentials()
    {
        var token = await demo.OAuth.ClientCredentialsAsync(demo.LoginHost, SalesforceDemoFixture.ClientId, SalesforceDemoFixture.ClientSecret, Ct);

        Assert.Null(token.RefreshToken);
        var client = demo.Factory.Create(new SalesforceConnection(Guid.NewGuid(), demo.LoginHost, token.InstanceUrl, SalesforceDemoFixture.ClientId, SalesforceDemoFixture.ClientSecret, token.AccessToken));
        Assert.True(await client.CountAsync("SELECT COUNT() FROM Contact", ct: Ct) > 0);
    }

    [Fact]
    public async Task Gets_a_token_with_a_JWT_signed_by_the_configured_key()
    {
        var token = await demo.OAuth.JwtBearerAsync(demo.LoginHost, SalesforceDemoFixture.ClientId, SalesforceDemoFixture.Username, demo.JwtKey.ExportPkcs8PrivateKeyPem(), Ct);

        var identity = await demo.OAuth.GetIdentityAsync(token.IdentityUrl!, token.AccessToken, Ct);
        Assert.Equal(SalesforceDemoFixture.Username, identity.Username);
    }

    [Fact]
    public async Task Refuses_a_JWT_signed_by_another_key()
    {
        using var other = System.Security.Cryptography.RSA.Create(2048);

        var error = await Assert.ThrowsAsync<SalesforceOAuthException>(() => demo.OAuth.JwtBearerAsync(demo.LoginHost, SalesforceDemoFixture.ClientId, SalesforceDemoFixture.Username, other.ExportPkcs8PrivateKeyPem(), Ct));

        Assert.True(error.IsInvalidGrant);
    }

    [Fact]
    public async Task Reads_who_connected_which_org_from_the_identity_url()
    {
        var token = await demo.AuthorizeAsync(Ct);

        var identity = await demo.OAuth.GetIdentityAsync(token.IdentityUrl!, token.AccessToken, Ct);

        Assert.Equal(demo.Org.OrganizationId, identity.OrganizationId);
        Assert.Equal(demo.Org.DemoUserId, identity.UserId);
        Assert.Equal(SalesforceDemoFixture.Username, identity.Username);
        Assert.False(string.IsNullOrEmpty(identity.DisplayName));
    }

    [Fact]
    public async Task Revoking_the_refresh_token_ends_the_grant()
    {
        var token = await demo.AuthorizeAsync(Ct);

        await demo.OAuth.RevokeAsync(token.InstanceUrl, token.RefreshToken!, Ct);

        var error = await Assert.ThrowsAsync<SalesforceOAuthException>(() => demo.OAuth.RefreshAsync(demo.LoginHost, SalesforceDemoFixture.ClientId, SalesforceDemoFixture.ClientSecret, token.RefreshToken!, Ct));
        Assert.True(error.IsInvalidGrant);
        var client = demo.Factory.Create(new SalesforceConnection(Guid.NewGuid(), demo.LoginHost, token.InstanceUrl, SalesforceDemoFixture.ClientId, SalesforceDemoFixture.ClientSecret, token.AccessToken, token.RefreshToken));
        await Assert.ThrowsAsync<SalesforceReconnectRequiredException>(() => client.GetLimitsAsync(Ct));
    }

    [Fact]
    public async Task Reports_an_unreachable_login_host_as_a_host_error()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var services = SalesforceDemoFixture.CreateClientServices(new() { ["Salesforce:RetryCount"] = "1" });
        var oauth = services.GetRequiredService<SalesforceOAuthClient>();

        var error = await Assert.ThrowsAsync<SalesforceHostException>(() => oauth.ClientCredentialsAsync(new Uri($"http://127.0.0.1:{port}"), "id", "secret", Ct));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_a_host_that_is_not_Salesforce_as_a_host_error()
    {
        var error = await Assert.ThrowsAsync<SalesforceHostException>(() => demo.OAuth.ClientCredentialsAsync(new Uri(demo.Host.Url("/not-salesforce")), "id", "secret", Ct));

        Assert.Contains("login host", error.Message, StringComparison.Ordinal);
    }
}
