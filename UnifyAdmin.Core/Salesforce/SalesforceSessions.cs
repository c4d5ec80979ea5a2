using System.Collections.Concurrent;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>
/// The live session of each saved source, shared by every client instance in the process: one refresh at a
/// time per source, and the newest access and refresh tokens for clients created before that refresh. Without
/// it, two syncs of one source whose session expired would both refresh, and with rotating refresh tokens the
/// second would present a refresh token the first had already used up.
/// </summary>
public sealed class SalesforceSessions
{
    private readonly ConcurrentDictionary<Guid, Session> sessions = new();

    /// <summary>The shared session of a saved source; a source not saved yet (<see cref="Guid.Empty"/>) gets one of its own.</summary>
    internal Session For(SalesforceConnection connection)
        => connection.SourceId == Guid.Empty
            ? new Session(connection)
            : sessions.GetOrAdd(connection.SourceId, _ => new Session(connection));

    /// <summary>Forgets a source's session, e.g. after it was reconnected with new tokens or deleted.</summary>
    public void Forget(Guid sourceId) => sessions.TryRemove(sourceId, out _);

    /// <summary>One source's tokens and the lock that serialises their renewal.</summary>
    internal sealed class Session(SalesforceConnection connection)
    {
        public SemaphoreSlim RefreshLock { get; } = new(1, 1);

        public volatile string AccessToken = connection.AccessToken;

        public volatile Uri InstanceUrl = connection.InstanceUrl;

        public volatile string? RefreshToken = connection.RefreshToken;
    }
}
