using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sandbox.Salesforce;
using UnifyAdmin.Core.Sandbox.Segment;

namespace UnifyAdmin;

/// <summary>Serves the demo Salesforce org and Segment workspace under <c>/sandbox</c> when <c>Sandbox:Enabled</c> is true.</summary>
public static class SandboxExtensions
{
    public const string EnabledKey = "Sandbox:Enabled";

    public static bool IsSandboxEnabled(this IConfiguration configuration) => configuration.GetValue<bool>(EnabledKey);

    public static IServiceCollection AddSandbox(this IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.IsSandboxEnabled())
        {
            return services;
        }

        services.AddSalesforceSandbox(configuration);
        services.AddSegmentSandbox(configuration);

        // The demo org's and workspace's changes live in the data folder, so they survive a restart.
        services.AddOptions<SalesforceSandboxOptions>().PostConfigure<DataDirectory>((o, data) => o.StatePath ??= data.File("sandbox-salesforce.json"));
        services.AddOptions<SegmentSandboxOptions>().PostConfigure<DataDirectory>((o, data) => o.StatePath ??= data.File("sandbox-segment.json"));
        return services;
    }

    public static WebApplication MapSandbox(this WebApplication app)
    {
        if (!app.Configuration.IsSandboxEnabled())
        {
            return app;
        }

        if (app.Environment.IsProduction())
        {
            app.Logger.LogWarning("Sandbox:Enabled is true in Production: the demo Salesforce org and Segment workspace are served under /sandbox. Turn it off for real deployments.");
        }

        app.MapSalesforceSandbox();
        app.MapSegmentSandbox();
        return app;
    }
}
