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
public sealed class MappingMessageBuilder
{
    /// <summary>Segment drops Identify calls with this many traits or more.</summary>
    public const int MaxTraits = 300;

    private readonly Mapping mapping;
    private readonly IReadOnlyDictionary<string, string> fieldTypes;
    private readonly (string[] Path, TraitMapping Source)[] traits;

    /// <param name="mapping">The mapping (its id and revision make the messageId).</param>
    /// <param name="fieldTypes">Model field path → Salesforce describe type (e.g. <c>Account.Name</c> → <c>string</c>).</param>
    public MappingMessageBuilder(Mapping mapping, IReadOnlyDictionary<string, string> fieldTypes)
    {
        this.mapping = mapping;
        this.fieldTypes = fieldTypes;
        traits = mapping.Traits.Select(t => (t.Trait.Split('.'), t)).ToArray();
    }

    public Mapping Mapping => mapping;

    /// <summary>Builds the message for one record; <paramref name="now"/> is the timestamp when the mapping uses the time of sending.</summary>
    public MessageBuild Build(SalesforceRecord record, DateTimeOffset now)
    {
        var recordId = record.Id;
        if (string.IsNullOrEmpty(recordId))
        {
            return new MessageBuild(null, "The record has no Id.");
        }

        var (userId, anonymousId, groupId, idError) = Identifiers(record, recordId);
        if (idError is not null)
        {
            return new MessageBuild(null, idError);
        }

        var values = new Dictionary<string, object?>(traits.Length, StringComparer.Ordinal);
        foreach (var (path, source) in traits)
        {
            var value = source.Field is { } field ? Value(record, field) : source.StaticValue;
            if (value is null && !mapping.SendNulls)
            {
                continue;
            }

            Put(values, path, value);
        }

        if (values.Count >= MaxTraits)
        {
            return new MessageBuild(null, $"The message would have {values.Count} traits; Segment drops messages with {MaxTraits} or more. Map fewer fields.");
        }

        return new MessageBuild(Create(record, recordId, userId, anonymousId, groupId, values, now), null);
    }

    /// <summary>The message that marks a deleted record (delete policy "send a trait"): its identifiers and <c>{DeletedTrait}: true</c>.</summary>
    public MessageBuild BuildDeleted(SalesforceRecord record, DateTimeOffset now)
    {
        var recordId = record.Id;
        if (string.IsNullOrEmpty(recordId))
        {
            return new MessageBuild(null, "The record has no Id.");
        }

        var (userId, anonymousId, groupId, idError) = Identifiers(record, recordId);
        if (idError is not null)
        {
            return new MessageBuild(null, idError);
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        Put(values, mapping.DeletedTrait.Split('.'), true);
        return new MessageBuild(Create(record, recordId, userId, anonymousId, groupId, values, now), null);
    }

    /// <summary>The JSON value a model field of the record carries (null when absent).</summary>
    public object? Value(SalesforceRecord record, string field)
        => SalesforceJsonValues.ToJsonValue(record.GetPath(field), fieldTypes.GetValueOrDefault(field));

    private SegmentMessage Create(SalesforceRecord record, string recordId, string? userId, string? anonymousId, string? groupId, Dictionary<string, object?> traitValues, DateTimeOffset now)
    {
        var modstamp = Modstamp(record) ?? now;
        var messageId = MessageIds.For(mapping.Id, mapping.Revision, recordId, modstamp);
        var timestamp = mapping.TimestampField is { } tsField && Timestamp(record.GetPath(tsField)) is { } ts ? ts : now;
        return mapping.Action == MappingAction.Group
            ? new GroupMessage(messageId, groupId!, userId, anonymousId, traitValues, timestamp, RecordKey: recordId)
            : new IdentifyMessage(messageId, userId, anonymousId, traitValues, timestamp, RecordKey: recordId);
    }

    private (string? UserId, string? AnonymousId, string? GroupId, string? Error) Identifiers(SalesforceRecord record, string recordId)
    {
        var userId = mapping.UserIdField is { } u ? IdText(record, u) : null;
        var anonymousId = mapping.AnonymousIdField is { } a ? IdText(record, a) : null;
        if (mapping.UserIdField is null && mapping.AnonymousIdField is null)
        {
            return (null, null, null, "You must map either a User ID or Anonymous ID field.");
        }

        if (string.IsNullOrEmpty(userId) && string.IsNullOrEmpty(anonymousId))
        {
            var which = (mapping.UserIdField, mapping.AnonymousIdField) switch
            {
                ({ } u2, { } a2) => $"Neither the User ID field `{u2}` nor the Anonymous ID field `{a2}` has a value",
                ({ } u2, null) => $"User ID field `{u2}` is empty",
                _ => $"Anonymous ID field `{mapping.AnonymousIdField}` is empty",
            };
            return (null, null, null, $"{which} for {recordId}.");
        }

        string? groupId = null;
        if (mapping.Action == MappingAction.Group)
        {
            if (mapping.GroupIdField is not { } g)
            {
                return (null, null, null, "A Group mapping needs a Group ID field.");
            }

            groupId = IdText(record, g);
            if (string.IsNullOrEmpty(groupId))
            {
                return (null, null, null, $"Group ID field `{g}` is empty for {recordId}.");
            }
        }

        return (userId, anonymousId, groupId, null);
    }

    private string? IdText(SalesforceRecord record, string field) => Value(record, field) switch
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

    private static void Put(Dictionary<string, object?> root, string[] path, object? value)
    {
        var current = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (current.GetValueOrDefault(path[i]) is not Dictionary<string, object?> child)
            {
                child = new Dictionary<string, object?>(StringComparer.Ordinal);
                current[path[i]] = child;
            }

            current = child;
        }

        current[path[^1]] = value;
    }
}
