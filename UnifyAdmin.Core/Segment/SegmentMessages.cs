namespace UnifyAdmin.Core.Segment;

/// <summary>The library that sent a message, written to <c>context.library</c>.</summary>
public sealed record SegmentLibrary(string Name, string Version);

/// <summary>A custom identifier written to <c>context.externalIds</c> for identity resolution.</summary>
public sealed record SegmentExternalIdentifier(string Id, string Type, string Collection = "users", string Encoding = "none");

/// <summary>Per-message context beyond the library, which the batcher adds itself.</summary>
public sealed record SegmentContext(IReadOnlyList<SegmentExternalIdentifier>? ExternalIds = null);

/// <summary>
/// A profile message for a Segment Profiles space. <c>MessageId</c> is chosen by the caller
/// (deterministic per record version, so that re-sends are deduplicated); <c>RecordKey</c> never
/// leaves the process and only labels failures.
/// </summary>
public abstract record SegmentMessage(
    string MessageId,
    string? UserId,
    string? AnonymousId,
    IReadOnlyDictionary<string, object?>? Traits,
    DateTimeOffset Timestamp,
    SegmentContext? Context,
    string? RecordKey)
{
    /// <summary>The wire value of <c>type</c>.</summary>
    public abstract string Type { get; }
}

/// <summary>An Identify call: traits of a user profile.</summary>
public sealed record IdentifyMessage(
    string MessageId,
    string? UserId,
    string? AnonymousId,
    IReadOnlyDictionary<string, object?>? Traits,
    DateTimeOffset Timestamp,
    SegmentContext? Context = null,
    string? RecordKey = null)
    : SegmentMessage(MessageId, UserId, AnonymousId, Traits, Timestamp, Context, RecordKey)
{
    public override string Type => "identify";
}

/// <summary>A Group call: traits of an account profile, linked to a user.</summary>
public sealed record GroupMessage(
    string MessageId,
    string GroupId,
    string? UserId,
    string? AnonymousId,
    IReadOnlyDictionary<string, object?>? Traits,
    DateTimeOffset Timestamp,
    SegmentContext? Context = null,
    string? RecordKey = null)
    : SegmentMessage(MessageId, UserId, AnonymousId, Traits, Timestamp, Context, RecordKey)
{
    public override string Type => "group";
}

/// <summary>A message that was not accepted, with the reason a person can act on.</summary>
public sealed record SegmentFailure(string MessageId, string? RecordKey, string Reason);

/// <summary>Outcome of a send: every message is either accepted or failed, none is dropped silently.</summary>
public sealed record SegmentSendResult(IReadOnlyList<string> Accepted, IReadOnlyList<SegmentFailure> Failed)
{
    public static readonly SegmentSendResult Empty = new([], []);

    public static SegmentSendResult Combine(IEnumerable<SegmentSendResult> results)
    {
        var accepted = new List<string>();
        var failed = new List<SegmentFailure>();
        foreach (var result in results)
        {
            accepted.AddRange(result.Accepted);
            failed.AddRange(result.Failed);
        }

        return new SegmentSendResult(accepted, failed);
    }
}
