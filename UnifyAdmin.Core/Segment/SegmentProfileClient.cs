using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Core.Segment;

/// <summary>
/// Reads profiles back through the Profile API (traits, external ids, metadata; users and
/// accounts). A missing profile is null, never an exception; a rejected token is a
/// <see cref="SegmentProfileAuthException"/>; 429 waits per Retry-After a bounded number of times.
/// </summary>
public sealed class SegmentProfileClient(
    HttpClient http,
    SegmentTrackingClient tracking,
    IOptions<SegmentOptions> options,
    TimeProvider time,
    SegmentMetrics metrics)
{
    private readonly SegmentOptions settings = options.Value;

    /// <summary>One page of traits; null when the profile does not exist.</summary>
    public async Task<SegmentTraitsPage?> GetTraitsPageAsync(
        SegmentProfileSpace space, SegmentProfileId id, int limit = 100, string? next = null, CancellationToken cancellationToken = default)
    {
        using var document = await GetAsync(space, id, "traits", limit, next, cancellationToken);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        var traits = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root.TryGetProperty("traits", out var traitsElement) && traitsElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in traitsElement.Clone().EnumerateObject())
            {
                traits[property.Name] = property.Value;
            }
        }

        return new SegmentTraitsPage(traits, ReadCursor(root, limit));
    }

    /// <summary>All traits, following the cursor; null when the profile does not exist.</summary>
    public async Task<IReadOnlyDictionary<string, JsonElement>?> GetAllTraitsAsync(
        SegmentProfileSpace space, SegmentProfileId id, CancellationToken cancellationToken = default)
    {
        var all = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        string? next = null;
        do
        {
            var page = await GetTraitsPageAsync(space, id, 200, next, cancellationToken);
            if (page is null)
            {
                return null;
            }

            foreach (var (name, value) in page.Traits)
            {
                all[name] = value;
            }

            next = page.Cursor.HasMore && !string.IsNullOrEmpty(page.Cursor.Next) ? page.Cursor.Next : null;
        }
        while (next is not null);
        return all;
    }

    /// <summary>One page of a profile's identifiers; null when the profile does not exist.</summary>
    public async Task<SegmentExternalIdsPage?> GetExternalIdsPageAsync(
        SegmentProfileSpace space, SegmentProfileId id, int limit = 100, string? next = null, CancellationToken cancellationToken = default)
    {
        using var document = await GetAsync(space, id, "external_ids", limit, next, cancellationToken);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        var data = new List<SegmentProfileExternalId>();
        if (root.TryGetProperty("data", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                data.Add(new SegmentProfileExternalId(
                    String(item, "id") ?? string.Empty,
                    String(item, "type") ?? string.Empty,
                    String(item, "source_id"),
                    String(item, "collection"),
                    Date(item, "created_at"),
                    String(item, "encoding")));
            }
        }

        return new SegmentExternalIdsPage(data, ReadCursor(root, limit));
    }

    /// <summary>All identifiers, following the cursor; null when the profile does not exist.</summary>
    public async Task<IReadOnlyList<SegmentProfileExternalId>?> GetAllExternalIdsAsync(
        SegmentProfileSpace space, SegmentProfileId id, CancellationToken cancellationToken = default)
    {
        var all = new List<SegmentProfileExternalId>();
        string? next = null;
        do
        {
            var page = await GetExternalIdsPageAsync(space, id, 100, next, cancellationToken);
            if (page is null)
            {
                return null;
            }

            all.AddRange(page.Data);
            next = page.Cursor.HasMore && !string.IsNullOrEmpty(page.Cursor.Next) ? page.Cursor.Next : null;
        }
        while (next is not null);
        return all;
    }

    /// <summary>The profile's metadata; null when the profile does not exist.</summary>
    public async Task<SegmentProfileMetadata?> GetMetadataAsync(
        SegmentProfileSpace space, SegmentProfileId id, CancellationToken cancellationToken = default)
    {
        using var document = await GetAsync(space, id, "metadata", null, null, cancellationToken);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        var metadata = root.TryGetProperty("metadata", out var wrapped) && wrapped.ValueKind == JsonValueKind.Object ? wrapped : root;
        return new SegmentProfileMetadata(
            Date(metadata, "created_at"),
            Date(metadata, "updated_at"),
            Date(metadata, "first_message_at"),
            Date(metadata, "last_message_at"),
            String(metadata, "last_source_id"),
            String(metadata, "last_message_id"),
            String(metadata, "segment_id"));
    }

    /// <summary>
    /// The destination page's check. Tracking: an empty batch (a valid request that writes
    /// nothing) must get an HTTP answer; 401/403 means the write key was refused. Profile API (when
    /// a token is given): reading the traits of a profile id that cannot exist must answer 404 or
    /// 200, not 401/403. No profile is changed either way.
    /// </summary>
    public async Task<SegmentConnectionTestResult> TestConnectionAsync(
        SegmentEndpoints endpoints, string writeKey, string? spaceId, string? accessToken, CancellationToken cancellationToken = default)
    {
        var (status, error) = await tracking.ProbeAsync(endpoints.Tracking, writeKey, cancellationToken);
        if (status is null)
        {
            return new SegmentConnectionTestResult(false, false, null, $"The tracking endpoint {endpoints.Tracking} did not answer: {error}");
        }

        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return new SegmentConnectionTestResult(false, true, null, $"The tracking endpoint answered but rejected the write key ({(int)status}).");
        }

        if ((int)status >= 500)
        {
            return new SegmentConnectionTestResult(false, true, null, $"The tracking endpoint answered {(int)status}; try again later.");
        }

        if (string.IsNullOrEmpty(accessToken) || string.IsNullOrEmpty(spaceId))
        {
            return new SegmentConnectionTestResult(true, true, null, "The tracking endpoint answered. No Profile API token was given, so read-back is not checked.");
        }

        try
        {
            var probe = SegmentProfileId.UserId("unifyadmin-connection-test-" + Guid.NewGuid().ToString("N"));
            await GetTraitsPageAsync(new SegmentProfileSpace(endpoints.Profiles, spaceId, accessToken), probe, 1, null, cancellationToken);
            return new SegmentConnectionTestResult(true, true, true, "The tracking endpoint answered and the Profile API accepted the access token.");
        }
        catch (SegmentProfileAuthException ex)
        {
            return new SegmentConnectionTestResult(false, true, false, ex.Message);
        }
        catch (SegmentProfileRateLimitedException)
        {
            return new SegmentConnectionTestResult(false, true, null, $"The Profile API at {endpoints.Profiles} is rate limiting this space (429); try again in a minute.");
        }
        catch (SegmentProfileApiException ex)
        {
            return new SegmentConnectionTestResult(false, true, null, ex.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = ex is OperationCanceledException ? $"no answer within {settings.RequestTimeout.TotalSeconds:N0} s" : ex.Message;
            return new SegmentConnectionTestResult(false, true, null, $"The Profile API at {endpoints.Profiles} did not answer: {reason}");
        }
    }

    private async Task<JsonDocument?> GetAsync(
        SegmentProfileSpace space, SegmentProfileId id, string facet, int? limit, string? next, CancellationToken cancellationToken)
    {
        var path = $"v1/spaces/{Uri.EscapeDataString(space.SpaceId)}/collections/{id.Collection}/profiles/{id.Type}:{Uri.EscapeDataString(id.Value)}/{facet}";
        var query = new List<string>();
        if (limit is not null)
        {
            query.Add("limit=" + limit.Value.ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(next))
        {
            query.Add("next=" + Uri.EscapeDataString(next));
        }

        var uri = SegmentEndpoints.Combine(space.BaseUrl, query.Count > 0 ? path + "?" + string.Join('&', query) : path);
        var authorization = SegmentTrackingClient.BasicAuthorization(space.AccessToken);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Authorization = authorization;
            // On the app's clock, so tests move time instead of waiting for it.
            using var deadline = new CancellationTokenSource(settings.RequestTimeout, time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            metrics.Call((int)response.StatusCode);
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotFound:
                    return null;
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    throw new SegmentProfileAuthException(response.StatusCode);
                case HttpStatusCode.TooManyRequests:
                    if (attempt >= settings.ProfileApiMaxAttempts)
                    {
                        throw new SegmentProfileRateLimitedException(attempt);
                    }

                    var wait = RetryAfter.Read(response, time) ?? TimeSpan.FromSeconds(1);
                    if (wait > settings.MaxRetryAfter)
                    {
                        throw new SegmentProfileRateLimitedException(attempt);
                    }

                    metrics.Retry();
                    await Task.Delay(wait, time, cancellationToken);
                    continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SegmentProfileApiException(response.StatusCode, $"The Profile API answered {(int)response.StatusCode} {response.ReasonPhrase} for {id.Collection} {id.Type} {facet}.");
            }

            try
            {
                // The body is read under the same timeout as the headers.
                await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
                return await JsonDocument.ParseAsync(stream, cancellationToken: timeout.Token);
            }
            catch (JsonException ex)
            {
                throw new SegmentProfileApiException(response.StatusCode, $"The Profile API at {space.BaseUrl} answered {(int)response.StatusCode} with a body that is not JSON; check the Profile API URL.", ex);
            }
        }
    }

    private static SegmentCursor ReadCursor(JsonElement root, int? requestedLimit)
    {
        if (!root.TryGetProperty("cursor", out var cursor) || cursor.ValueKind != JsonValueKind.Object)
        {
            return new SegmentCursor(null, false, null, requestedLimit ?? 0);
        }

        var hasMore = cursor.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True;
        var limit = cursor.TryGetProperty("limit", out var l) && l.TryGetInt32(out var value) ? value : requestedLimit ?? 0;
        return new SegmentCursor(String(cursor, "url"), hasMore, String(cursor, "next"), limit);
    }

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Date(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var date) ? date : null;
}
