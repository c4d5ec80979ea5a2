using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace UnifyAdmin.Demo.Segment;

/// <summary>
/// Saves the demo profile store to <c>StatePath</c> when it changed, every <c>SaveInterval</c>
/// and at shutdown, so demo profiles survive a restart. The workspace loads the file when created.
/// </summary>
internal sealed class SegmentDemoPersistence(SegmentDemoWorkspace workspace, TimeProvider time, ILogger<SegmentDemoPersistence> logger)
    : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        SaveIfDirty();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (workspace.Options.StatePath is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(workspace.Options.SaveInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                SaveIfDirty();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown: StopAsync saves one last time.
        }
    }

    private void SaveIfDirty()
    {
        if (workspace.Options.StatePath is not { } path || !workspace.AnyDirty())
        {
            return;
        }

        try
        {
            workspace.Save(path);
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not save the Segment demo state to {Path}", path);
        }
    }
}
