using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Demo.Segment;

/// <summary>
/// The demo Segment workspace: its spaces with their identity-resolved profile stores, the
/// received-message log, and injected faults. One per process (singleton).
/// </summary>
public sealed class SegmentDemoWorkspace
{
    private readonly Dictionary<string, DemoSpace> byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DemoSpace> byWriteKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DemoSpace> byToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SegmentDemoFault>> faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> faultsServed = new(StringComparer.Ordinal);
    private readonly ReceivedEntry?[] log;
    private readonly object logGate = new();
    private long logSequence;

    public SegmentDemoWorkspace(IOptions<SegmentDemoOptions> options, TimeProvider time)
    {
        Options = options.Value;
        Time = time;
        log = new ReceivedEntry?[Math.Max(1, Options.MaxKeptMessages)];
        AddSpace(new DemoSpace(Options.SpaceId, Options.SpaceName, Options.WriteKey, Options.AccessToken, Options));
        foreach (var space in Options.Spaces)
        {
            AddSpace(new DemoSpace(space.Id, space.Name, space.WriteKey, space.AccessToken, Options));
        }

        if (Options.StatePath is { } path && File.Exists(path))
        {
            Load(path);
        }
    }

    public SegmentDemoOptions Options { get; }

    internal TimeProvider Time { get; }

    internal IEnumerable<DemoSpace> Spaces => byId.Values;

    internal DemoSpace? FindById(string id) => byId.GetValueOrDefault(id);

    internal DemoSpace? FindByWriteKey(string writeKey) => byWriteKey.GetValueOrDefault(writeKey);

    internal DemoSpace? FindByToken(string token) => byToken.GetValueOrDefault(token);

    /// <summary>Profile and message counts per space.</summary>
    public IReadOnlyList<SegmentDemoSpaceSummary> Summaries()
    {
        var list = new List<SegmentDemoSpaceSummary>();
        foreach (var space in byId.Values)
        {
            lock (space.Store.Gate)
            {
                list.Add(new SegmentDemoSpaceSummary(space.Id, space.Name, space.Store.UserProfileCount, space.Store.AccountProfileCount, space.MessagesReceived, space.MessagesDropped, space.DuplicatesDropped));
            }
        }

        return list;
    }

    /// <summary>The newest received messages, oldest first; optionally of one space only.</summary>
    public IReadOnlyList<SegmentDemoMessage> Messages(string? spaceId = null, int limit = 1000)
    {
        var result = new List<SegmentDemoMessage>();
        lock (logGate)
        {
            var count = (int)Math.Min(logSequence, log.Length);
            for (var i = 0; i < count && result.Count < limit; i++)
            {
                var entry = log[(int)((logSequence - 1 - i) % log.Length)];
                if (entry is not null && (spaceId is null || entry.SpaceId == spaceId))
                {
                    result.Add(entry.ToMessage());
                }
            }
        }

        result.Reverse();
        return result;
    }

    public void InjectFaults(SegmentDemoFault fault)
    {
        var queue = faults.GetOrAdd(fault.Target, _ => new ConcurrentQueue<SegmentDemoFault>());
        for (var i = 0; i < fault.Count; i++)
        {
            queue.Enqueue(fault);
        }
    }

    /// <summary>Forgets profiles, messages, seen messageIds and pending faults.</summary>
    public void Reset()
    {
        foreach (var space in byId.Values)
        {
            lock (space.Store.Gate)
            {
                space.Store.Clear();
                space.ClearDedup();
                space.MessagesReceived = 0;
                space.MessagesDropped = 0;
                space.DuplicatesDropped = 0;
            }
        }

        lock (logGate)
        {
            Array.Clear(log);
            logSequence = 0;
        }

        faults.Clear();
        requests.Clear();
        faultsServed.Clear();
    }

    /// <summary>Counts a request to <paramref name="target"/> and takes one of its pending faults, if any.</summary>
    internal SegmentDemoFault? TakeFault(string target)
    {
        requests.AddOrUpdate(target, 1, (_, n) => n + 1);
        if (faults.TryGetValue(target, out var queue) && queue.TryDequeue(out var fault))
        {
            faultsServed.AddOrUpdate(target, 1, (_, n) => n + 1);
            return fault;
        }

        return null;
    }

    /// <summary>Requests received by "tracking" or "profiles" since the last reset, faulted ones included.</summary>
    public int Requests(string target) => requests.GetValueOrDefault(target);

    /// <summary>Injected faults answered by "tracking" or "profiles" since the last reset: proof that an armed fault fired.</summary>
    public int FaultsServed(string target) => faultsServed.GetValueOrDefault(target);

    /// <summary>Writes every space's profiles to <paramref name="path"/> atomically (temp file, then move).</summary>
    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", 1);
            writer.WriteStartArray("spaces");
            foreach (var space in byId.Values)
            {
                lock (space.Store.Gate)
                {
                    space.Store.Save(writer);
                    space.Store.MarkSaved();
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        File.Move(temp, path, overwrite: true);
    }

    internal bool AnyDirty()
    {
        foreach (var space in byId.Values)
        {
            lock (space.Store.Gate)
            {
                if (space.Store.Dirty)
                {
                    return true;
                }
            }
        }

        return false;
    }

    internal void Record(DemoSpace space, string type, string? messageId, string? userId, string? anonymousId, string? groupId, DateTimeOffset receivedAt, string? droppedReason, ReadOnlySpan<byte> json)
    {
        var entry = new ReceivedEntry(space.Id, type, messageId, userId, anonymousId, groupId, receivedAt, droppedReason, json.ToArray());
        lock (logGate)
        {
            entry.Sequence = ++logSequence;
            log[(int)((entry.Sequence - 1) % log.Length)] = entry;
        }
    }

    private void AddSpace(DemoSpace space)
    {
        byId[space.Id] = space;
        byWriteKey[space.WriteKey] = space;
        byToken[space.AccessToken] = space;
    }

    private void Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        foreach (var item in document.RootElement.GetProperty("spaces").EnumerateArray())
        {
            if (FindById(item.GetProperty("id").GetString()!) is { } space)
            {
                lock (space.Store.Gate)
                {
                    space.Store.Load(item);
                }
            }
        }
    }

    private sealed class ReceivedEntry(string spaceId, string type, string? messageId, string? userId, string? anonymousId, string? groupId, DateTimeOffset receivedAt, string? droppedReason, byte[] json)
    {
        public long Sequence { get; set; }

        public string SpaceId { get; } = spaceId;

        public SegmentDemoMessage ToMessage()
            => new(Sequence, SpaceId, type, messageId, userId, anonymousId, groupId, receivedAt, droppedReason, Encoding.UTF8.GetString(json));
    }
}
