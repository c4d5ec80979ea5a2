using System.Globalization;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Core.Mappings;

/// <summary>The message built for one record, or why none could be built (a per-record error).</summary>
public sealed record MessageBuild(SegmentMessage? Message, string? Error)
{
    public bool Succeeded => Message is not null;
}

/// <summary>
/// Turns records of a model into the Identify or Group messages of one mapping, exactly as the sync
/// sends them. The test send, the payload preview, the dry run and the engine all use this class.
/// </summary>
/// <remarks>
/// It runs once per record of every sync, so the work that depends only on the mapping (field
/// paths, describe types, the shape of nested traits) is done once here, and a record costs its
/// values, one small trait map per object level and the messageId.
/// </remarks>
public sealed class MappingMessageBuilder
{
    /// <summary>Segment drops Identify calls with this many traits or more.</summary>
    public const int MaxTraits = 300;

    private readonly Mapping mapping;
    private readonly IReadOnlyDictionary<string, string> fieldTypes;
    private readonly TraitPlan[] traits;
    private readonly TraitNode root;
    private readonly FieldReader? userId;
    private readonly FieldReader? anonymousId;
    private readonly FieldReader? groupId;
    private readonly FieldReader? timestamp;

    /// <param name="mapping">The mapping (its id and revision make the messageId).</param>
    /// <param name="fieldTypes">Model field path → Salesforce describe type (e.g. <c>Account.Name</c> → <c>string</c>).</param>
    public MappingMessageBuilder(Mapping mapping, IReadOnlyDictionary<string, string> fieldTypes)
    {
        this.mapping = mapping;
        this.fieldTypes = fieldTypes;
        root = new TraitNode();
        traits = new TraitPlan[mapping.Traits.Count];
        for (var i = 0; i < traits.Length; i++)
        {
            var source = mapping.Traits[i];
            var slots = root.Plan(source.Trait.Split('.'));
            traits[i] = new TraitPlan(slots, source.Field is { } field ? Reader(field) : null, source.StaticValue);
        }

        userId = mapping.UserIdField is { } u ? Reader(u) : null;
        anonymousId = mapping.AnonymousIdField is { } a ? Reader(a) : null;
        groupId = mapping.GroupIdField is { } g ? Reader(g) : null;
        timestamp = mapping.TimestampField is { } t ? new FieldReader(t, null) : null;
    }

    /// <summary>Builds the message for one record; <paramref name="now"/> is the timestamp when the mapping uses the time of sending.</summary>
    public MessageBuild Build(SalesforceRecord record, DateTimeOffset now)
    {
        var recordId = record.Id;
        if (string.IsNullOrEmpty(recordId))
        {
            return new MessageBuild(null, "The record has no Id.");
        }

        var (user, anonymous, group, idError) = Identifiers(record, recordId);
        if (idError is not null)
        {
            return new MessageBuild(null, idError);
        }

        var values = root.NewMap();
        foreach (var trait in traits)
        {
            var value = trait.Field is { } field ? field.Value(record) : trait.StaticValue;
            if (value is null && !mapping.SendNulls)
            {
                continue;
            }

            values.Put(trait.Slots, value);
        }

        if (values.Count >= MaxTraits)
        {
            return new MessageBuild(null, $"The message would have {values.Count} traits; Segment drops messages with {MaxTraits} or more. Map fewer fields.");
        }

        return new MessageBuild(Create(record, recordId, user, anonymous, group, values, now), null);
    }

    /// <summary>The message that marks a deleted record (delete policy "send a trait"): its identifiers and <c>{DeletedTrait}: true</c>.</summary>
    public MessageBuild BuildDeleted(SalesforceRecord record, DateTimeOffset now)
    {
        var recordId = record.Id;
        if (string.IsNullOrEmpty(recordId))
        {
            return new MessageBuild(null, "The record has no Id.");
        }

        var (user, anonymous, group, idError) = Identifiers(record, recordId);
        if (idError is not null)
        {
            return new MessageBuild(null, idError);
        }

        var node = new TraitNode();
        var slots = node.Plan(mapping.DeletedTrait.Split('.'));
        var values = node.NewMap();
        values.Put(slots, true);
        return new MessageBuild(Create(record, recordId, user, anonymous, group, values, now), null);
    }

