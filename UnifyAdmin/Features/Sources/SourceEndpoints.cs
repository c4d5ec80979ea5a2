using System.Security.Claims;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Features.Sources;

/// <summary>The OAuth callback: Salesforce sends the admin's browser here after sign-in and consent.</summary>
public static class SourceEndpoints
{
    public static IEndpointRouteBuilder MapSourceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/" + SourceConnector.CallbackPath, async (
            HttpContext context, ClaimsPrincipal user, SourceConnector connector, string? state, string? code, string? error, string? error_description) =>
        {
            var appBase = new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/");
            var result = await connector.CompleteAsync(user, state, code, error, error_description, appBase, context.RequestAborted);
            if (result.SourceId is { } sourceId)
            {
                return Results.LocalRedirect(result.Error is null
                    ? $"~/sources/{sourceId}?reconnected=true"
                    : $"~/sources/{sourceId}?error={Uri.EscapeDataString(result.Error)}");
            }

            return result.AttemptId is { } attemptId
                ? Results.LocalRedirect($"~/sources/new?attempt={attemptId}")
                : Results.LocalRedirect($"~/sources/new?error={Uri.EscapeDataString(result.Error ?? "The connection failed.")}");
        }).RequireAuthorization(Policies.Admin);
        return endpoints;
    }
}
