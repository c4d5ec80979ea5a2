using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Demo.Segment;

/// <summary>Registers and maps the demo Segment workspace (Tracking API, Profile API, control API).</summary>
public static class SegmentDemoExtensions
{
    public const string TrackingPrefix = "/demo/segment";
    public const string ProfilesPrefix = "/demo/segment-profiles";

    public static IServiceCollection AddSegmentDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SegmentDemoOptions>()
            .Bind(configuration.GetSection(SegmentDemoOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.SpaceId) && !string.IsNullOrWhiteSpace(o.WriteKey) && !string.IsNullOrWhiteSpace(o.AccessToken),
                $"{SegmentDemoOptions.SectionName}:SpaceId, WriteKey and AccessToken must be set.")
            .Validate(o => o.Spaces.All(s => !string.IsNullOrWhiteSpace(s.Id) && !string.IsNullOrWhiteSpace(s.WriteKey) && !string.IsNullOrWhiteSpace(s.AccessToken)),
                $"{SegmentDemoOptions.SectionName}:Spaces entries need Id, WriteKey and AccessToken.")
            .Validate(o => o.UserIdLimit >= 1 && o.OtherIdentifierLimit >= 1,
                $"{SegmentDemoOptions.SectionName}:UserIdLimit and OtherIdentifierLimit must be at least 1.")
            .Validate(o => o.ProfileApiRequestsPerSecond >= 1 && o.MaxDedupEntries >= 1 && o.SaveInterval > TimeSpan.Zero,
                $"{SegmentDemoOptions.SectionName}: ProfileApiRequestsPerSecond, MaxDedupEntries and SaveInterval must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SegmentDemoWorkspace>();
        services.TryAddSingleton<SegmentDemoControl>();
        services.AddHostedService<SegmentDemoPersistence>();
        return services;
    }

    public static IEndpointRouteBuilder MapSegmentDemo(this IEndpointRouteBuilder endpoints)
    {
        var tracking = endpoints.MapGroup(TrackingPrefix).AllowAnonymous().DisableAntiforgery();
        tracking.MapPost("/v1/identify", (HttpContext context, SegmentDemoWorkspace workspace) => SegmentDemoTrackingApi.HandleAsync(context, workspace, "identify"));
        tracking.MapPost("/v1/group", (HttpContext context, SegmentDemoWorkspace workspace) => SegmentDemoTrackingApi.HandleAsync(context, workspace, "group"));
        tracking.MapPost("/v1/batch", (HttpContext context, SegmentDemoWorkspace workspace) => SegmentDemoTrackingApi.HandleAsync(context, workspace, "batch"));
        tracking.MapPost("/v1/import", (HttpContext context, SegmentDemoWorkspace workspace) => SegmentDemoTrackingApi.HandleAsync(context, workspace, "batch"));

        var profiles = endpoints.MapGroup(ProfilesPrefix).AllowAnonymous().DisableAntiforgery();
        profiles.MapGet("/v1/spaces", (HttpContext context, SegmentDemoWorkspace workspace) => SegmentDemoProfileApi.SpacesAsync(context, workspace));
        profiles.MapGet(
            "/v1/spaces/{spaceId}/collections/{collection}/profiles/{profileId}/{facet}",
            (HttpContext context, SegmentDemoWorkspace workspace, string spaceId, string collection, string profileId, string facet)
                => SegmentDemoProfileApi.ProfileAsync(context, workspace, spaceId, collection, profileId, facet));

        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<SegmentDemoOptions>>().Value;
        var environment = endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>();
        if (options.ControlApiEnabled && !environment.IsProduction())
        {
            var control = endpoints.MapGroup(TrackingPrefix + "/_control").AllowAnonymous().DisableAntiforgery();
            control.MapGet("/messages", (SegmentDemoControl demo, string? space, int? limit) => Results.Ok(new { data = demo.Messages(space, limit ?? 1000) }));
            control.MapGet("/spaces", (SegmentDemoControl demo) => Results.Ok(new { data = demo.Spaces() }));
            control.MapPost("/faults", (SegmentDemoControl demo, SegmentDemoFault fault) =>
            {
                if (fault.Kind is not ("429" or "500" or "400" or "408" or "413" or "html" or "delay") || fault.Target is not ("tracking" or "profiles") || fault.Count < 1)
                {
                    return Results.BadRequest(new { message = "kind must be 429, 500, 400, 408, 413, html or delay; target tracking or profiles; count at least 1." });
                }

                demo.InjectFaults(fault);
                return Results.Ok(new { queued = fault.Count });
            });
            control.MapPost("/reset", (SegmentDemoControl demo) =>
            {
                demo.Reset();
                return Results.Ok(new { reset = true });
            });
        }

        return endpoints;
    }
}
