namespace UnifyAdmin;

/// <summary>Serves the demo Salesforce org and Segment workspace under <c>/sandbox</c> when <c>Sandbox:Enabled</c> is true.</summary>
public static class SandboxExtensions
{
    public const string EnabledKey = "Sandbox:Enabled";

    public static bool IsSandboxEnabled(this IConfiguration configuration) => configuration.GetValue<bool>(EnabledKey);

    public static IServiceCollection AddSandbox(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        if (!configuration.IsSandboxEnabled())
        {
            return services;
        }

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

        return app;
    }
}
