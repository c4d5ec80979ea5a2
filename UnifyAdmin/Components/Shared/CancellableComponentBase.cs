using Microsoft.AspNetCore.Components;

namespace UnifyAdmin.Components.Shared;

/// <summary>
/// A component whose service calls stop when it goes away: pass <see cref="Aborted"/> to every call,
/// so a closed tab or a navigation does not leave describes, queries or saves running on the server.
/// </summary>
public abstract class CancellableComponentBase : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource disposed = new();

    /// <summary>Cancelled when the component is disposed.</summary>
    protected CancellationToken Aborted => disposed.Token;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing && !disposed.IsCancellationRequested)
        {
            disposed.Cancel();
            disposed.Dispose();
        }
    }
}
