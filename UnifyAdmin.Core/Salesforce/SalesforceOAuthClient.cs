using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Polly.Timeout;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>
/// Salesforce OAuth 2.0: web-server flow with PKCE, refresh, client credentials, JWT bearer, revoke and
/// identity. Every method takes the source's login host, so one client serves every source.
/// </summary>
public sealed class SalesforceOAuthClient(HttpClient http, TimeProvider time)
{
    /// <summary>Name of the HttpClient this typed client uses.</summary>
    public const string HttpClientName = "Salesforce.OAuth";

    private const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>
    /// Builds the authorize URL of the web-server flow with a fresh PKCE verifier. <paramref name="state"/>
    /// is the caller's, bound to the signed-in user and the source; keep the returned verifier with it.
    /// </summary>
    public static SalesforceAuthorization BuildAuthorizeUrl(Uri loginHost, string clientId, Uri redirectUri, string state)
    {
        SalesforceHosts.Validate(loginHost);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(state);
        var verifier = Pkce.CreateVerifier();
        var query = new StringBuilder("response_type=code")
            .Append("&client_id=").Append(Uri.EscapeDataString(clientId))
            .Append("&redirect_uri=").Append(Uri.EscapeDataString(redirectUri.ToString()))
            .Append("&scope=").Append(Uri.EscapeDataString("api refresh_token"))
            .Append("&state=").Append(Uri.EscapeDataString(state))
            .Append("&code_challenge=").Append(Pkce.Challenge(verifier))
            .Append("&code_challenge_method=S256");
        var url = new UriBuilder(SalesforceHosts.Combine(loginHost, "services/oauth2/authorize")) { Query = query.ToString() }.Uri;
        return new SalesforceAuthorization(url, verifier);
    }

    /// <summary>Exchanges an authorization code (with its PKCE verifier) for tokens.</summary>
    public Task<SalesforceToken> ExchangeCodeAsync(
        Uri loginHost, string clientId, string? clientSecret, Uri redirectUri, string code, string codeVerifier, CancellationToken ct)
        => RequestTokenAsync(loginHost, Form(
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", clientId),
            ("client_secret", clientSecret),
            ("redirect_uri", redirectUri.ToString()),
            ("code_verifier", codeVerifier)), ct);

    /// <summary>Gets a new access token with a refresh token. Salesforce sends no new refresh token.</summary>
    public Task<SalesforceToken> RefreshAsync(Uri loginHost, string clientId, string? clientSecret, string refreshToken, CancellationToken ct)
        => RequestTokenAsync(loginHost, Form(
            ("grant_type", "refresh_token"),
            ("refresh_token", refreshToken),
            ("client_id", clientId),
            ("client_secret", clientSecret)), ct);

    /// <summary>Gets an access token with the client-credentials flow (the app's run-as user).</summary>
    public Task<SalesforceToken> ClientCredentialsAsync(Uri loginHost, string clientId, string clientSecret, CancellationToken ct)
        => RequestTokenAsync(loginHost, Form(
            ("grant_type", "client_credentials"),
            ("client_id", clientId),
            ("client_secret", clientSecret)), ct);

    /// <summary>Gets an access token with a JWT-bearer assertion signed here with the caller's RSA private key (PEM).</summary>
    public Task<SalesforceToken> JwtBearerAsync(Uri loginHost, string clientId, string username, string privateKeyPem, CancellationToken ct)
    {
        var assertion = CreateJwtAssertion(loginHost, clientId, username, privateKeyPem, time.GetUtcNow());
        return RequestTokenAsync(loginHost, Form(("grant_type", JwtBearerGrant), ("assertion", assertion)), ct);
    }

