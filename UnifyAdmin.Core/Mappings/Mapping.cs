namespace UnifyAdmin.Core.Mappings;

/// <summary>
/// Turns each record of a model into one Identify or Group message for one profile space of a
/// Segment Profiles destination. Holds the sync engine's per-mapping state too (cursor, pause).
/// </summary>
public sealed class Mapping
{
    public Guid Id { get; set; }

    public Guid ModelId { get; set; }

    public Guid DestinationId { get; set; }

    /// <summary>The destination's <c>ProfileSpace.Id</c> (our row id, not Segment's space id).</summary>
    public Guid ProfileSpaceId { get; set; }

    public MappingAction Action { get; set; }

    /// <summary>Model field whose value becomes <c>userId</c>.</summary>
    public string? UserIdField { get; set; }

    /// <summary>Model field whose value becomes <c>anonymousId</c>.</summary>
    public string? AnonymousIdField { get; set; }

    /// <summary>Model field whose value becomes <c>groupId</c> (required for Group).</summary>
    public string? GroupIdField { get; set; }

    /// <summary>Field → trait rows and static values. Dotted trait names build nested objects.</summary>
    public List<TraitMapping> Traits { get; set; } = [];

    /// <summary>How "Add all fields" names traits.</summary>
    public TraitNaming Naming { get; set; }

    /// <summary>When false, a null value leaves the trait untouched in the profile (it is not sent).</summary>
    public bool SendNulls { get; set; }

    /// <summary>A datetime field of the model for <c>timestamp</c>; null means the time of sending.</summary>
    public string? TimestampField { get; set; } = "SystemModstamp";

    /// <summary>Bumped by every saved change to what the mapping sends; part of every messageId.</summary>
    public int Revision { get; set; } = 1;

    /// <summary>Mapping Status: saved disabled; the sync engine only runs enabled mappings.</summary>
    public bool Enabled { get; set; }

    public DeletePolicy DeletePolicy { get; set; }

    /// <summary>The trait sent for deleted records under <see cref="DeletePolicy.SendTrait"/>.</summary>
    public string DeletedTrait { get; set; } = "salesforce_deleted";

    /// <summary>Checkpoint: SystemModstamp of the last record accepted by Segment with every one before it. Null before the initial sync.</summary>
    public DateTimeOffset? CursorModstamp { get; set; }

    /// <summary>Checkpoint: Id of that record (ties on SystemModstamp are ordered by Id).</summary>
    public string? CursorId { get; set; }

    /// <summary>True once the initial (historical) sync has read to the end.</summary>
    public bool InitialSyncDone { get; set; }

    /// <summary>Why the engine paused this mapping (e.g. schema drift), in words an admin can act on; null when not paused.</summary>
    public string? PausedReason { get; set; }

    public DateTimeOffset? PausedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency token, set in code.</summary>
    public Guid Version { get; set; }
}

/// <summary>The Segment Profiles action a mapping performs.</summary>
public enum MappingAction
{
    /// <summary>Send Identify: profile traits of a user.</summary>
    Identify,

    /// <summary>Send Group: traits of an account, linked to a user.</summary>
    Group,
}

/// <summary>The naming convention for traits named from field names.</summary>
public enum TraitNaming
{
    CamelCase,
    SnakeCase,
}

/// <summary>What the sync does with records deleted in Salesforce.</summary>
public enum DeletePolicy
{
    /// <summary>Count and show them; send nothing.</summary>
    Report,

    /// <summary>Send nothing and do not report them.</summary>
    Ignore,

    /// <summary>Send the record's identifiers with <c>{DeletedTrait}: true</c>.</summary>
    SendTrait,
}

/// <summary>One trait: from a model field (<see cref="Field"/>) or a static value (<see cref="StaticValue"/>).</summary>
public sealed record TraitMapping(string Trait, string? Field, string? StaticValue = null);
