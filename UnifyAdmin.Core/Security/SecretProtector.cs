using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace UnifyAdmin.Core.Security;

/// <summary>
/// Encrypts secrets (client secrets, refresh tokens, write keys, access tokens) for storage,
/// with Data Protection keys kept in the database so every replica and restart can read them.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("UnifyAdmin.Secrets.v1");

    public string? Protect(string? plaintext)
        => string.IsNullOrEmpty(plaintext) ? null : protector.Protect(plaintext);

    public string? Unprotect(string? ciphertext)
    {
        if (string.IsNullOrEmpty(ciphertext))
        {
            return null;
        }

        try
        {
            return protector.Unprotect(ciphertext);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException("A stored secret could not be decrypted: the Data Protection keys it was written with are gone. Enter the secret again.", ex);
        }
    }

    /// <summary>What a page shows for a saved secret: never the value, only that one is set.</summary>
    public static string Mask(bool isSet) => isSet ? "••••••••" : "";
}
