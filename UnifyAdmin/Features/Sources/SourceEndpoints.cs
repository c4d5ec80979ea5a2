using System.Security.Claims;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Security;

namespace UnifyAdmin.Features.Sources;

/// <summary>The OAuth round trip: the start hop that binds it to this browser, and the callback Salesforce sends the admin's browser to.</summary>
public static class SourceEndpoints
{
    public static IEndpointRouteBuilder MapSourceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(OAuthSessionBinding.StartPath, (
            HttpContext context, ClaimsPrincipal user, SourceConnector connector, OAuthSessionBinding binding, Guid? attempt, string? to) =>
        {
            // Only on to the authorize URL of this user's own attempt: never an open redirect.
            var found = attempt is { } id ? connector.Find(user, id) : null;
            if (found is null || !Uri.TryCreate(to, UriKind.Absolute, out var target) || !IsAuthorizeUrlOf(found, target))
            {
                return Results.LocalRedirect($"~/sources/new?error={ConnectErrors.BadStart}");
            }

            binding.Bind(context, found.State);
            return Results.Redirect(target.ToString());
        }).RequireAuthorization(Policies.Admin);

        endpoints.MapGet("/" + SourceConnector.CallbackPath, async (
            HttpContext context, ClaimsPrincipal user, SourceConnector connector, OAuthSessionBinding binding, PublicUrlOptions publicUrl,
            string? state, string? code, string? error, string? error_description) =>
        {
            if (!binding.IsBound(context, state))
            {
                return Results.LocalRedirect($"~/sources/new?error={ConnectErrors.OtherSession}");
            }

            binding.Release(context, state!);
            var appBase = publicUrl.AppBase(new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/"));
            var result = await connector.CompleteAsync(user, state, code, error, error_description, appBase, context.RequestAborted);
            if (result.SourceId is { } sourceId)
            {
                return Results.LocalRedirect(result.Error is null || result.AttemptId is null
                    ? $"~/sources/{sourceId}?reconnected=true"
                    : $"~/sources/{sourceId}?attempt={result.AttemptId}");
            }

            return result.AttemptId is { } attemptId
                ? Results.LocalRedirect($"~/sources/new?attempt={attemptId}")
                : Results.LocalRedirect($"~/sources/new?error={ConnectErrors.UnknownState}");
        }).RequireAuthorization(Policies.Admin);
        return endpoints;
    }

    private static bool IsAuthorizeUrlOf(ConnectAttempt attempt, Uri target)
    {
        var authorize = SalesforceHosts.Combine(attempt.LoginHost, "services/oauth2/authorize");
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(target.Query);
        return Uri.Compare(target, authorize, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            && query.TryGetValue("state", out var state) && state.ToString() == attempt.State;
    }
}
