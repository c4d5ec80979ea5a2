using Microsoft.Extensions.Logging;
using UnifyAdmin.Demo.Segment;
using UnifyAdmin.Core.Segment;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Segment;

/// <summary>One demo Segment workspace on a loopback port, plus clients with short back-offs.</summary>
public class SegmentDemoFixture : IAsyncLifetime
{
    private ServiceProvider? clients;

    public LoopbackHost Host { get; private set; } = null!;

    public Uri TrackingBase => new(Host.Url("/demo/segment"));

    public Uri ProfilesBase => new(Host.Url("/demo/segment-profiles"));

    public SegmentProfileSpace Space => new(ProfilesBase, "spa_demo", "demo-access-token");

    public SegmentTrackingClient Tracking => clients!.GetRequiredService<SegmentTrackingClient>();

    public SegmentProfileClient Profiles => clients!.GetRequiredService<SegmentProfileClient>();

    public SegmentDemoControl Control => Host.Services.GetRequiredService<SegmentDemoControl>();

    public const int MaxAttempts = 3;

    protected virtual Dictionary<string, string?> DemoSettings() => new()
    {
        ["Demo:Segment:ControlApiEnabled"] = "true",
    };

    public async ValueTask InitializeAsync()
    {
        Host = await LoopbackHost.StartAsync(b => b.Services.AddSegmentDemo(b.Configuration), app => app.MapSegmentDemo(), DemoSettings());
        clients = CreateClients();
    }

    /// <summary>Clients with short back-offs; pass a fake <paramref name="clock"/> to move their waits and timeouts by hand.</summary>
    public static ServiceProvider CreateClients(Dictionary<string, string?>? extra = null, TimeProvider? clock = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Segment:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Segment:InitialBackoff"] = "00:00:00.010",
            ["Segment:MaxBackoff"] = "00:00:00.040",
            ["Segment:RequestTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        services.AddSegmentClients(configuration);
        return services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (clients is not null)
        {
            await clients.DisposeAsync();
        }

        await Host.DisposeAsync();
    }
}

/// <summary>Builds test messages with unique ids.</summary>
public static class TestMessages
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static IdentifyMessage Identify(string? userId, Dictionary<string, object?>? traits = null, string? anonymousId = null, DateTimeOffset? at = null, string? messageId = null, string? recordKey = null, SegmentContext? context = null)
        => new(messageId ?? Unique("msg"), userId, anonymousId, traits ?? new Dictionary<string, object?> { ["name"] = "Ada" }, at ?? DateTimeOffset.UtcNow, context, recordKey);

    public static Dictionary<string, object?> Traits(int count, string prefix = "trait")
    {
        var traits = new Dictionary<string, object?>();
        for (var i = 0; i < count; i++)
        {
            traits[$"{prefix}_{i:D3}"] = $"value {i}";
        }

        return traits;
    }
}
