using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>Registers the Salesforce client.</summary>
public static class SalesforceServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SalesforceOAuthClient"/>, <see cref="ISalesforceClientFactory"/>, <see cref="ApiUsageMeter"/>
    /// and the <c>Salesforce</c> options. Both HttpClients retry 5xx, timeouts and network errors with
    /// exponential backoff, never 4xx. An in-memory <see cref="ISalesforceConnectionStore"/> is added only
    /// when none is registered yet: register the app's own store before or instead.
    /// </summary>
    public static IServiceCollection AddSalesforceClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SalesforceOptions>().BindConfiguration(SalesforceOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceOptions>, SalesforceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApiUsageMeter>();
        services.TryAddSingleton<ISalesforceConnectionStore, InMemorySalesforceConnectionStore>();
        services.TryAddSingleton<ISalesforceClientFactory, SalesforceClientFactory>();

        services.AddHttpClient<SalesforceOAuthClient>(SalesforceOAuthClient.HttpClientName, ConfigureHttpClient)
            .AddResilienceHandler("salesforce-oauth", ConfigureResilience);
        services.AddHttpClient(SalesforceClientFactory.HttpClientName, ConfigureHttpClient)
            .AddResilienceHandler("salesforce-api", ConfigureResilience);
        return services;
    }

    private static void ConfigureHttpClient(HttpClient http)
    {
        // Each attempt has its own timeout in the resilience pipeline; the client-wide one would cut retries short.
        http.Timeout = Timeout.InfiniteTimeSpan;
        http.DefaultRequestHeaders.UserAgent.ParseAdd("UnifyAdmin/1.0");
    }

    private static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<SalesforceOptions>>().Value;
        if (options.RetryCount > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.RetryCount,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            });
        }

        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.Timeout });
    }

    /// <summary>5xx, timeouts and network errors; never a 4xx, which would only fail again.</summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        { Exception: TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 && response.StatusCode != HttpStatusCode.NotImplemented,
        _ => false,
    };
}
