using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace UnifyAdmin.Core.Monitoring;

/// <summary>
/// The sync engine's OpenTelemetry instruments (meter <c>UnifyAdmin.Sync</c>). The engine calls these;
/// every measurement is tagged with its flow (mapping) and source.
/// </summary>
public sealed class SyncMetrics
{
    public const string MeterName = "UnifyAdmin.Sync";

    /// <summary>Meters other parts of the app publish (the Salesforce and Segment clients).</summary>
    public static readonly string[] AllMeters = [MeterName, "UnifyAdmin.Salesforce", "UnifyAdmin.Segment"];

    private readonly Counter<long> read;
    private readonly Counter<long> sent;
    private readonly Counter<long> failed;
    private readonly Counter<long> deleted;
    private readonly Histogram<double> duration;
    private readonly Counter<long> runs;

    public SyncMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        read = meter.CreateCounter<long>("unifyadmin.sync.records.read", "{record}", "Records read from Salesforce");
        sent = meter.CreateCounter<long>("unifyadmin.sync.records.sent", "{record}", "Records accepted by Segment");
        failed = meter.CreateCounter<long>("unifyadmin.sync.records.failed", "{record}", "Records that could not be sent");
        deleted = meter.CreateCounter<long>("unifyadmin.sync.records.deleted", "{record}", "Deleted records seen");
        duration = meter.CreateHistogram<double>("unifyadmin.sync.run.duration", "s", "Duration of sync runs");
        runs = meter.CreateCounter<long>("unifyadmin.sync.runs", "{run}", "Sync runs by final state");
    }

    public void RecordsRead(Guid sourceId, Guid mappingId, long count) => read.Add(count, Tags(sourceId, mappingId));

    public void RecordsSent(Guid sourceId, Guid mappingId, long count) => sent.Add(count, Tags(sourceId, mappingId));

    public void RecordsFailed(Guid sourceId, Guid mappingId, long count) => failed.Add(count, Tags(sourceId, mappingId));

    public void RecordsDeleted(Guid sourceId, Guid mappingId, long count) => deleted.Add(count, Tags(sourceId, mappingId));

    /// <summary>Call once when a run ends: its duration and final state.</summary>
    public void RunFinished(Guid sourceId, string kind, string state, TimeSpan elapsed)
    {
        var tags = new TagList { { "source", sourceId.ToString() }, { "kind", kind }, { "state", state } };
        duration.Record(elapsed.TotalSeconds, tags);
        runs.Add(1, tags);
    }

    private static TagList Tags(Guid sourceId, Guid mappingId)
        => new() { { "source", sourceId.ToString() }, { "flow", mappingId.ToString() } };
}
