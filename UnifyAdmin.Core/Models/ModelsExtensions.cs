using Microsoft.Extensions.DependencyInjection;

namespace UnifyAdmin.Core.Models;

/// <summary>Registers the data model services.</summary>
public static class ModelsExtensions
{
    public static IServiceCollection AddModels(this IServiceCollection services)
    {
        services.AddScoped<ModelService>();
        return services;
    }
}
