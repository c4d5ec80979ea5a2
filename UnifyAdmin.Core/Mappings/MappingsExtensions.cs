using Microsoft.Extensions.DependencyInjection;

namespace UnifyAdmin.Core.Mappings;

/// <summary>Registers the mapping services.</summary>
public static class MappingsExtensions
{
    public static IServiceCollection AddMappings(this IServiceCollection services)
    {
        // Scoped: they hold typed HttpClients (Segment) and per-circuit services.
        services.AddScoped<MappingService>();
        services.AddScoped<MappingTestService>();
        return services;
    }
}
