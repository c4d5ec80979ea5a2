using System.Security.Cryptography;
using System.Text;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>PKCE (RFC 7636) verifier and S256 challenge.</summary>
public static class Pkce
{
    /// <summary>A new random verifier: 32 random bytes, base64url (43 characters).</summary>
    public static string CreateVerifier() => Base64Url.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>The S256 challenge of a verifier: base64url(SHA-256(verifier)).</summary>
    public static string Challenge(string verifier) => Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}

internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
