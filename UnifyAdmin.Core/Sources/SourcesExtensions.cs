using Microsoft.Extensions.DependencyInjection;

namespace UnifyAdmin.Core.Sources;

/// <summary>Registers the Salesforce source services.</summary>
public static class SourcesExtensions
{
    public static IServiceCollection AddSources(this IServiceCollection services)
    {
        return services;
    }
}
