using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace UnifyAdmin.Demo.Segment;

/// <summary>An identifier kind and value, e.g. <c>user_id</c> / <c>u-42</c>.</summary>
internal readonly record struct IdentityKey(string Type, string Value);

/// <summary>An identifier held by a profile.</summary>
internal sealed record DemoIdentifier(string Type, string Value, DateTimeOffset CreatedAt);

/// <summary>A trait value with the ordering that decides which write wins.</summary>
internal readonly record struct TraitValue(JsonElement Value, long Ticks, long Sequence)
{
    public bool IsNotOlderThan(TraitValue other)
        => Ticks > other.Ticks || (Ticks == other.Ticks && Sequence >= other.Sequence);
}

/// <summary>A user or account profile of the demo store.</summary>
internal sealed class DemoProfile
{
    public required string SegmentId { get; init; }

    public required long CreatedSequence { get; init; }

    public List<DemoIdentifier> Identifiers { get; } = new(2);

    public required Dictionary<string, TraitValue> Traits { get; init; }

    /// <summary>segment_ids of the profiles merged into this one.</summary>
    public List<string> MergedSegmentIds => mergedSegmentIds ??= [];

    public bool HasMerged => mergedSegmentIds is { Count: > 0 };

    private List<string>? mergedSegmentIds;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset FirstMessageAt { get; set; }

    public DateTimeOffset LastMessageAt { get; set; }

    public string? LastMessageId { get; set; }
}

/// <summary>What one identify or group message asks the store to do, already parsed.</summary>
internal readonly record struct DemoInbound(
    string? MessageId,
    List<IdentityKey> Identifiers,
    JsonElement? Traits,
    long TimestampTicks,
    DateTimeOffset ReceivedAt);

/// <summary>
/// Profiles of one space with identity resolution. Identifiers are tried in priority order
/// (<c>user_id</c>, then <c>email</c>, then the rest in message order); when joining the matched
/// profiles and the message's identifiers would give a profile more values of a type than its limit
/// allows, the lowest-priority identifier is dropped from the message and matching starts again.
/// Not thread-safe: callers hold <see cref="Gate"/>.
/// </summary>
internal sealed class DemoProfileStore
{
    private readonly string spaceId;
    private readonly int userIdLimit;
    private readonly int otherLimit;
    private readonly Dictionary<IdentityKey, DemoProfile> users = [];
    private readonly Dictionary<string, DemoProfile> bySegmentId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DemoProfile> accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> names;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> nameLookup;
    private long sequence;

