using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Demo.Segment;

namespace UnifyAdmin.Tests.Infrastructure;

/// <summary>
/// A small Kestrel host on a free 127.0.0.1 port, for testing Core clients against the demo
/// services over real loopback HTTP without starting the whole admin application.
/// Linked into the benchmarks project too (the crash run hosts its demo org and workspace with it).
/// </summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackHost(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Base address without a trailing slash, e.g. <c>http://127.0.0.1:53111</c>.</summary>
    public Uri BaseAddress { get; }

    public string Url(string relative) => BaseAddress.ToString().TrimEnd('/') + "/" + relative.TrimStart('/');

    public IServiceProvider Services => app.Services;

    public static async Task<LoopbackHost> StartAsync(
        Action<WebApplicationBuilder> configure,
        Action<WebApplication> map,
        Dictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        configure(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackHost(app, new Uri(address));
    }

    /// <summary>
    /// The demo Salesforce org and Segment workspace together on the system clock: what the app, run as
    /// a child process, syncs between. Hosted here, they outlive every crash of the app.
    /// </summary>
    public static Task<LoopbackHost> StartDemoAsync(Dictionary<string, string?> settings)
        => StartAsync(
            b =>
            {
                b.Services.TryAddSingleton(TimeProvider.System);
                b.Services.AddSalesforceDemo(b.Configuration);
                b.Services.AddSegmentDemo(b.Configuration);
            },
            app =>
            {
                app.MapSalesforceDemo();
                app.MapSegmentDemo();
            },
            settings);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
