using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Monitoring;

/// <summary>Registers the monitoring: audit log, flow states, run details, alerts and webhooks, discrepancy checks, metrics.</summary>
public static class MonitoringExtensions
{
    /// <summary>Turns on the Prometheus scrape endpoint <c>/metrics</c>.</summary>
    public const string PrometheusKey = "Metrics:Prometheus";

    /// <summary>An OTLP collector's address; metrics and traces are exported there when set.</summary>
    public const string OtlpEndpointKey = "OpenTelemetry:Endpoint";

    public static IServiceCollection AddMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MonitoringOptions>, MonitoringOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        // Every context the factories create records configuration changes, whoever's service saves them.
        services.AddSingleton<AuditInterceptor>();
        services.ConfigureDbContext<SqliteAppDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<AuditInterceptor>()));
        services.ConfigureDbContext<SqlServerAppDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<AuditInterceptor>()));

        services.AddSingleton<FlowStatusReader>();
        services.AddSingleton<DashboardCharts>();
        services.AddSingleton<RunDetailQueries>();
        services.AddSingleton<AuditLogQueries>();
        services.AddSingleton<RecordingRetryRequester>();
        // The sync engine, when registered, replaces this with a requester that also starts the run.
        services.TryAddSingleton<IRetryRequester>(sp => sp.GetRequiredService<RecordingRetryRequester>());
        services.AddSingleton<RetryRequests>();
        services.AddSingleton<NotificationService>();
        services.AddSingleton<AlertRuleService>();
        services.AddSingleton<WebhookQueue>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookService>();
        // A webhook URL is a credential: no request logging, which would write it out.
        services.AddHttpClient(WebhookSender.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.AddSingleton<IFlowStateEvaluator, AlertEvaluator>();
        services.AddHostedService<WebhookDispatcher>();
        services.AddHostedService<AlertEvaluationService>();
        services.AddScoped<RecordTraceService>();
        services.AddScoped<DiscrepancyChecker>();
        services.AddHostedService<DiscrepancySchedule>();

        services.AddSingleton<SyncMetrics>();
        AddTelemetry(services, configuration);
        return services;
    }

    private static void AddTelemetry(IServiceCollection services, IConfiguration configuration)
    {
        var prometheus = configuration.GetValue<bool>(PrometheusKey);
        var endpoint = configuration[OtlpEndpointKey];
        var otlp = !string.IsNullOrWhiteSpace(endpoint);
        if (!prometheus && !otlp)
        {
            return;
        }

        if (otlp && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            throw new OptionsValidationException(OtlpEndpointKey, typeof(MonitoringOptions), [$"{OtlpEndpointKey} must be an absolute URL, e.g. http://otel-collector:4317."]);
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("UnifyAdmin"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(SyncMetrics.AllMeters).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint!));
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = new Uri(endpoint!)));
        }
    }
}
