namespace UnifyAdmin.Demo.Segment;

/// <summary>
/// In-process control of the demo workspace for tests and the demo: inspect received
/// messages, inject faults, reset. The same operations are served over HTTP under
/// <c>/demo/segment/_control</c> when the control API is enabled outside Production.
/// </summary>
public sealed class SegmentDemoControl(SegmentDemoWorkspace workspace)
{
    public IReadOnlyList<SegmentDemoMessage> Messages(string? spaceId = null, int limit = 1000) => workspace.Messages(spaceId, limit);

    public void InjectFaults(SegmentDemoFault fault) => workspace.InjectFaults(fault);

    /// <summary>Requests received by "tracking" or "profiles" since the last reset.</summary>
    public int Requests(string target = "tracking") => workspace.Requests(target);

    /// <summary>Injected faults that "tracking" or "profiles" answered since the last reset.</summary>
    public int FaultsServed(string target = "tracking") => workspace.FaultsServed(target);

    public void Reset() => workspace.Reset();

    public IReadOnlyList<SegmentDemoSpaceSummary> Spaces() => workspace.Summaries();

    /// <summary>Saves the profile store now, when a state path is configured.</summary>
    public void Save()
    {
        if (workspace.Options.StatePath is { } path)
        {
            workspace.Save(path);
        }
    }
}