    /// <summary>The JSON value a model field of the record carries (null when absent).</summary>
    public object? Value(SalesforceRecord record, string field)
        => SalesforceJsonValues.ToJsonValue(record.GetPath(field), fieldTypes.GetValueOrDefault(field));

    private FieldReader Reader(string field) => new(field, fieldTypes.GetValueOrDefault(field));

    private SegmentMessage Create(SalesforceRecord record, string recordId, string? user, string? anonymous, string? group, TraitMap traitValues, DateTimeOffset now)
    {
        var modstamp = Modstamp(record) ?? now;
        var messageId = MessageIds.For(mapping.Id, mapping.Revision, recordId, modstamp);
        var at = timestamp is not null && Timestamp(timestamp.Raw(record)) is { } ts ? ts : now;
        return mapping.Action == MappingAction.Group
            ? new GroupMessage(messageId, group!, user, anonymous, traitValues, at, RecordKey: recordId)
            : new IdentifyMessage(messageId, user, anonymous, traitValues, at, RecordKey: recordId);
    }

    private (string? UserId, string? AnonymousId, string? GroupId, string? Error) Identifiers(SalesforceRecord record, string recordId)
    {
        if (userId is null && anonymousId is null)
        {
            return (null, null, null, "You must map either a User ID or Anonymous ID field.");
        }

        var user = userId is null ? null : IdText(userId.Value(record));
        var anonymous = anonymousId is null ? null : IdText(anonymousId.Value(record));
        if (string.IsNullOrEmpty(user) && string.IsNullOrEmpty(anonymous))
        {
            var which = (mapping.UserIdField, mapping.AnonymousIdField) switch
            {
                ({ } u2, { } a2) => $"Neither the User ID field `{u2}` nor the Anonymous ID field `{a2}` has a value",
                ({ } u2, null) => $"User ID field `{u2}` is empty",
                _ => $"Anonymous ID field `{mapping.AnonymousIdField}` is empty",
            };
            return (null, null, null, $"{which} for {recordId}.");
        }

        string? group = null;
        if (mapping.Action == MappingAction.Group)
        {
            if (groupId is null)
            {
                return (null, null, null, "A Group mapping needs a Group ID field.");
            }

            group = IdText(groupId.Value(record));
            if (string.IsNullOrEmpty(group))
            {
                return (null, null, null, $"Group ID field `{mapping.GroupIdField}` is empty for {recordId}.");
            }
        }

        return (user, anonymous, group, null);
    }

