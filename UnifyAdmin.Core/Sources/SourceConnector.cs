using System.Net;
using System.Security.Claims;
using FluentValidation;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Core.Sources;

/// <summary>The attempt started, and where to send the admin's browser next (null when no browser is needed).</summary>
public sealed record ConnectStart(Guid AttemptId, Uri? AuthorizeUrl);

/// <summary>Where the OAuth callback leads: back to the wizard's attempt, or to a reconnected source, or an error.</summary>
public sealed record ConnectCallbackResult(Guid? AttemptId, Guid? SourceId, string? Error);

/// <summary>
/// Connects a Salesforce org: starts the web-server flow with PKCE (or gets a token directly for
/// client-credentials and JWT-bearer orgs), completes the callback, and learns who connected which org.
/// </summary>
public sealed class SourceConnector(
    ConnectAttemptStore attempts,
    SalesforceOAuthClient oauth,
    ISalesforceClientFactory clients,
    SourceService sources,
    TimeProvider clock,
    ILogger<SourceConnector> logger,
    IValidator<SourceConnectionInput> validator,
    IAppHostedOrg? appHosted = null)
{
    public const string CallbackPath = "sources/oauth/callback";

    /// <summary>
    /// The login host a kind of source uses. An app-hosted org lives under <paramref name="appHostedPath"/>
    /// of this app's address; without one the kind is not on offer.
    /// </summary>
    public static Uri LoginHostFor(SourceConnectionInput input, Uri appBase, string? appHostedPath) => input.LoginKind switch
    {
        SalesforceLoginKind.Production => SalesforceHosts.Production,
        SalesforceLoginKind.Sandbox => SalesforceHosts.Sandbox,
        SalesforceLoginKind.MyDomain => SalesforceHosts.ValidateMyDomain(input.MyDomainUrl.Trim()),
        SalesforceLoginKind.AppHosted when !string.IsNullOrWhiteSpace(appHostedPath) => new Uri(appBase, appHostedPath.Trim('/')),
        SalesforceLoginKind.AppHosted => throw new SalesforceHostException("", "This app serves no org of its own; choose another login host."),
        _ => throw new ArgumentOutOfRangeException(nameof(input)),
    };

    public static Uri CallbackUri(Uri appBase) => new(appBase, CallbackPath);

    /// <summary>
    /// Starts connecting a new source (or reconnecting <paramref name="sourceId"/>). Succeeds with where to
    /// send the browser next (null for flows that need no browser), or fails with what to fix.
    /// </summary>
    public async Task<OperationResult<ConnectStart>> StartAsync(ClaimsPrincipal user, SourceConnectionInput input, Uri appBase, Guid? sourceId, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            return OperationResult<ConnectStart>.Fail("Only an Admin can connect Salesforce.");
        }

        input = input.Clone();
        if (input.LoginKind == SalesforceLoginKind.AppHosted && appHosted is not null)
        {
            // The app-hosted org's secret never goes to the browser: the server supplies it here.
            input.ClientId = string.IsNullOrWhiteSpace(input.ClientId) ? appHosted.ClientId : input.ClientId;
            input.ClientSecret = string.IsNullOrWhiteSpace(input.ClientSecret) ? appHosted.ClientSecret : input.ClientSecret;
        }

        var validation = await validator.ValidateAsync(input, ct);
        if (!validation.IsValid)
        {
            return OperationResult<ConnectStart>.Fail(validation.Errors.Select(e => e.ErrorMessage).Distinct().ToArray());
        }

        Uri loginHost;
        try
        {
            loginHost = LoginHostFor(input, appBase, appHosted?.LoginPath);
        }
        catch (SalesforceHostException ex)
        {
            return OperationResult<ConnectStart>.Fail(ex.Message);
        }

        var attempt = attempts.Add(new ConnectAttempt
        {
            UserId = UserId(user),
            SourceId = sourceId,
            Draft = input,
            LoginHost = loginHost,
            ExpiresAt = clock.GetUtcNow() + ConnectAttemptStore.Lifetime,
        });

        if (input.AuthFlow == SalesforceAuthFlow.WebServer)
        {
            var authorization = SalesforceOAuthClient.BuildAuthorizeUrl(loginHost, input.ClientId.Trim(), CallbackUri(appBase), attempt.State);
            attempt.CodeVerifier = authorization.CodeVerifier;
            return OperationResult<ConnectStart>.Ok(new ConnectStart(attempt.Id, authorization.Url));
        }

        // Server-to-server flows need no browser: get the token now.
        try
        {
            attempt.Token = input.AuthFlow == SalesforceAuthFlow.JwtBearer
                ? await oauth.JwtBearerAsync(loginHost, input.ClientId.Trim(), input.JwtUsername.Trim(), input.JwtPrivateKeyPem, ct)
                : await oauth.ClientCredentialsAsync(loginHost, input.ClientId.Trim(), input.ClientSecret.Trim(), ct);
            await LearnOrgAsync(attempt, ct);
        }
        catch (Exception ex) when (ex is SalesforceException or HttpRequestException or TaskCanceledException)
        {
            attempt.Error = Describe(ex);
            logger.LogWarning("Connecting a Salesforce source failed: {Error}", attempt.Error);
        }

        if (attempt.IsConnected && sourceId is { } id)
        {
            var applied = await sources.ApplyReconnectAsync(user, id, attempt, ct);
            attempt.Error = applied.Succeeded ? null : string.Join(" ", applied.Errors);
        }

        if (attempt.Error is { } failure)
        {
            attempts.Remove(attempt.Id);
            return OperationResult<ConnectStart>.Fail(failure);
        }

        return OperationResult<ConnectStart>.Ok(new ConnectStart(attempt.Id, null));
    }

    /// <summary>Handles Salesforce's redirect back to the app.</summary>
    public async Task<ConnectCallbackResult> CompleteAsync(
        ClaimsPrincipal user, string? state, string? code, string? error, string? errorDescription, Uri appBase, CancellationToken ct)
    {
        var attempt = string.IsNullOrEmpty(state) ? null : attempts.FindByState(state);
        if (attempt is null || attempt.UserId != UserId(user) || attempt.ExpiresAt <= clock.GetUtcNow() || attempt.StateUsed)
        {
            logger.LogWarning("Refused a Salesforce OAuth callback with an unknown, expired, replayed or foreign state");
            return new ConnectCallbackResult(null, null,
                "This Salesforce sign-in response does not match a connection you started (it may have expired, been used already, or come from another browser). Start again with Connect.");
        }

        attempt.StateUsed = true;
        if (!string.IsNullOrEmpty(error))
        {
            attempt.Error = error == "access_denied"
                ? "Access was denied in Salesforce, so nothing was connected. Click Connect again and choose Allow on the consent page."
                : $"Salesforce refused the connection ({error}{(string.IsNullOrEmpty(errorDescription) ? "" : ": " + errorDescription)}). Check the External Client App's settings, then connect again.";
            return new ConnectCallbackResult(attempt.Id, attempt.SourceId, attempt.Error);
        }

        if (string.IsNullOrEmpty(code) || attempt.CodeVerifier is null)
        {
            attempt.Error = "Salesforce sent no authorization code. Start again with Connect.";
            return new ConnectCallbackResult(attempt.Id, attempt.SourceId, attempt.Error);
        }

        try
        {
            attempt.Token = await oauth.ExchangeCodeAsync(
                attempt.LoginHost, attempt.Draft.ClientId.Trim(), attempt.Draft.ClientSecret.Trim(), CallbackUri(appBase), code, attempt.CodeVerifier, ct);
            await LearnOrgAsync(attempt, ct);
        }
        catch (Exception ex) when (ex is SalesforceException or HttpRequestException or TaskCanceledException)
        {
            attempt.Token = null;
            attempt.Error = Describe(ex);
            logger.LogWarning("Completing a Salesforce connection failed: {Error}", attempt.Error);
        }

        if (attempt.IsConnected && attempt.SourceId is { } id)
        {
            var applied = await sources.ApplyReconnectAsync(user, id, attempt, ct);
            attempt.Error = applied.Succeeded ? null : string.Join(" ", applied.Errors);
        }

        return new ConnectCallbackResult(attempt.Id, attempt.SourceId, attempt.Error);
    }

    /// <summary>The attempt of this user, for the wizard page.</summary>
    public ConnectAttempt? Find(ClaimsPrincipal user, Guid attemptId) => attempts.Find(attemptId, UserId(user));

    /// <summary>A client over the attempt's fresh token (before the source is saved).</summary>
    public ISalesforceClient ClientFor(ConnectAttempt attempt)
    {
        if (attempt.Token is not { } token)
        {
            throw new InvalidOperationException("The connection is not complete.");
        }

        // Not the saved source's id: the attempt's fresh tokens must not mix with the session of the old ones.
        return clients.Create(new SalesforceConnection(
            Guid.Empty, attempt.LoginHost, token.InstanceUrl, attempt.Draft.ClientId.Trim(), NullIfEmpty(attempt.Draft.ClientSecret),
            token.AccessToken, token.RefreshToken, null, NullIfEmpty(attempt.Draft.JwtUsername), NullIfEmpty(attempt.Draft.JwtPrivateKeyPem)),
            SalesforceCallKind.Interactive);
    }

    public void Forget(Guid attemptId) => attempts.Remove(attemptId);

    private async Task LearnOrgAsync(ConnectAttempt attempt, CancellationToken ct)
    {
        var token = attempt.Token!;
        if (token.IdentityUrl is { } identityUrl)
        {
            attempt.Identity = await oauth.GetIdentityAsync(identityUrl, token.AccessToken, ct);
        }

        // One cheap call proves the user has API access and shows the org's allowance.
        var limits = await ClientFor(attempt).GetLimitsAsync(ct);
        if (limits.TryGetValue("DailyApiRequests", out var daily))
        {
            attempt.Usage = new ApiUsage(daily.Max - daily.Remaining, daily.Max);
        }
    }

    /// <summary>Turns a Salesforce or network failure into a message that says what to do.</summary>
    public static string Describe(Exception ex) => ex switch
    {
        SalesforceOAuthException { Error: "invalid_client" or "invalid_client_id" } =>
            "Salesforce rejected the client id or client secret (invalid_client). Copy the consumer key and secret of the External Client App again.",
        SalesforceOAuthException { Error: "invalid_grant" } o =>
            $"Salesforce refused the sign-in (invalid_grant: {o.Description ?? "authentication failure"}). Connect again; for JWT, check the username, the certificate and that the user is pre-authorized.",
        SalesforceOAuthException o => $"Salesforce refused the connection ({o.Error}: {o.Description}). Check the External Client App's settings.",
        SalesforceApiException { ErrorCode: "API_DISABLED_FOR_ORG" } =>
            "This Salesforce user cannot use the API (API_DISABLED_FOR_ORG). Give the user the \"API Enabled\" permission, or connect as a user who has it.",
        SalesforceApiLimitExceededException =>
            "The org has used up its daily API allowance (REQUEST_LIMIT_EXCEEDED). Try again after the 24-hour window rolls over.",
        // The exception's own message already says "Salesforce answered …": build the sentence once.
        SalesforceApiException api => $"Salesforce answered {(int)api.StatusCode} {api.ErrorCode}: {api.SalesforceMessage}",
        SalesforceHostException host => host.Message,
        HttpRequestException { StatusCode: HttpStatusCode status } => $"The login host answered {(int)status}. Check the login host URL.",
        HttpRequestException => "The login host could not be reached. Check the URL and the network, then try again.",
        TaskCanceledException => "Salesforce did not answer in time. Try again.",
        _ => "Connecting failed. The details are in the server log.",
    };

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
