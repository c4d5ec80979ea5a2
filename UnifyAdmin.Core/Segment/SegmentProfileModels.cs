using System.Net;
using System.Text.Json;

namespace UnifyAdmin.Core.Segment;

/// <summary>A profile addressed in the Profile API: collection, identifier type and value.</summary>
public sealed record SegmentProfileId(string Collection, string Type, string Value)
{
    public static SegmentProfileId UserId(string value) => new("users", "user_id", value);

    public static SegmentProfileId AnonymousId(string value) => new("users", "anonymous_id", value);

    public static SegmentProfileId Email(string value) => new("users", "email", value);

    /// <summary>Any identifier of a user profile, e.g. <c>segment_id</c> or a custom external id type.</summary>
    public static SegmentProfileId User(string type, string value) => new("users", type, value);

    public static SegmentProfileId Account(string groupId) => new("accounts", "group_id", groupId);

    public override string ToString() => $"{Type}:{Value}";
}

/// <summary>Where and as whom to read profiles: the Profile API base URL, space id and access token.</summary>
public sealed record SegmentProfileSpace(Uri BaseUrl, string SpaceId, string AccessToken)
{
    // The access token is a secret: keep it out of logs and exception messages that print records.
    public override string ToString() => $"SegmentProfileSpace {{ BaseUrl = {BaseUrl}, SpaceId = {SpaceId} }}";
}

/// <summary>Paging cursor of the Profile API.</summary>
public sealed record SegmentCursor(string? Url, bool HasMore, string? Next, int Limit);

/// <summary>One page of a profile's traits.</summary>
public sealed record SegmentTraitsPage(IReadOnlyDictionary<string, JsonElement> Traits, SegmentCursor Cursor);

/// <summary>An identifier of a profile as the Profile API lists it.</summary>
public sealed record SegmentProfileExternalId(string Id, string Type, string? SourceId, string? Collection, DateTimeOffset? CreatedAt, string? Encoding);

/// <summary>One page of a profile's external ids.</summary>
public sealed record SegmentExternalIdsPage(IReadOnlyList<SegmentProfileExternalId> Data, SegmentCursor Cursor);

/// <summary>Profile metadata: when it was created and last updated, and by which message.</summary>
public sealed record SegmentProfileMetadata(
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? FirstMessageAt,
    DateTimeOffset? LastMessageAt,
    string? LastSourceId,
    string? LastMessageId,
    string? SegmentId = null);

/// <summary>Outcome of the destination page's "Test connection".</summary>
public sealed record SegmentConnectionTestResult(bool Success, bool TrackingReachable, bool? ProfileTokenAccepted, string Message);

/// <summary>A Profile API request failed in a way the caller must see.</summary>
public class SegmentProfileApiException(HttpStatusCode status, string message, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>The Profile API access token was rejected (401/403).</summary>
public sealed class SegmentProfileAuthException(HttpStatusCode status)
    : SegmentProfileApiException(status, $"The Profile API rejected the access token ({(int)status}); check the space's access token and that it can read this space.");

/// <summary>The Profile API kept answering 429 after the allowed number of attempts.</summary>
public sealed class SegmentProfileRateLimitedException(int attempts)
    : SegmentProfileApiException(HttpStatusCode.TooManyRequests, $"The Profile API rate limit (429) persisted after {attempts} attempts.");
