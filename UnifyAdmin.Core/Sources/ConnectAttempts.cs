using System.Collections.Concurrent;
using System.Security.Cryptography;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Core.Sources;

/// <summary>
/// One OAuth round trip in progress: the draft the admin typed (secrets included), the PKCE verifier, and,
/// once Salesforce answers, the token and who it belongs to. Kept in memory only, so an abandoned wizard
/// leaves nothing half-saved in the database.
/// </summary>
public sealed class ConnectAttempt
{
    public Guid Id { get; } = Guid.NewGuid();

    /// <summary>The OAuth <c>state</c>: random, single-use, bound to <see cref="UserId"/>.</summary>
    public string State { get; } = Base64UrlState();

    public required string UserId { get; init; }

    /// <summary>Set when reconnecting an existing source.</summary>
    public Guid? SourceId { get; init; }

    public required SourceConnectionInput Draft { get; init; }

    public required Uri LoginHost { get; init; }

    public string? CodeVerifier { get; set; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public SalesforceToken? Token { get; set; }

    public SalesforceIdentity? Identity { get; set; }

    public ApiUsage? Usage { get; set; }

    /// <summary>What went wrong, in words an admin can act on.</summary>
    public string? Error { get; set; }

    public bool StateUsed { get; set; }

    /// <summary>The Selective Sync picked so far, kept here so reloading the wizard's step restores it.</summary>
    public SelectiveSyncInput? Selection { get; set; }

    /// <summary>With <see cref="Selection"/>: whether the admin chose all time (a "since" date may still be missing).</summary>
    public bool SelectionAllTime { get; set; } = true;

    public bool IsConnected => Token is not null && Error is null;

    private static string Base64UrlState() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public override string ToString() => $"ConnectAttempt {{ Id = {Id}, SourceId = {SourceId}, Connected = {IsConnected} }}";
}

/// <summary>The connect attempts of this process, found by id (the wizard) or by state (the OAuth callback).</summary>
public sealed class ConnectAttemptStore(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<Guid, ConnectAttempt> byId = new();

    public ConnectAttempt Add(ConnectAttempt attempt)
    {
        Sweep();
        byId[attempt.Id] = attempt;
        return attempt;
    }

    /// <summary>The attempt, if it exists, has not expired and belongs to <paramref name="userId"/>.</summary>
    public ConnectAttempt? Find(Guid id, string userId)
        => byId.TryGetValue(id, out var a) && a.UserId == userId && a.ExpiresAt > clock.GetUtcNow() ? a : null;

    public ConnectAttempt? FindByState(string state)
        => byId.Values.FirstOrDefault(a => CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(a.State), System.Text.Encoding.ASCII.GetBytes(state)));

    public void Remove(Guid id) => byId.TryRemove(id, out _);

    private void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, attempt) in byId)
        {
            if (attempt.ExpiresAt <= now)
            {
                byId.TryRemove(id, out _);
            }
        }
    }
}
