using Microsoft.Extensions.DependencyInjection;

namespace UnifyAdmin.Core.Destinations;

/// <summary>Registers the Segment Profiles destination services.</summary>
public static class DestinationsExtensions
{
    public static IServiceCollection AddDestinations(this IServiceCollection services)
    {
        // Scoped, not singleton: it holds a typed HttpClient (SegmentProfileClient), which must not live forever.
        services.AddScoped<DestinationService>();
        return services;
    }
}
