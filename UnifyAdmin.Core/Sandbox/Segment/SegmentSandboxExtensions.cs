using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Core.Sandbox.Segment;

/// <summary>Registers and maps the sandbox Segment workspace (Tracking API, Profile API, control API).</summary>
public static class SegmentSandboxExtensions
{
    public const string TrackingPrefix = "/sandbox/segment";
    public const string ProfilesPrefix = "/sandbox/segment-profiles";

    public static IServiceCollection AddSegmentSandbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SegmentSandboxOptions>()
            .Bind(configuration.GetSection(SegmentSandboxOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.SpaceId) && !string.IsNullOrWhiteSpace(o.WriteKey) && !string.IsNullOrWhiteSpace(o.AccessToken),
                $"{SegmentSandboxOptions.SectionName}:SpaceId, WriteKey and AccessToken must be set.")
            .Validate(o => o.Spaces.All(s => !string.IsNullOrWhiteSpace(s.Id) && !string.IsNullOrWhiteSpace(s.WriteKey) && !string.IsNullOrWhiteSpace(s.AccessToken)),
                $"{SegmentSandboxOptions.SectionName}:Spaces entries need Id, WriteKey and AccessToken.")
            .Validate(o => o.UserIdLimit >= 1 && o.OtherIdentifierLimit >= 1,
                $"{SegmentSandboxOptions.SectionName}:UserIdLimit and OtherIdentifierLimit must be at least 1.")
            .Validate(o => o.ProfileApiRequestsPerSecond >= 1 && o.MaxDedupEntries >= 1 && o.SaveInterval > TimeSpan.Zero,
                $"{SegmentSandboxOptions.SectionName}: ProfileApiRequestsPerSecond, MaxDedupEntries and SaveInterval must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SegmentSandboxWorkspace>();
        services.TryAddSingleton<SegmentSandboxControl>();
        services.AddHostedService<SegmentSandboxPersistence>();
        return services;
    }

    public static IEndpointRouteBuilder MapSegmentSandbox(this IEndpointRouteBuilder endpoints)
    {
        var tracking = endpoints.MapGroup(TrackingPrefix).AllowAnonymous().DisableAntiforgery();
        tracking.MapPost("/v1/identify", (HttpContext context, SegmentSandboxWorkspace workspace) => SegmentSandboxTrackingApi.HandleAsync(context, workspace, "identify"));
        tracking.MapPost("/v1/group", (HttpContext context, SegmentSandboxWorkspace workspace) => SegmentSandboxTrackingApi.HandleAsync(context, workspace, "group"));
        tracking.MapPost("/v1/batch", (HttpContext context, SegmentSandboxWorkspace workspace) => SegmentSandboxTrackingApi.HandleAsync(context, workspace, "batch"));
        tracking.MapPost("/v1/import", (HttpContext context, SegmentSandboxWorkspace workspace) => SegmentSandboxTrackingApi.HandleAsync(context, workspace, "batch"));

        var profiles = endpoints.MapGroup(ProfilesPrefix).AllowAnonymous().DisableAntiforgery();
        profiles.MapGet("/v1/spaces", (HttpContext context, SegmentSandboxWorkspace workspace) => SegmentSandboxProfileApi.SpacesAsync(context, workspace));
        profiles.MapGet(
            "/v1/spaces/{spaceId}/collections/{collection}/profiles/{profileId}/{facet}",
            (HttpContext context, SegmentSandboxWorkspace workspace, string spaceId, string collection, string profileId, string facet)
                => SegmentSandboxProfileApi.ProfileAsync(context, workspace, spaceId, collection, profileId, facet));

        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<SegmentSandboxOptions>>().Value;
        var environment = endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>();
        if (options.ControlApiEnabled && !environment.IsProduction())
        {
            var control = endpoints.MapGroup(TrackingPrefix + "/_control").AllowAnonymous().DisableAntiforgery();
            control.MapGet("/messages", (SegmentSandboxControl sandbox, string? space, int? limit) => Results.Ok(new { data = sandbox.Messages(space, limit ?? 1000) }));
            control.MapGet("/spaces", (SegmentSandboxControl sandbox) => Results.Ok(new { data = sandbox.Spaces() }));
            control.MapPost("/faults", (SegmentSandboxControl sandbox, SegmentSandboxFault fault) =>
            {
                if (fault.Kind is not ("429" or "500" or "400" or "delay") || fault.Target is not ("tracking" or "profiles") || fault.Count < 1)
                {
                    return Results.BadRequest(new { message = "kind must be 429, 500, 400 or delay; target tracking or profiles; count at least 1." });
                }

                sandbox.InjectFaults(fault);
                return Results.Ok(new { queued = fault.Count });
            });
            control.MapPost("/reset", (SegmentSandboxControl sandbox) =>
            {
                sandbox.Reset();
                return Results.Ok(new { reset = true });
            });
        }

        return endpoints;
    }
}
