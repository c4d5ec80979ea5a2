using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace UnifyAdmin.Demo.Salesforce;

/// <summary>What the authorize request asked for, carried from sign-in to consent to the code.</summary>
internal sealed record DemoAuthorizeRequest(
    string ClientId, string RedirectUri, string Scope, string? State, string? CodeChallenge);

internal sealed record DemoPendingCode(DemoAuthorizeRequest Request, DateTime ExpiresUtc);

/// <summary>Short-lived interactive state of the web-server flow: signed-in sessions awaiting consent, and issued codes.</summary>
internal sealed class DemoAuthorizationStore(TimeProvider time)
{
    /// <summary>Salesforce authorization codes are valid for 15 minutes.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan ConsentLifetime = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, DemoPendingCode> consents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DemoPendingCode> codes = new(StringComparer.Ordinal);

    public string BeginConsent(DemoAuthorizeRequest request)
    {
        Sweep();
        var id = NewSecret();
        consents[id] = new DemoPendingCode(request, Now + ConsentLifetime);
        return id;
    }

    public DemoAuthorizeRequest? EndConsent(string? id) =>
        id is not null && consents.TryRemove(id, out var pending) && pending.ExpiresUtc > Now ? pending.Request : null;

    public string IssueCode(DemoAuthorizeRequest request)
    {
        var code = "aPrx" + NewSecret();
        codes[code] = new DemoPendingCode(request, Now + CodeLifetime);
        return code;
    }

    /// <summary>Takes a code out, so a replayed code finds nothing.</summary>
    public DemoPendingCode? RedeemCode(string? code) => code is not null && codes.TryRemove(code, out var pending) ? pending : null;

    public bool IsExpired(DemoPendingCode pending) => pending.ExpiresUtc <= Now;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static string NewSecret() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));

    private void Sweep()
    {
        foreach (var (key, value) in consents)
        {
            if (value.ExpiresUtc <= Now)
            {
                consents.TryRemove(key, out _);
            }
        }

        foreach (var (key, value) in codes)
        {
            if (value.ExpiresUtc <= Now)
            {
                codes.TryRemove(key, out _);
            }
        }
    }
}