    private static string? IdText(object? value) => value switch
    {
        null => null,
        string s => s.Trim(),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    private static DateTimeOffset? Modstamp(SalesforceRecord record)
        => record.TryGetValue("SystemModstamp", out var value) ? Timestamp(value) : null;

    private static DateTimeOffset? Timestamp(object? value) => value switch
    {
        DateTimeOffset dto => dto,
        string s when SalesforceDateTime.TryParseDateTime(s.AsSpan(), out var parsed) => parsed,
        DateOnly d => new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        _ => null,
    };

    /// <summary>One trait row, resolved once: where it goes in the trait object and where its value comes from.</summary>
    private sealed record TraitPlan(int[] Slots, FieldReader? Field, string? StaticValue);

    /// <summary>
    /// Reads one model field of a record and converts it by its describe type. Values whose runtime
    /// type already is their JSON type (text as string, a checkbox as bool, an integer as long) are
    /// passed through as they are, which is what <see cref="SalesforceJsonValues"/> would return,
    /// without boxing them again.
    /// </summary>
    private sealed class FieldReader
    {
        private readonly string single;
        private readonly string[]? path;
        private readonly string? type;
        private readonly ValueKind kind;
        private Position? position;

        public FieldReader(string field, string? type)
        {
            single = field;
            path = field.Contains('.', StringComparison.Ordinal) ? field.Split('.') : null;
            this.type = type;
            kind = KindOf(type);
        }

        public object? Raw(SalesforceRecord record)
        {
            if (path is null)
            {
                // Rows of one query share their field-name list: find the field's position once per list.
                var names = record.FieldNames;
                var cached = position;
                if (cached is null || !ReferenceEquals(cached.Names, names))
                {
                    cached = new Position(names, IndexOf(names, single));
                    position = cached;
                }

                return cached.Index >= 0 ? record[cached.Index] : null;
            }

            object? current = record;
            foreach (var part in path)
            {
                if (current is not SalesforceRecord row || !row.TryGetValue(part, out current))
                {
                    return null;
                }
            }

            return current;
        }

        public object? Value(SalesforceRecord record)
        {
            var raw = Raw(record);
            return raw switch
            {
                null => null,
                string when kind == ValueKind.Text => raw,
                bool when kind == ValueKind.Boolean => raw,
                long when kind is ValueKind.Integer or ValueKind.Number => raw,
                decimal or double when kind == ValueKind.Number => raw,
                _ => SalesforceJsonValues.ToJsonValue(raw, type),
            };
        }

        private static int IndexOf(IReadOnlyList<string> names, string name)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        private static ValueKind KindOf(string? type)
        {
            switch (type?.ToLowerInvariant())
            {
                case "boolean":
                    return ValueKind.Boolean;
                case "int" or "long":
                    return ValueKind.Integer;
                case "double" or "currency" or "percent":
                    return ValueKind.Number;
                case null or "anytype" or "datetime" or "date" or "multipicklist" or "address" or "location":
                    return ValueKind.Other;
                default:
                    return ValueKind.Text;
            }
        }
    }

    /// <summary>Where a field sits in one field-name list (swapped whole, so readers on several threads stay consistent).</summary>
    private sealed record Position(IReadOnlyList<string> Names, int Index);

    private enum ValueKind
    {
        Other,
        Text,
        Boolean,
        Integer,
        Number,
    }

    /// <summary>The shape of the trait object: its keys in order of first use, and the nodes under dotted names.</summary>
    private sealed class TraitNode
    {
        private readonly List<string> keys = [];
        private readonly List<TraitNode?> children = [];

        public int Width => keys.Count;

        public string Key(int slot) => keys[slot];

        public TraitNode Child(int slot) => children[slot]!;

        public int[] Plan(string[] path)
        {
            var slots = new int[path.Length];
            var node = this;
            for (var i = 0; i < path.Length; i++)
            {
                var slot = node.keys.IndexOf(path[i]);
                if (slot < 0)
                {
                    slot = node.keys.Count;
                    node.keys.Add(path[i]);
                    node.children.Add(null);
                }

                slots[i] = slot;
                if (i < path.Length - 1)
                {
                    node = node.children[slot] ??= new TraitNode();
                }
            }

            return slots;
        }

        public TraitMap NewMap() => new(this);
    }

    /// <summary>
    /// The traits of one message: an ordered map over the node's keys. Keys never set (null values
    /// that are not sent) are absent. It behaves like the dictionary the Segment writer expects.
    /// </summary>
    private sealed class TraitMap : IReadOnlyDictionary<string, object?>
    {
        private static readonly object Absent = new();

        private readonly TraitNode node;
        private readonly object?[] values;

        public TraitMap(TraitNode node)
        {
            this.node = node;
            values = new object?[node.Width];
            Array.Fill(values, Absent);
        }

        public int Count { get; private set; }

        public void Put(int[] slots, object? value)
        {
            var map = this;
            for (var i = 0; i < slots.Length - 1; i++)
            {
                var slot = slots[i];
                if (map.values[slot] is not TraitMap child)
                {
                    child = new TraitMap(map.node.Child(slot));
                    map.Set(slot, child);
                }

                map = child;
            }

            map.Set(slots[^1], value);
        }

        private void Set(int slot, object? value)
        {
            if (ReferenceEquals(values[slot], Absent))
            {
                Count++;
            }

            values[slot] = value;
        }

        public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No trait \"{key}\".");

        public IEnumerable<string> Keys => this.Select(p => p.Key);

        public IEnumerable<object?> Values => this.Select(p => p.Value);

        public bool ContainsKey(string key) => TryGetValue(key, out _);

        public bool TryGetValue(string key, out object? value)
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (!ReferenceEquals(values[i], Absent) && string.Equals(node.Key(i), key, StringComparison.Ordinal))
                {
                    value = values[i];
                    return true;
                }
            }

            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (!ReferenceEquals(values[i], Absent))
                {
                    yield return new KeyValuePair<string, object?>(node.Key(i), values[i]);
                }
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
