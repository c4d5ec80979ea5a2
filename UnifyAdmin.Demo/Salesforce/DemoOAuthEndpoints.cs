using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace UnifyAdmin.Demo.Salesforce;

/// <summary>OAuth 2.0 of the demo org: sign-in and consent pages, the token endpoint, revoke and the identity URL.</summary>
internal static class DemoOAuthEndpoints
{
    private const string JwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    public static void Map(RouteGroupBuilder group, string prefix)
    {
        group.MapGet("/services/oauth2/authorize", ctx => AuthorizeGetAsync(ctx, prefix));
        group.MapPost("/services/oauth2/authorize", ctx => AuthorizePostAsync(ctx, prefix));
        // REST faults stay on the REST API, so a test that arms one knows which call will take it;
        // the token endpoint has faults of its own.
        group.MapPost("/services/oauth2/token", ctx => TokenAsync(ctx, prefix));
        group.MapPost("/services/oauth2/revoke", RevokeAsync);
        group.MapGet("/services/oauth2/revoke", RevokeAsync);
        group.MapGet("/id/{orgId}/{userId}", ctx => IdentityAsync(ctx, prefix));
    }

    public static string InstanceUrl(HttpRequest request, string prefix) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}{prefix}";

    private static SalesforceDemoOrg Org(HttpContext ctx) => ctx.RequestServices.GetRequiredService<SalesforceDemoOrg>();

    private static DemoAuthorizationStore Authorizations(HttpContext ctx) => ctx.RequestServices.GetRequiredService<DemoAuthorizationStore>();

    // ---- authorize: sign-in and consent pages ----

    private static async Task AuthorizeGetAsync(HttpContext ctx, string prefix)
    {
        var q = ctx.Request.Query;
        var request = await ValidateAuthorizeAsync(ctx, q["client_id"], q["redirect_uri"], q["response_type"], q["scope"], q["state"], q["code_challenge"], q["code_challenge_method"]);
        if (request is not null)
        {
            await DemoPages.WriteAsync(ctx, 200, DemoPages.SignIn(ActionUrl(ctx, prefix), request, Org(ctx).Options, username: null, error: null));
        }
    }

    private static async Task AuthorizePostAsync(HttpContext ctx, string prefix)
    {
        // The sign-in and consent pages post forms; anything else is the client's mistake, not a server error.
        if (!ctx.Request.HasFormContentType)
        {
            await DemoPages.WriteAsync(ctx, 400, DemoPages.Error("error=invalid_request", "error=invalid_request&error_description=expected%20a%20form%20post"));
            return;
        }

        IFormCollection form;
        try
        {
            form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        }
        catch (InvalidDataException)
        {
            await DemoPages.WriteAsync(ctx, 400, DemoPages.Error("error=invalid_request", "error=invalid_request&error_description=malformed%20form"));
            return;
        }

        var org = Org(ctx);
        if (form["step"] == "consent")
        {
            var pending = Authorizations(ctx).EndConsent(form["pending"]);
            if (pending is null)
            {
                await DemoPages.WriteAsync(ctx, 400, DemoPages.Error("Session expired", "This sign-in has expired. Start connecting again from the application."));
                return;
            }

            if (form["decision"] == "allow")
            {
                var code = Authorizations(ctx).IssueCode(pending);
                Redirect(ctx, pending.RedirectUri, $"code={Uri.EscapeDataString(code)}", pending.State);
            }
            else
            {
                Redirect(ctx, pending.RedirectUri, "error=access_denied&error_description=end-user+denied+authorization", pending.State);
            }

            return;
        }

        var request = await ValidateAuthorizeAsync(ctx, form["client_id"], form["redirect_uri"], form["response_type"], form["scope"], form["state"], form["code_challenge"], form["code_challenge_method"]);
        if (request is null)
        {
            return;
        }

        var username = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        if (!string.Equals(username, org.Options.Username, StringComparison.OrdinalIgnoreCase) || password != org.Options.Password)
        {
            await DemoPages.WriteAsync(ctx, 200, DemoPages.SignIn(ActionUrl(ctx, prefix), request, org.Options, username,
                "Please check your username and password. If you still can't log in, contact your Salesforce administrator."));
            return;
        }

        var consentId = Authorizations(ctx).BeginConsent(request);
        await DemoPages.WriteAsync(ctx, 200, DemoPages.Consent(ActionUrl(ctx, prefix), consentId, request, org.Options.Username));
    }

    private static string ActionUrl(HttpContext ctx, string prefix) => $"{ctx.Request.PathBase}{prefix}/services/oauth2/authorize";

    /// <summary>Checks an authorize request as Salesforce does: bad client or callback shows an error page, other problems go back to the callback.</summary>
    private static async Task<DemoAuthorizeRequest?> ValidateAuthorizeAsync(
        HttpContext ctx, string? clientId, string? redirectUri, string? responseType, string? scope, string? state, string? challenge, string? challengeMethod)
    {
        var options = Org(ctx).Options;
        if (clientId != options.ClientId)
        {
            await DemoPages.WriteAsync(ctx, 400, DemoPages.Error("error=invalid_client_id", "error=invalid_client_id&error_description=client%20identifier%20invalid"));
            return null;
        }

        // Never redirect to a callback the connected app did not register: that would make this page an open redirect.
        if (!IsRegisteredCallback(ctx.Request, options, redirectUri))
        {
            await DemoPages.WriteAsync(ctx, 400, DemoPages.Error("error=redirect_uri_mismatch", "error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration"));
            return null;
        }

        if (responseType != "code")
        {
            Redirect(ctx, redirectUri!, "error=unsupported_response_type&error_description=response%20type%20not%20supported", state);
            return null;
        }

        if (!string.IsNullOrEmpty(challenge) && !string.IsNullOrEmpty(challengeMethod) && challengeMethod != "S256")
        {
            Redirect(ctx, redirectUri!, "error=invalid_request&error_description=code_challenge_method%20must%20be%20S256", state);
            return null;
        }

        return new DemoAuthorizeRequest(clientId, redirectUri!, string.IsNullOrWhiteSpace(scope) ? "api refresh_token" : scope.Trim(),
            string.IsNullOrEmpty(state) ? null : state, string.IsNullOrEmpty(challenge) ? null : challenge);
    }

    /// <summary>
    /// True when <paramref name="redirectUri"/> is one of the registered callback URLs, compared exactly as Salesforce does.
    /// An entry that is a path (such as the default, UnifyAdmin's own callback) stands for that path on this org's own origin.
    /// </summary>
    internal static bool IsRegisteredCallback(HttpRequest request, SalesforceDemoOptions options, string? redirectUri)
    {
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var callback) || callback.Scheme is not ("http" or "https"))
        {
            return false;
        }

        var registered = options.CallbackUrls.Count > 0 ? options.CallbackUrls : [SalesforceDemoOptions.DefaultCallbackPath];
        var origin = $"{request.Scheme}://{request.Host}{request.PathBase}";
        return registered.Any(entry => string.Equals(
            entry.StartsWith('/') ? origin + entry : entry, redirectUri, StringComparison.Ordinal));
    }

    private static void Redirect(HttpContext ctx, string redirectUri, string query, string? state)
    {
        var separator = redirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var location = $"{redirectUri}{separator}{query}";
        if (state is not null)
        {
            location += "&state=" + Uri.EscapeDataString(state);
        }

        ctx.Response.StatusCode = 302;
        ctx.Response.Headers.Location = location;
        ctx.Response.Headers.CacheControl = "no-cache,must-revalidate,max-age=0,no-store,private";
    }

    // ---- token ----

    private static async Task TokenAsync(HttpContext ctx, string prefix)
    {
        ctx.Response.Headers.CacheControl = "no-cache,must-revalidate,max-age=0,no-store,private";
        if (!ctx.Request.HasFormContentType)
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "unsupported_grant_type", "grant type not supported");
            return;
        }

        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        var org = Org(ctx);
        if (org.TakeTokenFault() is { } status)
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "text/html;charset=UTF-8";
            await ctx.Response.WriteAsync("<html><body>Service Unavailable</body></html>", ctx.RequestAborted);
            return;
        }

        var grant = form["grant_type"].ToString();
        switch (grant)
        {
            case "authorization_code":
                await AuthorizationCodeAsync(ctx, org, form, prefix);
                break;
            case "refresh_token":
                await RefreshAsync(ctx, org, form, prefix);
                break;
            case "client_credentials":
                if (await CheckClientAsync(ctx, org, form))
                {
                    await IssueAsync(ctx, org, prefix, "api", refresh: false, parentNonce: null);
                }

                break;
            case JwtBearer:
                await JwtBearerAsync(ctx, org, form, prefix);
                break;
            default:
                await DemoJson.WriteOAuthErrorAsync(ctx, "unsupported_grant_type", "grant type not supported");
                break;
        }
    }

    private static async Task<bool> CheckClientAsync(HttpContext ctx, SalesforceDemoOrg org, IFormCollection form)
    {
        if (form["client_id"] != org.Options.ClientId)
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "invalid_client_id", "client identifier invalid");
            return false;
        }

        if (!FixedEquals(form["client_secret"].ToString(), org.Options.ClientSecret))
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "invalid_client", "invalid client credentials");
            return false;
        }

        return true;
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static async Task AuthorizationCodeAsync(HttpContext ctx, SalesforceDemoOrg org, IFormCollection form, string prefix)
    {
        if (!await CheckClientAsync(ctx, org, form))
        {
            return;
        }

        var store = Authorizations(ctx);
        var pending = store.RedeemCode(form["code"]);
        if (pending is null)
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "invalid_grant", "invalid authorization code");
            return;
        }

        if (store.IsExpired(pending))
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "invalid_grant", "expired authorization code");
            return;
        }

        if (form["redirect_uri"] != pending.Request.RedirectUri)
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "invalid_grant", "redirect_uri mismatch");
            return;
        }

        if (pending.Request.CodeChallenge is { } challenge)
        {
            var verifier = form["code_verifier"].ToString();
            var computed = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
            if (verifier.Length == 0 || !FixedEquals(computed, challenge))
            {
                await DemoJson.WriteOAuthErrorAsync(ctx, "invalid_grant", "invalid code verifier");
                return;
            }
        }

        var scopes = pending.Request.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var refresh = scopes.Contains("refresh_token") || scopes.Contains("offline_access");
        await IssueAsync(ctx, org, prefix, pending.Request.Scope, refresh, parentNonce: null);
    }

    private static async Task RefreshAsync(HttpContext ctx, SalesforceDemoOrg org, IFormCollection form, string prefix)
    {
        if (!await CheckClientAsync(ctx, org, form))
        {
            return;
        }

        var token = org.Tokens.ParseRefresh(form["refresh_token"], out var expired);
        if (token is null || expired)
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "invalid_grant", "expired access/refresh token");
            return;
        }

        if (org.Options.RotateRefreshTokens)
        {
            // A new refresh token comes back and the one just used stops working (with what it issued).
            org.Tokens.Revoke(token.Nonce);
            org.SaveTokenState();
            await IssueAsync(ctx, org, prefix, token.Scope, refresh: true, parentNonce: null);
            return;
        }

        await IssueAsync(ctx, org, prefix, token.Scope, refresh: false, parentNonce: token.Nonce);
    }

    private static async Task JwtBearerAsync(HttpContext ctx, SalesforceDemoOrg org, IFormCollection form, string prefix)
    {
        var parts = form["assertion"].ToString().Split('.');
        if (parts.Length != 3 || org.Options.JwtPublicKeyPem is not { } pem)
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "invalid_grant", "invalid assertion");
            return;
        }

        JsonElement header;
        JsonElement claims;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
            claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "invalid_grant", "invalid assertion");
            return;
        }

        if (!header.TryGetProperty("alg", out var alg) || alg.GetString() != "RS256" || !VerifyRs256(pem, parts[0] + "." + parts[1], signature))
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "invalid_grant", "invalid assertion");
            return;
        }

        if (Claim(claims, "iss") != org.Options.ClientId)
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "invalid_client_id", "client identifier invalid");
            return;
        }

        var login = InstanceUrl(ctx.Request, prefix);
        var audiences = claims.TryGetProperty("aud", out var aud) && aud.ValueKind == JsonValueKind.Array
            ? aud.EnumerateArray().Select(a => a.GetString()).ToList()
            : [Claim(claims, "aud")];
        if (!audiences.Any(a => a is not null && a.TrimEnd('/') == login))
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "invalid_grant", "audience is invalid");
            return;
        }

        if (!claims.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expSeconds)
            || DateTimeOffset.FromUnixTimeSeconds(expSeconds) <= org.UtcNow)
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "invalid_grant", "expired authorization code");
            return;
        }

        if (!string.Equals(Claim(claims, "sub"), org.Options.Username, StringComparison.OrdinalIgnoreCase))
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "invalid_grant", "authentication failure");
            return;
        }

        await IssueAsync(ctx, org, prefix, "api", refresh: false, parentNonce: null);
    }

    private static string? Claim(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool VerifyRs256(string pem, string signed, byte[] signature)
    {
        try
        {
            using var rsa = pem.Contains("CERTIFICATE", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(pem).GetRSAPublicKey()
                : CreateRsa(pem);
            return rsa is not null && rsa.VerifyData(Encoding.ASCII.GetBytes(signed), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static RSA CreateRsa(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }

    private static async Task IssueAsync(HttpContext ctx, SalesforceDemoOrg org, string prefix, string scope, bool refresh, string? parentNonce)
    {
        var instance = InstanceUrl(ctx.Request, prefix);
        var issuedAt = new DateTimeOffset(org.UtcNow).ToUnixTimeMilliseconds();
        var issuedText = issuedAt.ToString(CultureInfo.InvariantCulture);
        string? refreshToken = null;
        if (refresh)
        {
            (refreshToken, parentNonce) = org.Tokens.IssueRefresh(issuedAt, scope);
        }

        var accessToken = org.Tokens.IssueAccess(issuedAt, scope, parentNonce);
        var identity = $"{instance}/id/{org.OrganizationId}/{org.DemoUserId}";
        await DemoJson.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("access_token", accessToken);
            if (refreshToken is not null)
            {
                w.WriteString("refresh_token", refreshToken);
            }

            w.WriteString("signature", org.Signature(identity, issuedText));
            w.WriteString("scope", scope);
            w.WriteString("instance_url", instance);
            w.WriteString("id", identity);
            w.WriteString("token_type", "Bearer");
            w.WriteString("issued_at", issuedText);
            w.WriteEndObject();
        });
    }

    // ---- revoke and identity ----

    private static async Task RevokeAsync(HttpContext ctx)
    {
        var org = Org(ctx);
        string? token = ctx.Request.Query["token"];
        if (ctx.Request.HasFormContentType)
        {
            var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
            token = form["token"].FirstOrDefault() ?? token;
        }

        if (org.Tokens.ParseAny(token) is not { } parsed)
        {
            await DemoJson.WriteOAuthErrorAsync(ctx, "unsupported_token_type", "this token type is not supported");
            return;
        }

        // Revoking a refresh token also ends every access token issued from it.
        org.Tokens.Revoke(parsed.Nonce);
        org.SaveTokenState();
        ctx.Response.StatusCode = 200;
    }

    private static async Task IdentityAsync(HttpContext ctx, string prefix)
    {
        var org = Org(ctx);
        var token = DemoRestEndpoints.BearerToken(ctx.Request) ?? ctx.Request.Query["oauth_token"].FirstOrDefault();
        if (org.Tokens.ValidateAccess(token) is null)
        {
            ctx.Response.StatusCode = 403;
            ctx.Response.ContentType = "text/plain;charset=UTF-8";
            await ctx.Response.WriteAsync("Bad_OAuth_Token", ctx.RequestAborted);
            return;
        }

        var orgId = ctx.GetRouteValue("orgId") as string ?? "";
        var userId = ctx.GetRouteValue("userId") as string ?? "";
        if (DemoIds.To18(orgId) != org.OrganizationId || DemoIds.To18(userId) != org.DemoUserId)
        {
            ctx.Response.StatusCode = 404;
            ctx.Response.ContentType = "text/plain;charset=UTF-8";
            await ctx.Response.WriteAsync("Bad_Id", ctx.RequestAborted);
            return;
        }

        var instance = InstanceUrl(ctx.Request, prefix);
        var view = org.View();
        var users = view.Object("User")!;
        view.TryResolve(users, org.DemoUserId, out var row);
        string? Text(string field) => users.Schema.Field(field) is { } f ? view.Get(users, row, f) as string : null;
        await DemoJson.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("id", $"{instance}/id/{org.OrganizationId}/{org.DemoUserId}");
            w.WriteBoolean("asserted_user", true);
            w.WriteString("user_id", org.DemoUserId);
            w.WriteString("organization_id", org.OrganizationId);
            w.WriteString("username", org.Options.Username);
            w.WriteString("nick_name", Text("Alias"));
            w.WriteString("display_name", Text("Name"));
            w.WriteString("email", Text("Email"));
            w.WriteBoolean("email_verified", true);
            w.WriteString("first_name", Text("FirstName"));
            w.WriteString("last_name", Text("LastName"));
            w.WriteString("timezone", "America/Los_Angeles");
            w.WriteBoolean("active", true);
            w.WriteString("user_type", "STANDARD");
            w.WriteString("language", "en_US");
            w.WriteString("locale", "en_US");
            w.WriteNumber("utcOffset", -28800000);
            w.WriteStartObject("urls");
            w.WriteString("rest", $"{instance}/services/data/v{{version}}/");
            w.WriteString("sobjects", $"{instance}/services/data/v{{version}}/sobjects/");
            w.WriteString("query", $"{instance}/services/data/v{{version}}/query/");
            w.WriteString("profile", $"{instance}/{org.DemoUserId}");
            w.WriteEndObject();
            w.WriteBoolean("is_app_installed", true);
            w.WriteEndObject();
        });
    }
}

