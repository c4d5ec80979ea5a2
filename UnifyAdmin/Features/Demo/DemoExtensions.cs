using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Security;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Demo.Segment;

namespace UnifyAdmin.Features.Demo;

/// <summary>Serves the demo Salesforce org and Segment workspace under <c>/demo</c> when <c>Demo:Enabled</c> is true.</summary>
public static class DemoExtensions
{
    public const string EnabledKey = "Demo:Enabled";

    public static bool IsDemoEnabled(this IConfiguration configuration) => configuration.GetValue<bool>(EnabledKey);

    public static IServiceCollection AddDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTransient(typeof(Optional<>));
        if (!configuration.IsDemoEnabled())
        {
            return services;
        }

        services.AddSingleton<DemoOffer>();
        services.AddSingleton<IDemoOffer>(sp => sp.GetRequiredService<DemoOffer>());
        services.AddSingleton<IAppHostedOrg>(sp => sp.GetRequiredService<DemoOffer>());
        services.AddSalesforceDemo(configuration);
        services.AddSegmentDemo(configuration);

        // The demo org's and workspace's changes live in the data folder, so they survive a restart.
        services.AddOptions<SalesforceDemoOptions>().PostConfigure<DataDirectory>((o, data) => o.StatePath ??= data.File("demo-salesforce.json"));
        services.AddOptions<SegmentDemoOptions>().PostConfigure<DataDirectory>((o, data) => o.StatePath ??= data.File("demo-segment.json"));

        // The demo org registers the app's own callback; behind a proxy that is the public address's callback too.
        services.AddOptions<SalesforceDemoOptions>().PostConfigure<PublicUrlOptions>((o, publicUrl) =>
        {
            if (o.CallbackUrls.Count == 0 && publicUrl.PublicBaseUrl is { } publicBase)
            {
                o.CallbackUrls.Add(SalesforceDemoOptions.DefaultCallbackPath);
                o.CallbackUrls.Add(SourceConnector.CallbackUri(publicBase).ToString());
            }
        });
        return services;
    }

    public static WebApplication MapDemo(this WebApplication app)
    {
        if (!app.Configuration.IsDemoEnabled())
        {
            return app;
        }

        if (app.Environment.IsProduction())
        {
            app.Logger.LogWarning("Demo:Enabled is true in Production: the demo Salesforce org and Segment workspace are served under /demo. Turn it off for real deployments.");
        }

        app.MapSalesforceDemo();
        app.MapSegmentDemo();
        return app;
    }
}
