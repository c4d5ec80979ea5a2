namespace UnifyAdmin.Demo.Segment;

/// <summary>A message the demo received, as the control API lists it.</summary>
public sealed record SegmentDemoMessage(
    long Sequence,
    string SpaceId,
    string Type,
    string? MessageId,
    string? UserId,
    string? AnonymousId,
    string? GroupId,
    DateTimeOffset ReceivedAt,
    string? DroppedReason,
    string Json);

/// <summary>
/// Responses to inject: <c>Kind</c> is <c>"429"</c> (with <c>RetryAfterSeconds</c>), <c>"500"</c>, <c>"400"</c>,
/// <c>"408"</c>, <c>"413"</c>, <c>"html"</c> (200 with a body that is not JSON) or <c>"delay"</c>
/// (<c>DelayMs</c>, then the request is served normally); <c>Target</c> is
/// <c>"tracking"</c> or <c>"profiles"</c>.
/// </summary>
public sealed record SegmentDemoFault(string Kind, int Count = 1, int RetryAfterSeconds = 1, int DelayMs = 0, string Target = "tracking");

/// <summary>Profile and message counts of one space; a crash test compares received with dropped without keeping every message.</summary>
public sealed record SegmentDemoSpaceSummary(string Id, string Name, int Users, int Accounts, long MessagesReceived, long MessagesDropped, long DuplicatesDropped);
