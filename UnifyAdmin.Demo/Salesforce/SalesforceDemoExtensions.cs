using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Demo.Salesforce;

/// <summary>Registers and maps the demo Salesforce org.</summary>
public static class SalesforceDemoExtensions
{
    public const string DefaultPrefix = "/demo/salesforce";

    public static IServiceCollection AddSalesforceDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SalesforceDemoOptions>()
            .Bind(configuration.GetSection(SalesforceDemoOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceDemoOptions>, SalesforceDemoOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SalesforceDemoOrg>();
        services.TryAddSingleton<DemoAuthorizationStore>();
        return services;
    }

    /// <summary>
    /// Maps OAuth, REST and (when enabled outside Production) the control API under <paramref name="prefix"/>,
    /// which is also the org's login host and instance URL path.
    /// </summary>
    public static RouteGroupBuilder MapSalesforceDemo(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        prefix = "/" + prefix.Trim('/');
        // The host app requires a signed-in user by default, and non-browser clients post forms without antiforgery tokens.
        var group = endpoints.MapGroup(prefix).AllowAnonymous().DisableAntiforgery();
        DemoOAuthEndpoints.Map(group, prefix);
        DemoRestEndpoints.Map(group);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<SalesforceDemoOptions>>().Value;
        var environment = endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>();
        if (options.ControlApiEnabled && !environment.IsProduction())
        {
            DemoControlEndpoints.Map(group.MapGroup("/_control"));
        }

        return group;
    }
}

/// <summary>Stops the app at start when a demo setting is unusable, naming the key.</summary>
internal sealed class SalesforceDemoOptionsValidator : IValidateOptions<SalesforceDemoOptions>
{
    public ValidateOptionsResult Validate(string? name, SalesforceDemoOptions options)
    {
        var failures = new List<string>();
        var section = SalesforceDemoOptions.SectionName;
        foreach (var (key, value) in new[]
        {
            (nameof(options.ClientId), options.ClientId), (nameof(options.ClientSecret), options.ClientSecret),
            (nameof(options.Username), options.Username), (nameof(options.Password), options.Password),
        })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                failures.Add($"{section}:{key} must not be empty.");
            }
        }

        if (options.DailyApiLimit <= 0)
        {
            failures.Add($"{section}:{nameof(options.DailyApiLimit)} must be positive.");
        }

        foreach (var (obj, size) in options.ObjectSizes)
        {
            if (size is < 0 or > 100_000_000)
            {
                failures.Add($"{section}:{nameof(options.ObjectSizes)}:{obj} must be between 0 and 100,000,000.");
            }
        }

        if (options.ObjectSizes.GetValueOrDefault("User") < 1)
        {
            failures.Add($"{section}:{nameof(options.ObjectSizes)}:User must be at least 1; the demo user is User record 0.");
        }

        if (options.JwtPublicKeyPem is { Length: > 0 } pem && !pem.Contains("CERTIFICATE", StringComparison.Ordinal))
        {
            try
            {
                using var rsa = RSA.Create();
                rsa.ImportFromPem(pem);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                failures.Add($"{section}:{nameof(options.JwtPublicKeyPem)} is not a PEM RSA public key or certificate: {e.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
