using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Core.Sources;

/// <summary>Registers the Salesforce source services.</summary>
public static class SourcesExtensions
{
    public static IServiceCollection AddSources(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddInputValidators();
        services.AddSingleton<ConnectAttemptStore>();
        services.AddScoped<SourceService>();
        services.AddScoped<SetupProgress>();
        services.AddScoped<SourceConnector>();
        // Tokens refreshed and API usage seen by the client are written to the source's row.
        services.Replace(ServiceDescriptor.Singleton<ISalesforceConnectionStore, DbSalesforceConnectionStore>());
        return services;
    }
}