/// <summary>The demo's HTML pages: plain forms with inline CSS, no scripts and no antiforgery tokens.</summary>
internal static class DemoPages
{
    private const string Style = """
        *{box-sizing:border-box}body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
        background:#f3f6f9;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933}
        main{background:#fff;width:100%;max-width:400px;padding:32px;border-radius:10px;box-shadow:0 2px 12px rgba(15,40,70,.12)}
        .brand{font-weight:700;color:#0b5cab;letter-spacing:.02em;margin-bottom:4px}h1{font-size:22px;margin:0 0 20px}
        label{display:block;font-weight:600;margin:14px 0 6px}input[type=text],input[type=password]{width:100%;padding:10px 12px;
        border:1px solid #c3ccd6;border-radius:6px;font-size:15px}input:focus{outline:2px solid #0b5cab;border-color:#0b5cab}
        button{margin-top:20px;padding:10px 18px;border:0;border-radius:6px;background:#0b5cab;color:#fff;font-size:15px;
        font-weight:600;cursor:pointer}button.secondary{background:#fff;color:#0b5cab;border:1px solid #0b5cab;margin-right:8px}
        .wide{width:100%}.error{background:#fdecea;color:#a61b1b;border-radius:6px;padding:10px 12px;margin-bottom:8px}
        .hint{color:#5f6b7a;font-size:13px;margin-top:18px}ul{padding-left:20px}.actions{text-align:right}
        """;

