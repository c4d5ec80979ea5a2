using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Core.Segment;

/// <summary>Registers the Segment Tracking and Profile API clients.</summary>
public static class SegmentServiceCollectionExtensions
{
    public static IServiceCollection AddSegmentClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SegmentOptions>()
            .Bind(configuration.GetSection(SegmentOptions.SectionName))
            .Validate(o => o.MaxBatchBytes > SegmentBatcher.MaxMessageBytes + 64 && o.MaxBatchBytes < SegmentBatcher.MaxRequestBytes,
                $"{SegmentOptions.SectionName}:MaxBatchBytes must be between 32 KB and 500 KB.")
            .Validate(o => o.MaxMessagesPerBatch is >= 1 and <= SegmentBatcher.MaxMessagesLimit,
                $"{SegmentOptions.SectionName}:MaxMessagesPerBatch must be between 1 and 2500.")
            .Validate(o => o.MaxAttempts >= 1, $"{SegmentOptions.SectionName}:MaxAttempts must be at least 1.")
            .Validate(o => o.ProfileApiMaxAttempts >= 1, $"{SegmentOptions.SectionName}:ProfileApiMaxAttempts must be at least 1.")
            .Validate(o => o.InitialBackoff >= TimeSpan.Zero && o.MaxBackoff >= o.InitialBackoff,
                $"{SegmentOptions.SectionName}:InitialBackoff must be positive and not above MaxBackoff.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<SegmentMetrics>();

        // The clients own timeouts and retries (Retry-After must be honoured exactly), so the
        // HttpClient's own timeout is off rather than a second, competing limit.
        services.AddHttpClient<SegmentTrackingClient>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHttpClient<SegmentProfileClient>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        return services;
    }
}
