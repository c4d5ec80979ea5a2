using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UnifyAdmin.Core.Common;

/// <summary>Registers every FluentValidation validator of Core, so services and forms share one instance of each rule set.</summary>
public static class ValidationExtensions
{
    /// <summary>Idempotent: each feature that needs validators calls it, whichever runs first registers them.</summary>
    public static IServiceCollection AddInputValidators(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(InputValidatorsMarker)))
        {
            return services;
        }

        services.AddSingleton<InputValidatorsMarker>();
        services.TryAddSingleton(TimeProvider.System);
        // Validators hold no state (the clock is read per check), so one instance serves every circuit.
        // Validators that need the context of one use (e.g. a mapping's field catalog) are built where they are used;
        // a validator whose other parameters all have defaults (e.g. requireSecret = true) is still context-free.
        services.AddValidatorsFromAssemblyContaining<InputValidatorsMarker>(
            ServiceLifetime.Singleton,
            filter: r => r.ValidatorType.GetConstructors().Any(c => c.GetParameters().All(p => p.ParameterType == typeof(TimeProvider) || p.HasDefaultValue)));
        return services;
    }

    private sealed class InputValidatorsMarker;
}