    public static async Task WriteAsync(HttpContext ctx, int status, string html)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/html;charset=UTF-8";
        ctx.Response.Headers.CacheControl = "no-store";
        await ctx.Response.WriteAsync(html, ctx.RequestAborted);
    }

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string Page(string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Encode(title)} | Demo Salesforce</title><style>{Style}</style></head>
        <body><main><div class="brand">Demo Salesforce</div>
        {body}
        </main></body>
        </html>
        """;

    private static string Hidden(string name, string? value) =>
        value is null ? "" : $"""<input type="hidden" name="{name}" value="{Encode(value)}">""";

    private static string RequestFields(DemoAuthorizeRequest request) => string.Concat(
        Hidden("response_type", "code"),
        Hidden("client_id", request.ClientId),
        Hidden("redirect_uri", request.RedirectUri),
        Hidden("scope", request.Scope),
        Hidden("state", request.State),
        Hidden("code_challenge", request.CodeChallenge),
        Hidden("code_challenge_method", request.CodeChallenge is null ? null : "S256"));

    public static string SignIn(string action, DemoAuthorizeRequest request, SalesforceDemoOptions options, string? username, string? error)
    {
        var hint = options.Password == new SalesforceDemoOptions().Password
            ? $"""<p class="hint">Demo org: sign in as <strong>{Encode(options.Username)}</strong> with password <strong>{Encode(options.Password)}</strong>.</p>"""
            : "";
        var errorBlock = error is null ? "" : $"""<div class="error" role="alert">{Encode(error)}</div>""";
        return Page("Login", $"""
            <h1>Log in</h1>
            {errorBlock}
            <form method="post" action="{Encode(action)}">
            {RequestFields(request)}<input type="hidden" name="step" value="login">
            <label for="username">Username</label>
            <input type="text" id="username" name="username" autocomplete="username" value="{Encode(username ?? options.Username)}" required>
            <label for="password">Password</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required>
            <button type="submit" class="wide">Log In</button>
            </form>
            {hint}
            """);
    }

    public static string Consent(string action, string pendingId, DemoAuthorizeRequest request, string username)
    {
        var scopes = request.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => s switch
        {
            "api" => "Access and manage your data (api)",
            "refresh_token" or "offline_access" => "Perform requests at any time (refresh_token, offline_access)",
            "full" => "Full access (full)",
            "web" => "Provide access to your data via the Web (web)",
            "id" or "profile" or "email" or "openid" or "address" or "phone" => "Access your basic information (id, profile, email, address, phone)",
            _ => $"Use the {s} scope",
        }).Distinct();
        var items = string.Concat(scopes.Select(s => $"<li>{Encode(s)}</li>"));
        return Page("Allow Access?", $"""
            <h1>Allow Access?</h1>
            <p>The application connecting with client id <strong>{Encode(request.ClientId)}</strong> is asking to:</p>
            <ul>{items}</ul>
            <p>Do you want to allow access for <strong>{Encode(username)}</strong>?</p>
            <form method="post" action="{Encode(action)}" class="actions">
            <input type="hidden" name="step" value="consent"><input type="hidden" name="pending" value="{Encode(pendingId)}">
            <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
            <button type="submit" name="decision" value="allow">Allow</button>
            </form>
            """);
    }

    public static string Error(string title, string message) => Page(title, $"""
        <h1>Unable to connect</h1>
        <div class="error" role="alert">{Encode(message)}</div>
        """);
}
