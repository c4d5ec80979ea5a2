using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using UnifyAdmin.Demo.Salesforce;

namespace UnifyAdmin.Tests.Core.Demo.Salesforce;

public sealed partial class DemoOAuthTests(DemoHostFixture demo) : IClassFixture<DemoHostFixture>
{
    private const string Callback = "http://localhost:5000/oauth/salesforce/callback";
    private const string Verifier = "dBjftJeZ4CVP-mJ92K9fyp6vn8sC0-Rv1e0QRDbkZcHqk2sSzv7h9jMTTE8YQd5ne";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"pending\" value=\"(?<id>[^\"]+)\"")]
    private static partial Regex PendingField();

    private static string Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private string AuthorizeQuery(string scope = "api refresh_token", string clientId = "demo-client-id") =>
        $"services/oauth2/authorize?response_type=code&client_id={clientId}&redirect_uri={Uri.EscapeDataString(Callback)}" +
        $"&scope={Uri.EscapeDataString(scope)}&state=st%2F42&code_challenge={Challenge(Verifier)}&code_challenge_method=S256";

    private Dictionary<string, string> SignInForm(string password = "demo-password", string scope = "api refresh_token") => new()
    {
        ["step"] = "login",
        ["response_type"] = "code",
        ["client_id"] = "demo-client-id",
        ["redirect_uri"] = Callback,
        ["scope"] = scope,
        ["state"] = "st/42",
        ["code_challenge"] = Challenge(Verifier),
        ["code_challenge_method"] = "S256",
        ["username"] = "admin@demo.unifyadmin.dev",
        ["password"] = password,
    };

    /// <summary>Signs in and answers the consent page as a person in a browser would; returns the redirect.</summary>
    private async Task<Uri> SignInAndDecideAsync(string decision, string scope = "api refresh_token")
    {
        using var signIn = await demo.Http.PostAsync(demo.Url("services/oauth2/authorize"), new FormUrlEncodedContent(SignInForm(scope: scope)), Ct);
        var consent = await signIn.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Allow Access?", consent, StringComparison.Ordinal);
        var pending = PendingField().Match(consent).Groups["id"].Value;
        using var answer = await demo.Http.PostAsync(demo.Url("services/oauth2/authorize"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["step"] = "consent",
            ["pending"] = WebUtility.HtmlDecode(pending),
            ["decision"] = decision,
        }), Ct);
        Assert.Equal(HttpStatusCode.Found, answer.StatusCode);
        return answer.Headers.Location!;
    }

    private async Task<string> CodeAsync(string scope = "api refresh_token")
    {
        var location = await SignInAndDecideAsync("allow", scope);
        Assert.StartsWith(Callback + "?code=", location.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("&state=st%2F42", location.ToString(), StringComparison.Ordinal);
        return Uri.UnescapeDataString(Regex.Match(location.Query, "code=([^&]+)").Groups[1].Value);
    }

    private Task<HttpResponseMessage> TokenAsync(Dictionary<string, string> form) =>
        demo.Http.PostAsync(demo.Url("services/oauth2/token"), new FormUrlEncodedContent(form), Ct);

    private Task<HttpResponseMessage> ExchangeAsync(string code, string verifier = Verifier, string secret = "demo-client-secret") => TokenAsync(new()
    {
        ["grant_type"] = "authorization_code",
        ["code"] = code,
        ["client_id"] = "demo-client-id",
        ["client_secret"] = secret,
        ["redirect_uri"] = Callback,
        ["code_verifier"] = verifier,
    });

    private static async Task AssertOAuthErrorAsync(HttpResponseMessage response, string error, string description)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Equal(description, body.GetProperty("error_description").GetString());
    }

    private async Task<HttpStatusCode> RestStatusAsync(string accessToken)
    {
        using var response = await demo.GetAsync("services/data/v64.0/limits", accessToken, Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task Shows_a_sign_in_page_with_labelled_inputs()
    {
        using var response = await demo.GetAsync(AuthorizeQuery(), null, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains("<label for=\"username\">Username</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"password\">Password</label>", html, StringComparison.Ordinal);
        Assert.Contains(">Log In</button>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shows_the_sign_in_again_with_an_error_after_a_wrong_password()
    {
        using var response = await demo.Http.PostAsync(demo.Url("services/oauth2/authorize"), new FormUrlEncodedContent(SignInForm("wrong")), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("Please check your username and password.", html, StringComparison.Ordinal);
        Assert.Contains(">Log In</button>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Allow Access?", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shows_an_error_page_for_an_unknown_client_id()
    {
        using var response = await demo.GetAsync(AuthorizeQuery(clientId: "nobody"), null, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("error=invalid_client_id", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("http://localhost:5000/oauth/salesforce/callback/../../evil")]
    [InlineData("http://localhost:5000/oauth/salesforce/callback?next=https://evil.example")]
    public async Task Refuses_an_unregistered_redirect_uri_on_its_own_error_page_without_redirecting(string redirectUri)
    {
        var query = AuthorizeQuery().Replace(Uri.EscapeDataString(Callback), Uri.EscapeDataString(redirectUri), StringComparison.Ordinal);
        var form = SignInForm();
        form["redirect_uri"] = redirectUri;

        using var page = await demo.GetAsync(query, null, Ct);
        using var post = await demo.Http.PostAsync(demo.Url("services/oauth2/authorize"), new FormUrlEncodedContent(form), Ct);

        foreach (var response in new[] { page, post })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains("error=redirect_uri_mismatch", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Answers_400_to_an_authorize_post_that_is_not_a_form()
    {
        using var json = await demo.Http.PostAsync(demo.Url("services/oauth2/authorize"), new StringContent("{\"step\":\"login\"}", Encoding.UTF8, "application/json"), Ct);
        using var empty = await demo.Http.PostAsync(demo.Url("services/oauth2/authorize"), null, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("error=invalid_request", await json.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registers_UnifyAdmins_own_callback_on_its_origin_when_no_callback_is_configured()
    {
        await using var host = await Infrastructure.LoopbackHost.StartAsync(
            builder => builder.Services.AddSalesforceDemo(builder.Configuration),
            app => app.MapSalesforceDemo());
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        string Authorize(string callback) => host.Url("/demo/salesforce/services/oauth2/authorize") +
            $"?response_type=code&client_id=demo-client-id&redirect_uri={Uri.EscapeDataString(callback)}&state=s1";

        using var own = await http.GetAsync(Authorize(host.Url("/sources/oauth/callback")), Ct);
        using var other = await http.GetAsync(Authorize(host.Url("/somewhere/else")), Ct);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Fact]
    public async Task Exchanges_a_code_with_the_right_pkce_verifier_for_tokens_that_work()
    {
        var code = await CodeAsync();

        using var response = await ExchangeAsync(code);
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(token!.RefreshToken);
        Assert.Equal(demo.LoginUrl, token.InstanceUrl);
        Assert.Equal($"{demo.LoginUrl}/id/{demo.Org.OrganizationId}/{demo.Org.DemoUserId}", token.Id);
        Assert.Equal("Bearer", token.TokenType);
        Assert.Equal("api refresh_token", token.Scope);
        Assert.InRange(long.Parse(token.IssuedAt), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
        var expectedSignature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("demo-client-secret"), Encoding.UTF8.GetBytes(token.Id + token.IssuedAt)));
        Assert.Equal(expectedSignature, token.Signature);
        Assert.Equal(HttpStatusCode.OK, await RestStatusAsync(token.AccessToken));
    }

    [Fact]
    public async Task Leaves_out_the_refresh_token_when_the_scope_does_not_grant_it()
    {
        var code = await CodeAsync(scope: "api");

        using var response = await ExchangeAsync(code);
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>(Ct);

        Assert.Null(token!.RefreshToken);
    }

    [Fact]
    public async Task Refuses_a_code_with_a_wrong_pkce_verifier()
    {
        var code = await CodeAsync();

        using var response = await ExchangeAsync(code, verifier: Verifier.Replace('d', 'e'));

        await AssertOAuthErrorAsync(response, "invalid_grant", "invalid code verifier");
    }

    [Fact]
    public async Task Refuses_a_wrong_client_secret()
    {
        var code = await CodeAsync();

        using var response = await ExchangeAsync(code, secret: "guess");

        await AssertOAuthErrorAsync(response, "invalid_client", "invalid client credentials");
    }

    [Fact]
    public async Task Refuses_a_code_used_a_second_time()
    {
        var code = await CodeAsync();
        using var first = await ExchangeAsync(code);

        using var replay = await ExchangeAsync(code);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertOAuthErrorAsync(replay, "invalid_grant", "invalid authorization code");
    }

    [Fact]
    public async Task Sends_access_denied_to_the_callback_when_consent_is_denied()
    {
        var location = await SignInAndDecideAsync("deny");

        Assert.Equal($"{Callback}?error=access_denied&error_description=end-user+denied+authorization&state=st%2F42", location.ToString());
    }

    [Fact]
    public async Task Refreshes_an_access_token_without_a_new_refresh_token()
    {
        using var exchange = await ExchangeAsync(await CodeAsync());
        var first = (await exchange.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
        demo.Org.ExpireAccessTokens();
        Assert.Equal(HttpStatusCode.Unauthorized, await RestStatusAsync(first.AccessToken));

        using var refresh = await TokenAsync(new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = first.RefreshToken!,
            ["client_id"] = "demo-client-id",
            ["client_secret"] = "demo-client-secret",
        });
        var second = (await refresh.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.Null(second.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, await RestStatusAsync(second.AccessToken));
    }

    [Fact]
    public async Task Answers_invalid_grant_for_an_expired_refresh_token()
    {
        using var exchange = await ExchangeAsync(await CodeAsync());
        var token = (await exchange.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
        demo.Org.ExpireRefreshTokens();

        using var refresh = await TokenAsync(new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = token.RefreshToken!,
            ["client_id"] = "demo-client-id",
            ["client_secret"] = "demo-client-secret",
        });

        await AssertOAuthErrorAsync(refresh, "invalid_grant", "expired access/refresh token");
    }

    [Fact]
    public async Task Issues_a_token_for_client_credentials_without_a_refresh_token()
    {
        var token = await demo.ClientCredentialsAsync(Ct);

        Assert.Null(token.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, await RestStatusAsync(token.AccessToken));
    }

    [Fact]
    public async Task Answers_unsupported_grant_type_for_the_password_flow()
    {
        using var response = await TokenAsync(new() { ["grant_type"] = "password", ["client_id"] = "demo-client-id" });

        await AssertOAuthErrorAsync(response, "unsupported_grant_type", "grant type not supported");
    }

    private string Jwt(RSA key, string? audience = null, DateTimeOffset? expires = null, string subject = "admin@demo.unifyadmin.dev")
    {
        var header = Base64Url.EncodeToString("""{"alg":"RS256","typ":"JWT"}"""u8);
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = "demo-client-id",
            ["sub"] = subject,
            ["aud"] = audience ?? demo.LoginUrl,
            ["exp"] = (expires ?? DateTimeOffset.UtcNow.AddMinutes(3)).ToUnixTimeSeconds(),
        });
        var signed = header + "." + Base64Url.EncodeToString(claims);
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url.EncodeToString(signature);
    }

    private Task<HttpResponseMessage> JwtGrantAsync(string assertion) => TokenAsync(new()
    {
        ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
        ["assertion"] = assertion,
    });

    [Fact]
    public async Task Issues_a_token_for_a_jwt_signed_with_the_configured_key()
    {
        using var response = await JwtGrantAsync(Jwt(demo.JwtKey));
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(token.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, await RestStatusAsync(token.AccessToken));
    }

    [Fact]
    public async Task Refuses_a_jwt_signed_with_another_key()
    {
        using var other = RSA.Create(2048);

        using var response = await JwtGrantAsync(Jwt(other));

        await AssertOAuthErrorAsync(response, "invalid_grant", "invalid assertion");
    }

    [Fact]
    public async Task Refuses_a_jwt_for_another_audience()
    {
        using var response = await JwtGrantAsync(Jwt(demo.JwtKey, audience: "https://login.salesforce.com"));

        await AssertOAuthErrorAsync(response, "invalid_grant", "audience is invalid");
    }

    [Fact]
    public async Task Refuses_an_expired_jwt()
    {
        using var response = await JwtGrantAsync(Jwt(demo.JwtKey, expires: DateTimeOffset.UtcNow.AddMinutes(-1)));

        await AssertOAuthErrorAsync(response, "invalid_grant", "expired authorization code");
    }

    [Fact]
    public async Task Refuses_a_jwt_for_an_unknown_user()
    {
        using var response = await JwtGrantAsync(Jwt(demo.JwtKey, subject: "someone@else.example"));

        await AssertOAuthErrorAsync(response, "invalid_grant", "authentication failure");
    }

    [Fact]
    public async Task Revokes_an_access_token()
    {
        var token = await demo.ClientCredentialsAsync(Ct);

        using var revoke = await demo.Http.PostAsync(demo.Url("services/oauth2/revoke"),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token.AccessToken }), Ct);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await RestStatusAsync(token.AccessToken));
    }

    [Fact]
    public async Task Revoking_a_refresh_token_ends_it_and_the_access_tokens_it_issued()
    {
        using var exchange = await ExchangeAsync(await CodeAsync());
        var first = (await exchange.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
        var refreshForm = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = first.RefreshToken!,
            ["client_id"] = "demo-client-id",
            ["client_secret"] = "demo-client-secret",
        };
        using var refreshed = await TokenAsync(refreshForm);
        var second = (await refreshed.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;

        using var revoke = await demo.Http.PostAsync(demo.Url("services/oauth2/revoke"),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = first.RefreshToken! }), Ct);
        using var again = await TokenAsync(refreshForm);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        await AssertOAuthErrorAsync(again, "invalid_grant", "expired access/refresh token");
        Assert.Equal(HttpStatusCode.Unauthorized, await RestStatusAsync(first.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await RestStatusAsync(second.AccessToken));
    }

    [Fact]
    public async Task Describes_the_signed_in_user_at_the_identity_url()
    {
        var token = await demo.ClientCredentialsAsync(Ct);

        var identity = await demo.GetJsonAsync(token.Id, token.AccessToken, Ct);

        Assert.Equal(demo.Org.DemoUserId, identity.GetProperty("user_id").GetString());
        Assert.Equal(demo.Org.OrganizationId, identity.GetProperty("organization_id").GetString());
        Assert.Equal("admin@demo.unifyadmin.dev", identity.GetProperty("username").GetString());
        Assert.Equal("Ada Admin", identity.GetProperty("display_name").GetString());
        Assert.Equal("admin@demo.unifyadmin.dev", identity.GetProperty("email").GetString());
    }
}
