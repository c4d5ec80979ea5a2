namespace UnifyAdmin.Demo.Salesforce;

/// <summary>Builds and reads 18-character Salesforce-style record ids whose order follows the record index.</summary>
internal static class DemoIds
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string ChecksumAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    private const string Pod = "8d0";

    public static string Create(string keyPrefix, long index)
    {
        Span<char> id = stackalloc char[18];
        keyPrefix.AsSpan().CopyTo(id);
        Pod.AsSpan().CopyTo(id[3..]);
        var value = index;
        for (var i = 14; i >= 6; i--)
        {
            id[i] = Base62[(int)(value % 62)];
            value /= 62;
        }

        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                var c = id[chunk * 5 + i];
                if (c is >= 'A' and <= 'Z')
                {
                    bits |= 1 << i;
                }
            }

            id[15 + chunk] = ChecksumAlphabet[bits];
        }

        return new string(id);
    }

    /// <summary>Reads the index back; accepts 15- and 18-character forms.</summary>
    public static bool TryParse(string? id, string keyPrefix, out long index)
    {
        index = -1;
        if (id is null || (id.Length != 15 && id.Length != 18) || !id.StartsWith(keyPrefix, StringComparison.Ordinal)
            || !id.AsSpan(3, 3).SequenceEqual(Pod))
        {
            return false;
        }

        long value = 0;
        for (var i = 6; i < 15; i++)
        {
            var digit = Base62.IndexOf(id[i], StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            value = value * 62 + digit;
        }

        if (id.Length == 18 && !string.Equals(Create(keyPrefix, value), id, StringComparison.Ordinal))
        {
            return false;
        }

        index = value;
        return true;
    }

    /// <summary>Normalizes a 15-character id to 18 characters so both forms compare equal.</summary>
    public static string To18(string id)
    {
        if (id.Length != 15)
        {
            return id;
        }

        Span<char> full = stackalloc char[18];
        id.AsSpan().CopyTo(full);
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                if (id[chunk * 5 + i] is >= 'A' and <= 'Z')
                {
                    bits |= 1 << i;
                }
            }

            full[15 + chunk] = ChecksumAlphabet[bits];
        }

        return new string(full);
    }
}
