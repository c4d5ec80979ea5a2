using System.Diagnostics.Metrics;

namespace UnifyAdmin.Core.Segment;

/// <summary>
/// Counters of the Segment clients on the meter <c>UnifyAdmin.Segment</c>: HTTP attempts (by status or error),
/// retries, 429 answers, and request bytes sent.
/// </summary>
public sealed class SegmentMetrics
{
    /// <summary>The meter name to listen to (OpenTelemetry, dotnet-counters).</summary>
    public const string MeterName = "UnifyAdmin.Segment";

    private readonly Counter<long> calls;
    private readonly Counter<long> retries;
    private readonly Counter<long> rateLimited;
    private readonly Counter<long> bytes;

    public SegmentMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        calls = meter.CreateCounter<long>("unifyadmin.segment.calls", "{call}", "HTTP attempts, by status or error.");
        retries = meter.CreateCounter<long>("unifyadmin.segment.retries", "{retry}", "Attempts sent again after 408, 429, 5xx or a network error.");
        rateLimited = meter.CreateCounter<long>("unifyadmin.segment.rate_limited", "{call}", "Answers 429 Too Many Requests.");
        bytes = meter.CreateCounter<long>("unifyadmin.segment.bytes_sent", "By", "Request body bytes sent to the Tracking API.");
    }

    internal void Call(int status)
    {
        calls.Add(1, new KeyValuePair<string, object?>("http.response.status_code", status));
        if (status == 429)
        {
            rateLimited.Add(1);
        }
    }

    internal void CallFailed(string error) => calls.Add(1, new KeyValuePair<string, object?>("error.type", error));

    internal void Retry() => retries.Add(1);

    internal void BytesSent(long count) => bytes.Add(count);
}