    public DemoProfileStore(string spaceId, int userIdLimit, int otherLimit)
    {
        this.spaceId = spaceId;
        this.userIdLimit = userIdLimit;
        this.otherLimit = otherLimit;
        names = new(StringComparer.Ordinal);
        nameLookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public object Gate { get; } = new();

    public int UserProfileCount { get; private set; }

    public int AccountProfileCount => accounts.Count;

    /// <summary>True when something changed since the last <see cref="MarkSaved"/>.</summary>
    public bool Dirty { get; private set; }

    public void MarkSaved() => Dirty = false;

    public static int Priority(string type) => type switch
    {
        "user_id" => 0,
        "email" => 1,
        _ => 2,
    };

    /// <summary>Applies an identify (or the user side of a group call); returns the profile, or null when every identifier had to be dropped.</summary>
    public DemoProfile? ApplyUser(in DemoInbound message, List<IdentityKey>? dropped = null)
    {
        var active = message.Identifiers;
        var matched = new List<DemoProfile>(2);
        while (active.Count > 0)
        {
            matched.Clear();
            foreach (var key in active)
            {
                if (users.TryGetValue(key, out var profile) && !matched.Contains(profile))
                {
                    matched.Add(profile);
                }
            }

            if (Fits(matched, active))
            {
                break;
            }

            dropped?.Add(active[^1]);
            active.RemoveAt(active.Count - 1);
        }

        if (active.Count == 0)
        {
            return null;
        }

        var seq = ++sequence;
        DemoProfile target;
        if (matched.Count == 0)
        {
            target = NewProfile("use_", active[0], seq, message.ReceivedAt, TraitCount(message.Traits));
            UserProfileCount++;
        }
        else
        {
            target = matched[0];
            foreach (var profile in matched)
            {
                if (profile.CreatedSequence < target.CreatedSequence)
                {
                    target = profile;
                }
            }

            foreach (var profile in matched)
            {
                if (!ReferenceEquals(profile, target))
                {
                    Merge(profile, target);
                }
            }
        }

        foreach (var key in active)
        {
            if (!users.ContainsKey(key))
            {
                users[key] = target;
                target.Identifiers.Add(new DemoIdentifier(key.Type, key.Value, message.ReceivedAt));
            }
        }

        Touch(target, message, seq);
        return target;
    }

    /// <summary>Applies the group traits to the account profile keyed by group_id.</summary>
    public DemoProfile ApplyAccount(string groupId, in DemoInbound message)
    {
        var seq = ++sequence;
        if (!accounts.TryGetValue(groupId, out var account))
        {
            account = NewProfile("acc_", new IdentityKey("group_id", groupId), seq, message.ReceivedAt, TraitCount(message.Traits));
            account.Identifiers.Add(new DemoIdentifier("group_id", groupId, message.ReceivedAt));
            accounts[groupId] = account;
        }

        Touch(account, message, seq);
        return account;
    }

    /// <summary>Finds a profile; user lookups try the value as given, then lower-cased.</summary>
    public DemoProfile? Find(string collection, string type, string value)
    {
        if (collection == "accounts")
        {
            return type == "group_id" && accounts.TryGetValue(value, out var account) ? account : null;
        }

        if (collection != "users")
        {
            return null;
        }

        if (type == "segment_id")
        {
            return bySegmentId.TryGetValue(value, out var bySegment) ? bySegment : null;
        }

        if (users.TryGetValue(new IdentityKey(type, value), out var profile))
        {
            return profile;
        }

        var lower = value.ToLowerInvariant();
        return lower != value && users.TryGetValue(new IdentityKey(type, lower), out profile) ? profile : null;
    }

    public IEnumerable<DemoProfile> UserProfiles()
    {
        foreach (var (segmentId, profile) in bySegmentId)
        {
            if (profile.SegmentId == segmentId && !profile.SegmentId.StartsWith("acc_", StringComparison.Ordinal))
            {
                yield return profile;
            }
        }
    }

    public IEnumerable<DemoProfile> AccountProfiles() => accounts.Values;

    public void Clear()
    {
        users.Clear();
        bySegmentId.Clear();
        accounts.Clear();
        sequence = 0;
        UserProfileCount = 0;
        Dirty = true;
    }

    /// <summary>Interns a trait name read from UTF-8, so a million profiles share ten name strings.</summary>
    public string Intern(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Length > 128 || raw.IndexOf((byte)'\\') >= 0)
        {
            return InternString(property.Name);
        }

        Span<char> chars = stackalloc char[128];
        var length = Encoding.UTF8.GetChars(raw, chars);
        var lookup = nameLookup;
        if (lookup.TryGetValue(chars[..length], out var name))
        {
            return name;
        }

        name = new string(chars[..length]);
        names[name] = name;
        return name;
    }

