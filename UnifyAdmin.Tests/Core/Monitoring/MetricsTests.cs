using System.Net;
using UnifyAdmin.Core.Monitoring;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Monitoring;

public sealed class PrometheusAppHost : AppHost
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Metrics:Prometheus", "true")];
}

/// <summary>The sync metrics reach a Prometheus scrape when it is turned on, and nothing is exposed when it is not.</summary>
public sealed class MetricsTests(PrometheusAppHost host) : IClassFixture<PrometheusAppHost>
{
    [Fact]
    public async Task Sync_metrics_appear_on_the_scrape_endpoint()
    {
        await host.EnsureAdminAsync();
        var metrics = host.Services.GetRequiredService<SyncMetrics>();
        var source = Guid.NewGuid();
        var flow = Guid.NewGuid();
        metrics.RecordsSent(source, flow, 42);
        metrics.RecordsFailed(source, flow, 3);
        metrics.RunFinished(source, "Incremental", "Partial", TimeSpan.FromSeconds(12));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        string body = "";
        await Eventually.TrueAsync(async () =>
        {
            body = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
            return body.Contains("unifyadmin_sync_records_sent", StringComparison.Ordinal);
        }, "the sync counters in the scrape");
        Assert.True(body.Length > 0, body);

        Assert.Contains($"flow=\"{flow}\"", body);
        Assert.Contains("unifyadmin_sync_records_failed", body);
        Assert.Contains("unifyadmin_sync_run_duration", body);
    }
}

public sealed class MetricsOffTests(AppHost host) : IClassFixture<AppHost>
{
    [Fact]
    public async Task Without_the_setting_there_is_no_metrics_endpoint()
    {
        await host.EnsureAdminAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };

        var response = await http.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
