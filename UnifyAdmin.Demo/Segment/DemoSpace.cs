namespace UnifyAdmin.Demo.Segment;

/// <summary>One profile space of the demo: keys, profile store, deduplication, rate limit.</summary>
internal sealed class DemoSpace(string id, string name, string writeKey, string accessToken, SegmentDemoOptions options)
{
    private readonly Dictionary<ulong, long> seen = [];
    private readonly Queue<(ulong Hash, long ExpiresTicks)> seenOrder = new();
    private readonly object rateGate = new();
    private long rateWindow;
    private int rateCount;

    public string Id { get; } = id;

    public string Name { get; } = name;

    public string WriteKey { get; } = writeKey;

    public string AccessToken { get; } = accessToken;

    /// <summary>The id of the space's internal source, reported as <c>source_id</c>.</summary>
    public string SourceId { get; } = "src_" + id;

    public DemoProfileStore Store { get; } = new(id, options.UserIdLimit, options.OtherIdentifierLimit);

    public long MessagesReceived { get; set; }

    /// <summary>Received messages the space dropped, for any reason (duplicates included).</summary>
    public long MessagesDropped { get; set; }

    /// <summary>Received messages dropped because their messageId was already seen.</summary>
    public long DuplicatesDropped { get; set; }

    /// <summary>True the first time a messageId is seen within the window. Callers hold the store's gate.</summary>
    public bool FirstSighting(ReadOnlySpan<byte> messageId, long nowTicks)
    {
        while (seenOrder.Count > 0 && (seenOrder.Peek().ExpiresTicks < nowTicks || seenOrder.Count >= options.MaxDedupEntries))
        {
            var (hash, expires) = seenOrder.Dequeue();
            if (seen.TryGetValue(hash, out var current) && current == expires)
            {
                seen.Remove(hash);
            }
        }

        // A 64-bit hash stands in for the id: a million ids cost megabytes, not a gigabyte.
        var key = Fnv1a(messageId);
        var expiresAt = nowTicks + options.DedupWindow.Ticks;
        if (seen.TryGetValue(key, out var until) && until >= nowTicks)
        {
            return false;
        }

        seen[key] = expiresAt;
        seenOrder.Enqueue((key, expiresAt));
        return true;
    }

    public void ClearDedup()
    {
        seen.Clear();
        seenOrder.Clear();
    }

    /// <summary>Fixed one-second window, as Segment's documented per-second limit.</summary>
    public bool TryTakeProfileRequest(DateTimeOffset now)
    {
        var window = now.ToUnixTimeSeconds();
        lock (rateGate)
        {
            if (window != rateWindow)
            {
                rateWindow = window;
                rateCount = 0;
            }

            return ++rateCount <= options.ProfileApiRequestsPerSecond;
        }
    }

    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