    public void Save(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id", spaceId);
        writer.WriteNumber("sequence", sequence);
        writer.WriteStartArray("profiles");
        foreach (var profile in UserProfiles())
        {
            WriteProfile(writer, profile, "users");
        }

        foreach (var profile in accounts.Values)
        {
            WriteProfile(writer, profile, "accounts");
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public void Load(JsonElement space)
    {
        Clear();
        sequence = space.GetProperty("sequence").GetInt64();
        foreach (var item in space.GetProperty("profiles").EnumerateArray())
        {
            var profile = new DemoProfile
            {
                Traits = new(StringComparer.Ordinal),
                SegmentId = item.GetProperty("segment_id").GetString()!,
                CreatedSequence = item.GetProperty("created_sequence").GetInt64(),
                CreatedAt = item.GetProperty("created_at").GetDateTimeOffset(),
                UpdatedAt = item.GetProperty("updated_at").GetDateTimeOffset(),
                FirstMessageAt = item.GetProperty("first_message_at").GetDateTimeOffset(),
                LastMessageAt = item.GetProperty("last_message_at").GetDateTimeOffset(),
                LastMessageId = item.TryGetProperty("last_message_id", out var last) ? last.GetString() : null,
            };
            var collection = item.GetProperty("collection").GetString();
            foreach (var identifier in item.GetProperty("identifiers").EnumerateArray())
            {
                profile.Identifiers.Add(new DemoIdentifier(
                    InternString(identifier.GetProperty("type").GetString()!),
                    identifier.GetProperty("value").GetString()!,
                    identifier.GetProperty("created_at").GetDateTimeOffset()));
            }

            foreach (var trait in item.GetProperty("traits").EnumerateObject())
            {
                profile.Traits[InternString(trait.Name)] = new TraitValue(
                    trait.Value.GetProperty("v").Clone(), trait.Value.GetProperty("t").GetInt64(), trait.Value.GetProperty("s").GetInt64());
            }

            foreach (var merged in item.GetProperty("merged").EnumerateArray())
            {
                profile.MergedSegmentIds.Add(merged.GetString()!);
                bySegmentId[merged.GetString()!] = profile;
            }

            bySegmentId[profile.SegmentId] = profile;
            if (collection == "accounts")
            {
                accounts[profile.Identifiers[0].Value] = profile;
            }
            else
            {
                UserProfileCount++;
                foreach (var identifier in profile.Identifiers)
                {
                    users[new IdentityKey(identifier.Type, identifier.Value)] = profile;
                }
            }
        }

        Dirty = false;
    }

    private static void WriteProfile(Utf8JsonWriter writer, DemoProfile profile, string collection)
    {
        writer.WriteStartObject();
        writer.WriteString("segment_id", profile.SegmentId);
        writer.WriteString("collection", collection);
        writer.WriteNumber("created_sequence", profile.CreatedSequence);
        writer.WriteString("created_at", profile.CreatedAt);
        writer.WriteString("updated_at", profile.UpdatedAt);
        writer.WriteString("first_message_at", profile.FirstMessageAt);
        writer.WriteString("last_message_at", profile.LastMessageAt);
        writer.WriteString("last_message_id", profile.LastMessageId);
        writer.WriteStartArray("identifiers");
        foreach (var identifier in profile.Identifiers)
        {
            writer.WriteStartObject();
            writer.WriteString("type", identifier.Type);
            writer.WriteString("value", identifier.Value);
            writer.WriteString("created_at", identifier.CreatedAt);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("traits");
        foreach (var (name, value) in profile.Traits)
        {
            writer.WriteStartObject(name);
            writer.WritePropertyName("v");
            value.Value.WriteTo(writer);
            writer.WriteNumber("t", value.Ticks);
            writer.WriteNumber("s", value.Sequence);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartArray("merged");
        if (profile.HasMerged)
        {
            foreach (var merged in profile.MergedSegmentIds)
            {
                writer.WriteStringValue(merged);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private string InternString(string name)
    {
        if (names.TryGetValue(name, out var interned))
        {
            return interned;
        }

        names[name] = name;
        return name;
    }

    private bool Fits(List<DemoProfile> matched, List<IdentityKey> active)
    {
        // Fast paths: a brand-new profile from one message, or a message whose identifiers the
        // single matched profile already holds.
        if (matched.Count == 0)
        {
            return active.Count == 1 || CountWithin(active);
        }

        if (matched.Count == 1)
        {
            var all = true;
            foreach (var key in active)
            {
                if (!users.TryGetValue(key, out var owner) || !ReferenceEquals(owner, matched[0]))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return true;
            }
        }

        var union = new HashSet<IdentityKey>(active);
        foreach (var profile in matched)
        {
            foreach (var identifier in profile.Identifiers)
            {
                union.Add(new IdentityKey(identifier.Type, identifier.Value));
            }
        }

        return CountWithin(union);
    }

    private bool CountWithin(IEnumerable<IdentityKey> keys)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            counts[key.Type] = counts.GetValueOrDefault(key.Type) + 1;
        }

        foreach (var (type, count) in counts)
        {
            if (count > (type == "user_id" ? userIdLimit : otherLimit))
            {
                return false;
            }
        }

        return true;
    }

    private DemoProfile NewProfile(string prefix, IdentityKey first, long seq, DateTimeOffset at, int traitCapacity)
    {
        var profile = new DemoProfile
        {
            Traits = new(traitCapacity, StringComparer.Ordinal),
            SegmentId = SegmentIdFor(prefix, first),
            CreatedSequence = seq,
            CreatedAt = at,
            FirstMessageAt = at,
        };
        bySegmentId[profile.SegmentId] = profile;
        return profile;
    }

    /// <summary>
    /// Deterministic, so the same data gives the same ids after a reset or on another machine. Two
    /// 64-bit FNV-1a hashes give 128 bits, written as 22 base-62 characters after the prefix.
    /// </summary>
    private string SegmentIdFor(string prefix, IdentityKey first)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var high = Hash(Hash(Hash(14695981039346656037UL, spaceId), first.Type), first.Value);
        var low = Hash(Hash(Hash(high ^ 0x9E3779B97F4A7C15UL, first.Value), first.Type), spaceId);
        Span<char> id = stackalloc char[prefix.Length + 22];
        prefix.CopyTo(id);
        for (var i = 0; i < 22; i++)
        {
            ref var part = ref i < 11 ? ref high : ref low;
            id[prefix.Length + i] = alphabet[(int)(part % 62)];
            part /= 62;
        }

        var candidate = new string(id);

        // A profile merged away keeps its id as a redirect; never hand the same id out twice.
        return bySegmentId.ContainsKey(candidate)
            ? candidate[..^6] + (sequence % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)
            : candidate;
    }

    private static ulong Hash(ulong hash, string text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return (hash ^ '|') * 1099511628211UL;
    }

    private static int TraitCount(JsonElement? traits)
    {
        if (traits is not { ValueKind: JsonValueKind.Object } element)
        {
            return 0;
        }

        var count = 0;
        foreach (var unused in element.EnumerateObject())
        {
            count++;
        }

        return count;
    }

    private void Merge(DemoProfile from, DemoProfile into)
    {
        foreach (var identifier in from.Identifiers)
        {
            var key = new IdentityKey(identifier.Type, identifier.Value);
            users[key] = into;
            into.Identifiers.Add(identifier);
        }

        foreach (var (name, value) in from.Traits)
        {
            if (!into.Traits.TryGetValue(name, out var existing) || value.IsNotOlderThan(existing))
            {
                into.Traits[name] = value;
            }
        }

        if (from.CreatedAt < into.CreatedAt)
        {
            into.CreatedAt = from.CreatedAt;
        }

        if (from.FirstMessageAt < into.FirstMessageAt)
        {
            into.FirstMessageAt = from.FirstMessageAt;
        }

        if (from.LastMessageAt > into.LastMessageAt)
        {
            into.LastMessageAt = from.LastMessageAt;
            into.LastMessageId = from.LastMessageId;
        }

        into.MergedSegmentIds.Add(from.SegmentId);
        if (from.HasMerged)
        {
            into.MergedSegmentIds.AddRange(from.MergedSegmentIds);
        }
        foreach (var merged in into.MergedSegmentIds)
        {
            bySegmentId[merged] = into;
        }

        UserProfileCount--;
    }

    private void Touch(DemoProfile profile, in DemoInbound message, long seq)
    {
        if (message.Traits is { ValueKind: JsonValueKind.Object } traits)
        {
            foreach (var property in traits.EnumerateObject())
            {
                var incoming = new TraitValue(property.Value, message.TimestampTicks, seq);
                var name = Intern(property);
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(profile.Traits, name, out var exists);
                if (!exists || incoming.IsNotOlderThan(slot))
                {
                    slot = incoming;
                }
            }
        }

        profile.UpdatedAt = message.ReceivedAt;
        if (message.ReceivedAt >= profile.LastMessageAt)
        {
            profile.LastMessageAt = message.ReceivedAt;
            profile.LastMessageId = message.MessageId;
        }

        Dirty = true;
    }
}