    /// <summary>
    /// Builds the RS256 JWT assertion: <c>iss</c> = client id, <c>sub</c> = username, <c>aud</c> = login host,
    /// <c>exp</c> = now + 3 minutes.
    /// </summary>
    public static string CreateJwtAssertion(Uri loginHost, string clientId, string username, string privateKeyPem, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(username);
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(privateKeyPem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // The PEM itself never goes into the message.
            throw new ArgumentException("The JWT private key is not a valid RSA private key in PEM form.", nameof(privateKeyPem), e);
        }

        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT" });
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = clientId,
            ["sub"] = username,
            ["aud"] = SalesforceHosts.Display(SalesforceHosts.Validate(loginHost)),
            ["exp"] = now.AddMinutes(3).ToUnixTimeSeconds(),
        });
        var signingInput = Base64Url.Encode(header) + "." + Base64Url.Encode(claims);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.Encode(signature);
    }

    /// <summary>Revokes an access or refresh token (revoking a refresh token ends the whole grant).</summary>
    public async Task RevokeAsync(Uri host, string token, CancellationToken ct)
    {
        using var response = await SendAsync(host, () => new HttpRequestMessage(HttpMethod.Post, SalesforceHosts.Combine(host, "services/oauth2/revoke"))
        {
            Content = Form(("token", token)),
        }, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw await ReadOAuthErrorAsync(host, response, ct);
        }
    }

    /// <summary>Reads the identity URL (the token's <c>id</c>) with the access token: who connected which org.</summary>
    public async Task<SalesforceIdentity> GetIdentityAsync(Uri identityUrl, string accessToken, CancellationToken ct)
    {
        SalesforceHosts.Validate(identityUrl);
        using var response = await SendAsync(identityUrl, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, identityUrl);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return request;
        }, ct);
        if (!response.IsSuccessStatusCode)
        {
            if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                if (SalesforceErrors.TryParseApiError(body, out var code, out var message))
                {
                    throw new SalesforceApiException(response.StatusCode, code, message);
                }

                throw new SalesforceApiException(response.StatusCode, body.Trim('"', ' ', '\n'), "The identity URL refused the access token.");
            }

            throw await ReadOAuthErrorAsync(identityUrl, response, ct);
        }

        var wire = await ReadJsonAsync<IdentityWire>(identityUrl, response, ct);
        if (wire.UserId is null || wire.OrganizationId is null)
        {
            throw new SalesforceHostException(SalesforceHosts.Display(identityUrl), "The identity URL did not return a user id and organization id.");
        }

        return new SalesforceIdentity(wire.UserId, wire.OrganizationId, wire.Username ?? "", wire.DisplayName ?? wire.Username ?? "", wire.Email);
    }

    private async Task<SalesforceToken> RequestTokenAsync(Uri loginHost, FormUrlEncodedContent form, CancellationToken ct)
    {
        SalesforceHosts.Validate(loginHost);
        var tokenUrl = SalesforceHosts.Combine(loginHost, "services/oauth2/token");
        using var response = await SendAsync(loginHost, () => new HttpRequestMessage(HttpMethod.Post, tokenUrl) { Content = form }, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw await ReadOAuthErrorAsync(loginHost, response, ct);
        }

        var wire = await ReadJsonAsync<TokenWire>(loginHost, response, ct);
        if (string.IsNullOrEmpty(wire.AccessToken) || !Uri.TryCreate(wire.InstanceUrl, UriKind.Absolute, out var instanceUrl))
        {
            throw new SalesforceHostException(SalesforceHosts.Display(loginHost), "The token response carried no access_token or instance_url.");
        }

        DateTimeOffset? issuedAt = long.TryParse(wire.IssuedAt, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
        Uri? idUrl = Uri.TryCreate(wire.Id, UriKind.Absolute, out var id) ? id : null;
        return new SalesforceToken(wire.AccessToken, wire.RefreshToken, instanceUrl, idUrl, wire.TokenType ?? "Bearer", issuedAt, wire.Signature, wire.Scope);
    }

    private async Task<HttpResponseMessage> SendAsync(Uri host, Func<HttpRequestMessage> create, CancellationToken ct)
    {
        using var request = create();
        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e) when (SalesforceServiceCollectionExtensions.IsCertificateError(e))
        {
            throw SalesforceClient.UnreachableError(host, e);
        }
        catch (HttpRequestException e)
        {
            var detail = e.InnerException is System.Net.Sockets.SocketException socket ? socket.Message : e.Message;
            throw new SalesforceHostException(SalesforceHosts.Display(host), $"Could not reach the Salesforce host {SalesforceHosts.Display(host)}: {detail}", e);
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            throw new SalesforceHostException(SalesforceHosts.Display(host), $"The Salesforce host {SalesforceHosts.Display(host)} did not answer in time.", e);
        }
    }

    private static async Task<T> ReadJsonAsync<T>(Uri host, HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(SalesforceJson.Options, ct)
                ?? throw new JsonException("empty body");
        }
        catch (JsonException e)
        {
            throw new SalesforceHostException(SalesforceHosts.Display(host), $"{SalesforceHosts.Display(host)} did not answer like a Salesforce OAuth endpoint.", e);
        }
    }

    private static async Task<Exception> ReadOAuthErrorAsync(Uri host, HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            var error = JsonSerializer.Deserialize<OAuthErrorWire>(body, SalesforceJson.Options);
            if (!string.IsNullOrEmpty(error?.Error))
            {
                return new SalesforceOAuthException(response.StatusCode, error.Error, error.ErrorDescription);
            }
        }
        catch (JsonException)
        {
        }

        if (SalesforceErrors.TryParseApiError(body, out var code, out var message))
        {
            return new SalesforceApiException(response.StatusCode, code, message);
        }

        return new SalesforceHostException(
            SalesforceHosts.Display(host),
            $"{SalesforceHosts.Display(host)} answered HTTP {(int)response.StatusCode} without a Salesforce OAuth error; check the login host.");
    }

    private static FormUrlEncodedContent Form(params (string Key, string? Value)[] fields)
        => new(fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)));
}
