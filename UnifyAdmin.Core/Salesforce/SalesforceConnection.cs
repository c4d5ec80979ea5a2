namespace UnifyAdmin.Core.Salesforce;

/// <summary>
/// Everything the client needs to talk to one source's org. When <see cref="RefreshToken"/> is absent,
/// a "refresh" is a new JWT-bearer grant when <see cref="JwtUsername"/> and <see cref="JwtPrivateKeyPem"/>
/// are set, and otherwise a new client-credentials grant.
/// </summary>
public sealed record SalesforceConnection(
    Guid SourceId,
    Uri LoginHost,
    Uri InstanceUrl,
    string ClientId,
    string? ClientSecret,
    string AccessToken,
    string? RefreshToken = null,
    string? ApiVersion = null,
    string? JwtUsername = null,
    string? JwtPrivateKeyPem = null)
{
    /// <summary>Keeps secrets out of logs and exception messages.</summary>
    public override string ToString() => $"SalesforceConnection {{ SourceId = {SourceId}, LoginHost = {LoginHost}, InstanceUrl = {InstanceUrl} }}";
}

/// <summary>Where the app persists what the client learns about a source: new tokens, reconnect needs, API usage.</summary>
public interface ISalesforceConnectionStore
{
    /// <summary>
    /// Saves a renewed session: the new access token, the instance URL that came with it, and the new refresh
    /// token when the org rotates them (null when it kept the old one, which is then still valid).
    /// </summary>
    Task SaveTokensAsync(Guid sourceId, string accessToken, string? rotatedRefreshToken, Uri instanceUrl, CancellationToken ct);

    /// <summary>Marks the source as needing an admin to connect it again.</summary>
    Task MarkNeedsReconnectAsync(Guid sourceId, string reason, CancellationToken ct);

    /// <summary>Records the org's API usage reported with a response.</summary>
    Task RecordApiUsageAsync(Guid sourceId, ApiUsage usage, CancellationToken ct);
}

/// <summary>An <see cref="ISalesforceConnectionStore"/> that keeps everything in memory, for tests and the demo.</summary>
public sealed class InMemorySalesforceConnectionStore : ISalesforceConnectionStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, SourceState> states = new();

    /// <summary>What the store knows about one source.</summary>
    public sealed record SourceState(
        string? AccessToken, Uri? InstanceUrl, string? NeedsReconnectReason, ApiUsage? ApiUsage, int TokenSaves,
        string? RefreshToken = null, int UsageSaves = 0);

    /// <summary>The state of a source, or an empty one.</summary>
    public SourceState Get(Guid sourceId) => states.TryGetValue(sourceId, out var s) ? s : new SourceState(null, null, null, null, 0);

    public Task SaveTokensAsync(Guid sourceId, string accessToken, string? rotatedRefreshToken, Uri instanceUrl, CancellationToken ct)
    {
        states.AddOrUpdate(
            sourceId,
            _ => new SourceState(accessToken, instanceUrl, null, null, 1, rotatedRefreshToken),
            (_, s) => s with
            {
                AccessToken = accessToken,
                InstanceUrl = instanceUrl,
                TokenSaves = s.TokenSaves + 1,
                RefreshToken = rotatedRefreshToken ?? s.RefreshToken,
            });
        return Task.CompletedTask;
    }

    public Task MarkNeedsReconnectAsync(Guid sourceId, string reason, CancellationToken ct)
    {
        states.AddOrUpdate(sourceId, _ => new SourceState(null, null, reason, null, 0), (_, s) => s with { NeedsReconnectReason = reason });
        return Task.CompletedTask;
    }

    public Task RecordApiUsageAsync(Guid sourceId, ApiUsage usage, CancellationToken ct)
    {
        states.AddOrUpdate(
            sourceId,
            _ => new SourceState(null, null, null, usage, 0, UsageSaves: 1),
            (_, s) => s with { ApiUsage = usage, UsageSaves = s.UsageSaves + 1 });
        return Task.CompletedTask;
    }
}
