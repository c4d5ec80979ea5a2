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

    /// <summary>The messageId of one record version under one mapping revision (at most 44 characters).</summary>
    public static string For(Guid mappingId, int revision, string recordId, DateTimeOffset systemModstamp)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{mappingId:N}|{revision}|{recordId}|{systemModstamp.UtcTicks}");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return string.Concat("sf-", recordId, "-", Convert.ToHexStringLower(hash[..11]));
    }
}
