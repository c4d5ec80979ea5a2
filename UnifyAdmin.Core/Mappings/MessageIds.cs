using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace UnifyAdmin.Core.Mappings;

/// <summary>
/// The messageId rule: derived from the mapping, its revision, the record's Id and its
/// SystemModstamp. The same record version always gives the same id, so Segment drops re-sends
/// (retries, lookback re-reads, crash resumes); a new record version or a saved change to the
/// mapping gives a new one.
/// </summary>
public static class MessageIds
{
    /// <summary>The rule in words, as the mapping editor shows it.</summary>
    public const string Rule = "sf-{record Id}-{hash of mapping id, mapping revision, record Id and SystemModstamp}";

    private const int HashBytes = 11;

    /// <summary>The messageId of one record version under one mapping revision (at most 44 characters for an 18-character Id).</summary>
    public static string For(Guid mappingId, int revision, string recordId, DateTimeOffset systemModstamp)
    {
        // The key is "{mappingId:N}|{revision}|{recordId}|{UtcTicks}" in UTF-8, built on the stack: this runs once per record.
        var maxKey = 32 + 1 + 11 + 1 + Encoding.UTF8.GetMaxByteCount(recordId.Length) + 1 + 20;
        byte[]? rented = null;
        var key = maxKey <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(maxKey));
        try
        {
            mappingId.TryFormat(key, out var length, "N");
            key[length++] = (byte)'|';
            revision.TryFormat(key[length..], out var written, default, CultureInfo.InvariantCulture);
            length += written;
            key[length++] = (byte)'|';
            length += Encoding.UTF8.GetBytes(recordId, key[length..]);
            key[length++] = (byte)'|';
            systemModstamp.UtcTicks.TryFormat(key[length..], out written, default, CultureInfo.InvariantCulture);
            length += written;

            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(key[..length], hash);
            return Compose(recordId, hash[..HashBytes]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static string Compose(string recordId, ReadOnlySpan<byte> hash)
    {
        var total = 3 + recordId.Length + 1 + (hash.Length * 2);
        char[]? rented = null;
        var chars = total <= 128 ? stackalloc char[128] : (rented = ArrayPool<char>.Shared.Rent(total));
        try
        {
            "sf-".CopyTo(chars);
            recordId.CopyTo(chars[3..]);
            chars[3 + recordId.Length] = '-';
            Convert.TryToHexStringLower(hash, chars[(4 + recordId.Length)..], out _);
            return new string(chars[..total]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
