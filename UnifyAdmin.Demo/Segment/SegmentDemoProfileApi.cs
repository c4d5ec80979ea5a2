using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace UnifyAdmin.Demo.Segment;

/// <summary>
/// The demo Profile API: traits, external_ids and metadata of user and account profiles,
/// Basic auth with the space's access token, 100 requests per second per space, and a spaces list.
/// </summary>
internal static class SegmentDemoProfileApi
{
    public static async Task SpacesAsync(HttpContext context, SegmentDemoWorkspace workspace)
    {
        var space = Token(context.Request) is { } token ? workspace.FindByToken(token) : null;
        if (space is null)
        {
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthorized", "The access token is missing or invalid.");
            return;
        }

        await WriteAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            writer.WriteStartObject();
            writer.WriteString("id", space.Id);
            writer.WriteString("name", space.Name);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    public static async Task ProfileAsync(
        HttpContext context, SegmentDemoWorkspace workspace, string spaceId, string collection, string profileId, string facet)
    {
        if (await SegmentDemoFaults.ApplyAsync(context, workspace, "profiles"))
        {
            return;
        }

        var token = Token(context.Request);
        var space = workspace.FindById(spaceId);
        if (token is null || workspace.FindByToken(token) is null)
        {
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthorized", "The access token is missing or invalid.");
            return;
        }

        if (space is null || space.AccessToken != token)
        {
            await ErrorAsync(context, StatusCodes.Status403Forbidden, "forbidden", "The access token cannot read this space.");
            return;
        }

        if (!space.TryTakeProfileRequest(workspace.Time.GetUtcNow()))
        {
            context.Response.Headers.RetryAfter = "1";
            await ErrorAsync(context, StatusCodes.Status429TooManyRequests, "too_many_requests", "Rate limit exceeded: 100 requests per second per space.");
            return;
        }

        var colon = profileId.IndexOf(':');
        if (colon <= 0 || facet is not ("traits" or "external_ids" or "metadata") || collection is not ("users" or "accounts"))
        {
            await NotFoundAsync(context);
            return;
        }

        var type = profileId[..colon];
        var value = profileId[(colon + 1)..];
        var limit = ReadLimit(context.Request, facet == "traits" ? 10 : 25, facet == "traits" ? 200 : 100);
        var next = context.Request.Query["next"].ToString();
        var url = context.Request.Path.ToString() + context.Request.QueryString;
        ArrayBufferWriter<byte>? body = new();
        lock (space.Store.Gate)
        {
            var profile = space.Store.Find(collection, type, value);
            if (profile is null)
            {
                body = null;
            }
            else
            {
                using var writer = new Utf8JsonWriter(body);
                switch (facet)
                {
                    case "traits":
                        WriteTraits(writer, profile, limit, next, url);
                        break;
                    case "external_ids":
                        WriteExternalIds(writer, profile, collection, space.SourceId, limit, next, url);
                        break;
                    default:
                        WriteMetadata(writer, profile, space.SourceId);
                        break;
                }
            }
        }

        if (body is null)
        {
            await NotFoundAsync(context);
            return;
        }

        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.WrittenCount;
        await context.Response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }

    private static void WriteTraits(Utf8JsonWriter writer, DemoProfile profile, int limit, string next, string url)
    {
        var names = profile.Traits.Keys.Order(StringComparer.Ordinal).ToList();
        var start = string.IsNullOrEmpty(next) ? 0 : names.FindIndex(n => string.CompareOrdinal(n, next) >= 0);
        if (start < 0)
        {
            start = names.Count;
        }

        var end = Math.Min(names.Count, start + limit);
        writer.WriteStartObject();
        writer.WriteStartObject("traits");
        for (var i = start; i < end; i++)
        {
            writer.WritePropertyName(names[i]);
            profile.Traits[names[i]].Value.WriteTo(writer);
        }

        writer.WriteEndObject();
        WriteCursor(writer, url, end < names.Count, end < names.Count ? names[end] : string.Empty, limit);
        writer.WriteEndObject();
    }

    private static void WriteExternalIds(Utf8JsonWriter writer, DemoProfile profile, string collection, string sourceId, int limit, string next, string url)
    {
        // Newest first, as Segment lists them; the cursor is the offset of the next page.
        var start = int.TryParse(next, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : 0;
        var count = profile.Identifiers.Count;
        var end = Math.Min(count, start + limit);
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        for (var i = start; i < end; i++)
        {
            var identifier = profile.Identifiers[count - 1 - i];
            writer.WriteStartObject();
            writer.WriteString("id", identifier.Value);
            writer.WriteString("type", identifier.Type);
            writer.WriteString("source_id", sourceId);
            writer.WriteString("collection", collection);
            writer.WriteString("created_at", identifier.CreatedAt.UtcDateTime);
            writer.WriteString("encoding", "none");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteCursor(writer, url, end < count, end < count ? end.ToString(CultureInfo.InvariantCulture) : string.Empty, limit);
        writer.WriteEndObject();
    }

    private static void WriteMetadata(Utf8JsonWriter writer, DemoProfile profile, string sourceId)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("metadata");
        writer.WriteString("segment_id", profile.SegmentId);
        writer.WriteString("created_at", profile.CreatedAt.UtcDateTime);
        writer.WriteString("updated_at", profile.UpdatedAt.UtcDateTime);
        writer.WriteNull("expires_at");
        writer.WriteString("first_message_at", profile.FirstMessageAt.UtcDateTime);
        writer.WriteString("last_message_at", profile.LastMessageAt.UtcDateTime);
        writer.WriteString("last_source_id", sourceId);
        writer.WriteString("last_message_id", profile.LastMessageId);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteCursor(Utf8JsonWriter writer, string url, bool hasMore, string next, int limit)
    {
        writer.WriteStartObject("cursor");
        writer.WriteString("url", url);
        writer.WriteBoolean("has_more", hasMore);
        writer.WriteString("next", next);
        writer.WriteNumber("limit", limit);
        writer.WriteEndObject();
    }

    private static int ReadLimit(HttpRequest request, int fallback, int max)
        => int.TryParse(request.Query["limit"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0
            ? Math.Min(limit, max)
            : fallback;

    private static string? Token(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return AuthenticationHeaderValue.TryParse(header, out var value) && string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            ? SegmentDemoTrackingApi.DecodeBasicUser(value.Parameter)
            : null;
    }

    private static Task NotFoundAsync(HttpContext context)
        => ErrorAsync(context, StatusCodes.Status404NotFound, "not_found", "Profile was not found.");

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return WriteAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    private static Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return SegmentDemoTrackingApi.WriteJsonAsync(context, buffer.WrittenSpan.ToArray());
    }
}
