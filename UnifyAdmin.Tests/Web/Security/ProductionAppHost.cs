using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Web.Security;

/// <summary>
/// The app as deployed: Production, behind a TLS-terminating proxy on loopback, with a public https address
/// and a key-encryption certificate. <c>/test/throw</c> fails on purpose, to see what a server error shows.
/// </summary>
public class ProductionAppHost : AppHost
{
    public const string PublicBaseUrl = "https://unify.example.test/";
    public const string ThrowPath = "/test/throw";

    public ProductionAppHost()
    {
        Certificate = TestCertificate.Create(Path.Combine(DataDirectory, "..", Path.GetFileName(DataDirectory) + "-secrets"));
    }

    public TestCertificate Certificate { get; }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("PublicBaseUrl", PublicBaseUrl),
        new("ForwardedHeaders:KnownProxies:0", "127.0.0.1"),
        new("DataProtection:Certificate:Path", Certificate.PfxPath),
        new("DataProtection:Certificate:PasswordFile", Certificate.PasswordFile),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ThrowingEndpoint>());
    }

    /// <summary>Runs after the app's own pipeline, so its exception handler sees the failure.</summary>
    private sealed class ThrowingEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map(ThrowPath, branch => branch.Run(_ => throw new InvalidOperationException("Deliberate failure for a test at SomeSecretPlace.Method()")));
        };
    }
}
