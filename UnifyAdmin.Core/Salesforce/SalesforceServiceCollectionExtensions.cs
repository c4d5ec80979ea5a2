using System.Net;
using System.Security.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>How long a person may wait for a Salesforce call, which decides its HTTP policy.</summary>
public enum SalesforceCallKind
{
    /// <summary>Syncs and jobs: retries with backoff, a deadline per call, a circuit breaker per org.</summary>
    Background,

    /// <summary>The wizard and pages: an answer within <see cref="SalesforceOptions.InteractiveDeadline"/>, retries included.</summary>
    Interactive,
}

/// <summary>Registers the Salesforce client.</summary>
public static class SalesforceServiceCollectionExtensions
{
    /// <summary>Name of the HttpClient of background REST calls.</summary>
    public const string BackgroundClientName = "Salesforce.Api";

    /// <summary>Name of the HttpClient of REST calls a person waits for.</summary>
    public const string InteractiveClientName = "Salesforce.Interactive";

    /// <summary>
    /// Adds <see cref="SalesforceOAuthClient"/>, <see cref="ISalesforceClientFactory"/>, <see cref="ApiUsageMeter"/>,
    /// <see cref="SalesforceSessions"/>, <see cref="SalesforceMetrics"/> and the <c>Salesforce</c> options.
    /// REST calls retry 5xx, timeouts and network errors with exponential backoff, never 4xx and never a
    /// certificate error. OAuth calls are never retried: an authorization code or a rotated refresh token
    /// works once, so a retry after a lost answer would fail anyway and hide the first error. An in-memory
    /// <see cref="ISalesforceConnectionStore"/> is added only when none is registered yet.
    /// </summary>
    public static IServiceCollection AddSalesforceClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SalesforceOptions>().BindConfiguration(SalesforceOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceOptions>, SalesforceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<SalesforceMetrics>();
        services.TryAddSingleton<ApiUsageMeter>();
        services.TryAddSingleton<SalesforceSessions>();
        services.TryAddSingleton<ISalesforceConnectionStore, InMemorySalesforceConnectionStore>();
        services.TryAddSingleton<ISalesforceClientFactory, SalesforceClientFactory>();

        services.AddHttpClient<SalesforceOAuthClient>(SalesforceOAuthClient.HttpClientName, ConfigureHttpClient)
            .AddResilienceHandler("salesforce-oauth", ConfigureOAuth);
        // One pipeline per org host, so one org's outage opens only its own circuit.
        services.AddHttpClient(BackgroundClientName, ConfigureHttpClient)
            .AddResilienceHandler("salesforce-api", ConfigureBackground)
            .SelectPipelineByAuthority();
        services.AddHttpClient(InteractiveClientName, ConfigureHttpClient)
            .AddResilienceHandler("salesforce-interactive", ConfigureInteractive);
        return services;
    }

    private static void ConfigureHttpClient(HttpClient http)
    {
        // Deadlines live in the resilience pipelines; the client-wide timeout would cut retries short.
        http.Timeout = Timeout.InfiniteTimeSpan;
        http.DefaultRequestHeaders.UserAgent.ParseAdd("UnifyAdmin/1.0");
    }

    private static void ConfigureOAuth(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = Options(pipeline, context);
        // No retry: see AddSalesforceClient. One attempt, bounded like any call a person may be waiting for.
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = Min(options.Timeout, Max(options.InteractiveDeadline, TimeSpan.FromSeconds(30))) });
    }

    private static void ConfigureInteractive(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = Options(pipeline, context);
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.InteractiveDeadline });
        AddRetry(pipeline, context, options, maxDelay: TimeSpan.FromSeconds(2));
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = Min(options.Timeout, options.InteractiveDeadline) });
    }

    private static void ConfigureBackground(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = Options(pipeline, context);
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.CallDeadline });
        AddRetry(pipeline, context, options, maxDelay: TimeSpan.FromSeconds(30));
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 0.8,
            MinimumThroughput = 20,
            SamplingDuration = TimeSpan.FromMinutes(1),
            BreakDuration = options.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
        });
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.Timeout });
    }

    private static SalesforceOptions Options(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        // Backoff waits and timeouts follow the app's clock, so tests can move time instead of sleeping.
        pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
        return context.ServiceProvider.GetRequiredService<IOptions<SalesforceOptions>>().Value;
    }

    private static void AddRetry(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context, SalesforceOptions options, TimeSpan maxDelay)
    {
        if (options.RetryCount <= 0)
        {
            return;
        }

        var metrics = context.ServiceProvider.GetRequiredService<SalesforceMetrics>();
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = options.RetryCount,
            Delay = options.RetryBaseDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            MaxDelay = maxDelay,
            ShouldRetryAfterHeader = false,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            OnRetry = _ =>
            {
                metrics.Retry();
                return ValueTask.CompletedTask;
            },
        });
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>5xx, timeouts and network errors; never a 4xx, which would only fail again, nor an untrusted certificate.</summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException e } => !IsCertificateError(e),
        { Exception: TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 && response.StatusCode != HttpStatusCode.NotImplemented,
        _ => false,
    };

    /// <summary>True when the TLS handshake failed, e.g. because the server's certificate is not trusted.</summary>
    internal static bool IsCertificateError(HttpRequestException e)
        => e.HttpRequestError == HttpRequestError.SecureConnectionError || e.InnerException is AuthenticationException;
}
