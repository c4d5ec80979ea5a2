using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using OpenTelemetry;
using UnifyAdmin.Core.Monitoring;

namespace UnifyAdmin.Features.Monitoring;

/// <summary>The web half of the monitoring: who acts in circuits and requests, the errors CSV, the metrics endpoint.</summary>
public static class MonitoringWebExtensions
{
    public static IServiceCollection AddMonitoringWeb(this IServiceCollection services)
    {
        services.AddScoped<CircuitHandler, CurrentUserCircuitHandler>();
        return services;
    }

    /// <summary>Makes the signed-in user the acting user of each HTTP request (after authentication).</summary>
    public static WebApplication UseMonitoring(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            using (CurrentUser.Use(ActingUser.FromPrincipal(context.User)))
            {
                await next(context);
            }
        });
        return app;
    }

    public static WebApplication MapMonitoring(this WebApplication app)
    {
        app.MapGet("/sync-runs/{id:guid}/errors.csv", async (Guid id, HttpContext http, RunDetailQueries runs, CancellationToken ct) =>
        {
            if (await runs.GetAsync(id, ct) is null)
            {
                return Results.NotFound();
            }

            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"sync-run-{id:N}-errors.csv\"";
            await runs.WriteCsvAsync(id, http.Response.Body, ct);
            return Results.Empty;
        });

        if (app.Configuration.GetValue<bool>(MonitoringExtensions.PrometheusKey))
        {
            // Scrapers do not sign in: the endpoint is off by default and meant for a private network.
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        }

        return app;
    }
}

/// <summary>Sets the circuit's signed-in user as the acting user for everything an inbound activity (a click, a render) does.</summary>
internal sealed class CurrentUserCircuitHandler(AuthenticationStateProvider authentication) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next)
        => async context =>
        {
            var state = await authentication.GetAuthenticationStateAsync();
            using (CurrentUser.Use(ActingUser.FromPrincipal(state.User)))
            {
                await next(context);
            }
        };
}
