using System.Diagnostics.Metrics;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>
/// Counters of the Salesforce client on the meter <c>UnifyAdmin.Salesforce</c>: calls (by outcome), retries,
/// refusals for the API limit, and response bytes read.
/// </summary>
public sealed class SalesforceMetrics
{
    /// <summary>The meter name to listen to (OpenTelemetry, dotnet-counters).</summary>
    public const string MeterName = "UnifyAdmin.Salesforce";

    private readonly Counter<long> calls;
    private readonly Counter<long> retries;
    private readonly Counter<long> limitRefusals;
    private readonly Counter<long> bytes;

    public SalesforceMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        calls = meter.CreateCounter<long>("unifyadmin.salesforce.calls", "{call}", "REST calls answered, by HTTP status class or error.");
        retries = meter.CreateCounter<long>("unifyadmin.salesforce.retries", "{retry}", "Calls sent again after a transient failure.");
        limitRefusals = meter.CreateCounter<long>("unifyadmin.salesforce.limit_refusals", "{call}", "Calls refused for the org's API limit (REQUEST_LIMIT_EXCEEDED, or 429).");
        bytes = meter.CreateCounter<long>("unifyadmin.salesforce.bytes_received", "By", "Response body bytes read.");
    }

    internal void Call(int status) => calls.Add(1, new KeyValuePair<string, object?>("http.response.status_code", status));

    internal void CallFailed(string error) => calls.Add(1, new KeyValuePair<string, object?>("error.type", error));

    internal void Retry() => retries.Add(1);

    internal void LimitRefused() => limitRefusals.Add(1);

    internal void BytesReceived(long count) => bytes.Add(count);
}
