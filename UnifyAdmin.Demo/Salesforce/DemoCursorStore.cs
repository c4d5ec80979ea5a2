using System.Collections.Concurrent;
using System.Security.Cryptography;
using UnifyAdmin.Demo.Salesforce.Soql;

namespace UnifyAdmin.Demo.Salesforce;

/// <summary>
/// An open query: its plan and where its row stream stands, so the next page continues the stream
/// instead of running and sorting the query again.
/// </summary>
internal sealed class DemoQueryCursor(string locator, SoqlPlan plan, long totalSize, int batchSize, DateTime now)
{
    private IEnumerator<DemoRow>? rows;

    public string Locator => locator;

    public SoqlPlan Plan => plan;

    public long TotalSize => totalSize;

    public int BatchSize => batchSize;

    public long Position { get; private set; }

    public DateTime LastUsedUtc { get; set; } = now;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Positions the stream at <paramref name="offset"/>; a page asked for again restarts the stream and skips ahead.</summary>
    public void SeekTo(long offset)
    {
        if (rows is not null && offset == Position)
        {
            return;
        }

        if (rows is null || offset < Position)
        {
            rows?.Dispose();
            rows = plan.Rows().GetEnumerator();
            Position = 0;
        }

        while (Position < offset && rows.MoveNext())
        {
            Position++;
        }

        Position = offset;
    }

    public bool TryNext(out DemoRow row)
    {
        rows ??= plan.Rows().GetEnumerator();
        if (rows.MoveNext())
        {
            Position++;
            row = rows.Current;
            return true;
        }

        row = default;
        return false;
    }

    public void Release()
    {
        rows?.Dispose();
        rows = null;
    }
}

/// <summary>Open query cursors by locator, the least recently used evicted first.</summary>
internal sealed class DemoCursorStore(TimeProvider time)
{
    private const int MaxCursors = 64;
    private static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(30);
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly ConcurrentDictionary<string, DemoQueryCursor> cursors = new(StringComparer.Ordinal);

    public DemoQueryCursor Open(SoqlPlan plan, long totalSize, int batchSize)
    {
        Evict();
        var locator = "01g" + RandomNumberGenerator.GetString(Alphabet, 15);
        var cursor = new DemoQueryCursor(locator, plan, totalSize, batchSize, time.GetUtcNow().UtcDateTime);
        cursors[locator] = cursor;
        return cursor;
    }

    public DemoQueryCursor? Find(string locator)
    {
        if (!cursors.TryGetValue(locator, out var cursor))
        {
            return null;
        }

        cursor.LastUsedUtc = time.GetUtcNow().UtcDateTime;
        return cursor;
    }

    public void Clear() => cursors.Clear();

    private void Evict()
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (locator, cursor) in cursors)
        {
            if (now - cursor.LastUsedUtc > IdleLifetime)
            {
                cursors.TryRemove(locator, out _);
            }
        }

        while (cursors.Count >= MaxCursors)
        {
            var oldest = cursors.Values.MinBy(c => c.LastUsedUtc);
            if (oldest is null || !cursors.TryRemove(oldest.Locator, out _))
            {
                break;
            }
        }
    }
}
