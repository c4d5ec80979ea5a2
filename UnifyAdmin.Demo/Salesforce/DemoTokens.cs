using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace UnifyAdmin.Demo.Salesforce;

/// <summary>What a valid access or refresh token stands for.</summary>
internal sealed record DemoToken(char Kind, long Generation, long IssuedAtMs, string Nonce, string? ParentNonce, string Scope);

/// <summary>
/// Issues and checks tokens. Tokens are MAC-signed rather than stored, so a developer's saved
/// refresh token keeps working across restarts; expiry works by generation, revocation by nonce.
/// </summary>
internal sealed class DemoTokens(byte[] key, string orgId)
{
    private readonly ConcurrentDictionary<string, byte> revoked = new(StringComparer.Ordinal);

    public long AccessGeneration { get; set; }

    public long RefreshGeneration { get; set; }

    public IEnumerable<string> Revoked => revoked.Keys;

    public void Revoke(string nonce) => revoked[nonce] = 0;

    public static byte[] DeriveKey(int seed, string clientSecret) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"unifyadmin-demo-token|{seed}|{clientSecret}"));

    public string IssueAccess(long issuedAtMs, string scope, string? parentNonce) =>
        orgId[..15] + "!" + Encode(new DemoToken('a', AccessGeneration, issuedAtMs, NewNonce(), parentNonce, scope));

    public (string Token, string Nonce) IssueRefresh(long issuedAtMs, string scope)
    {
        var nonce = NewNonce();
        return ("5Aep" + Encode(new DemoToken('r', RefreshGeneration, issuedAtMs, nonce, null, scope)), nonce);
    }

    /// <summary>Null when the token is malformed, forged, expired or revoked.</summary>
    public DemoToken? ValidateAccess(string? token)
    {
        var bang = token?.IndexOf('!', StringComparison.Ordinal) ?? -1;
        if (bang < 0 || Decode(token![(bang + 1)..]) is not { Kind: 'a' } parsed)
        {
            return null;
        }

        return parsed.Generation == AccessGeneration && !revoked.ContainsKey(parsed.Nonce)
            && (parsed.ParentNonce is null || !revoked.ContainsKey(parsed.ParentNonce))
            ? parsed
            : null;
    }

    public DemoToken? ParseRefresh(string? token, out bool expired)
    {
        expired = false;
        if (token is null || !token.StartsWith("5Aep", StringComparison.Ordinal) || Decode(token[4..]) is not { Kind: 'r' } parsed)
        {
            return null;
        }

        expired = parsed.Generation != RefreshGeneration || revoked.ContainsKey(parsed.Nonce);
        return parsed;
    }

    /// <summary>Any token this org issued, valid or not; used by revoke.</summary>
    public DemoToken? ParseAny(string? token)
    {
        if (token is null)
        {
            return null;
        }

        if (token.StartsWith("5Aep", StringComparison.Ordinal))
        {
            return Decode(token[4..]);
        }

        var bang = token.IndexOf('!', StringComparison.Ordinal);
        return bang < 0 ? null : Decode(token[(bang + 1)..]);
    }

    private static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    private string Encode(DemoToken token)
    {
        var payload = Encoding.UTF8.GetBytes(
            $"{token.Kind}|{token.Generation}|{token.IssuedAtMs}|{token.Nonce}|{token.ParentNonce ?? "-"}|{token.Scope}");
        var mac = HMACSHA256.HashData(key, payload).AsSpan(0, 18).ToArray();
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(mac);
    }

    private DemoToken? Decode(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return null;
        }

        byte[] payload;
        byte[] mac;
        try
        {
            payload = Base64Url.DecodeFromChars(text.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(text.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return null;
        }

        var expected = HMACSHA256.HashData(key, payload).AsSpan(0, 18);
        if (!CryptographicOperations.FixedTimeEquals(expected, mac))
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(payload).Split('|', 6);
        if (parts.Length != 6 || parts[0].Length != 1 || !long.TryParse(parts[1], out var generation) || !long.TryParse(parts[2], out var issued))
        {
            return null;
        }

        return new DemoToken(parts[0][0], generation, issued, parts[3], parts[4] == "-" ? null : parts[4], parts[5]);
    }
}
