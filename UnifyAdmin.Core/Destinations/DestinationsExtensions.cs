using Microsoft.Extensions.DependencyInjection;
using UnifyAdmin.Core.Common;

namespace UnifyAdmin.Core.Destinations;

/// <summary>Registers the Segment Profiles destination services.</summary>
public static class DestinationsExtensions
{
    public static IServiceCollection AddDestinations(this IServiceCollection services)
    {
        // Scoped, not singleton: it holds a typed HttpClient (SegmentProfileClient), which must not live forever.
        services.AddInputValidators();
        services.AddScoped<DestinationService>();
        return services;
    }
}
