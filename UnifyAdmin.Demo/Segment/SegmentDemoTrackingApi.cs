using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace UnifyAdmin.Demo.Segment;

/// <summary>
/// The demo Tracking API: <c>/v1/identify</c>, <c>/v1/group</c>, <c>/v1/batch</c> and its alias
/// <c>/v1/import</c>, with Segment's auth, limits and status codes.
/// </summary>
internal static class SegmentDemoTrackingApi
{
    private const string DuplicateMessageId = "Duplicate messageId.";

    private static ReadOnlySpan<byte> SuccessBody => "{\"success\":true}"u8;

    public static async Task HandleAsync(HttpContext context, SegmentDemoWorkspace workspace, string endpoint)
    {
        if (await SegmentDemoFaults.ApplyAsync(context, workspace, "tracking"))
        {
            return;
        }

        var (buffer, length) = await ReadBodyAsync(context.Request, SegmentLimits.MaxRequestBytes);
        try
        {
            if (length > SegmentLimits.MaxRequestBytes)
            {
                await InvalidAsync(context, "Request body is larger than the 500 KB limit.");
                return;
            }

            if (endpoint != "batch" && length > SegmentLimits.MaxMessageBytes)
            {
                await InvalidAsync(context, "Message is larger than the 32 KB limit.");
                return;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(buffer.AsMemory(0, length));
            }
            catch (JsonException)
            {
                await InvalidAsync(context, "Invalid JSON.");
                return;
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    await InvalidAsync(context, "The body must be a JSON object.");
                    return;
                }

                var space = Authenticate(context.Request, root, workspace);
                if (space is null)
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    await WriteJsonAsync(context, "{\"success\":false,\"message\":\"Invalid write key.\",\"code\":\"invalid_write_key\"}"u8.ToArray());
                    return;
                }

                if (endpoint == "batch")
                {
                    if (!root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
                    {
                        await InvalidAsync(context, "The body must carry a \"batch\" array.");
                        return;
                    }

                    Ingest(workspace, space, batch.EnumerateArray(), null);
                }
                else
                {
                    Ingest(workspace, space, [root], endpoint);
                }
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            await WriteJsonAsync(context, SuccessBody.ToArray());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static void Ingest(SegmentDemoWorkspace workspace, DemoSpace space, IEnumerable<JsonElement> messages, string? defaultType)
    {
        var now = workspace.Time.GetUtcNow();
        var store = space.Store;
        lock (store.Gate)
        {
            foreach (var message in messages)
            {
                space.MessagesReceived++;
                IngestOne(workspace, space, message, defaultType, now);
            }
        }
    }

    private static void IngestOne(SegmentDemoWorkspace workspace, DemoSpace space, JsonElement message, string? defaultType, DateTimeOffset now)
    {
        var raw = message.ValueKind == JsonValueKind.Object ? JsonMarshal.GetRawUtf8Value(message) : default;
        if (message.ValueKind != JsonValueKind.Object)
        {
            space.MessagesDropped++;
            workspace.Record(space, "unknown", null, null, null, null, now, "The batch item is not a JSON object.", JsonMarshal.GetRawUtf8Value(message));
            return;
        }

        var type = Text(message, "type") ?? defaultType ?? "unknown";
        var userId = Id(message, "userId");
        var anonymousId = Id(message, "anonymousId");
        var groupId = type == "group" ? Id(message, "groupId") : null;
        message.TryGetProperty("messageId", out var messageIdElement);
        var messageId = messageIdElement.ValueKind == JsonValueKind.String ? messageIdElement.GetString() : null;
        var traits = message.TryGetProperty("traits", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;

        var dropped = Check(space, message, raw, type, userId, anonymousId, groupId, messageIdElement, traits, now);
        if (dropped is not null)
        {
            space.MessagesDropped++;
            space.DuplicatesDropped += dropped == DuplicateMessageId ? 1 : 0;
        }

        workspace.Record(space, type, messageId, userId, anonymousId, groupId, now, dropped, raw);
        if (dropped is not null || type is not ("identify" or "group"))
        {
            return;
        }

        var ticks = message.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.String && ts.TryGetDateTimeOffset(out var timestamp)
            ? timestamp.UtcTicks
            : now.UtcTicks;
        var identifiers = new List<IdentityKey>(4);
        if (userId is not null)
        {
            identifiers.Add(new IdentityKey("user_id", userId));
        }

        if (type == "identify" && traits.ValueKind == JsonValueKind.Object
            && traits.TryGetProperty("email", out var email) && email.ValueKind == JsonValueKind.String
            && email.GetString() is { Length: > 0 } address)
        {
            identifiers.Add(new IdentityKey("email", address.Trim().ToLowerInvariant()));
        }

        if (anonymousId is not null)
        {
            identifiers.Add(new IdentityKey("anonymous_id", anonymousId));
        }

        AddExternalIds(message, identifiers);
        SortByPriority(identifiers);

        var clonedTraits = traits.ValueKind == JsonValueKind.Object ? traits.Clone() : (JsonElement?)null;
        if (type == "identify")
        {
            space.Store.ApplyUser(new DemoInbound(messageId, identifiers, clonedTraits, ticks, now));
        }
        else
        {
            // The user side of a group call only makes sure the user exists; traits belong to the account.
            space.Store.ApplyUser(new DemoInbound(messageId, identifiers, null, ticks, now));
            space.Store.ApplyAccount(groupId!, new DemoInbound(messageId, [new IdentityKey("group_id", groupId!)], clonedTraits, ticks, now));
        }
    }

    private static string? Check(
        DemoSpace space, JsonElement message, ReadOnlySpan<byte> raw, string type, string? userId, string? anonymousId,
        string? groupId, JsonElement messageId, JsonElement traits, DateTimeOffset now)
    {
        if (raw.Length > SegmentLimits.MaxMessageBytes)
        {
            return $"Message is {raw.Length} bytes, over the 32 KB limit.";
        }

        if (userId is null && anonymousId is null)
        {
            return "Neither userId nor anonymousId is set.";
        }

        if (type == "group" && groupId is null)
        {
            return "groupId is required for a group call.";
        }

        if (traits.ValueKind == JsonValueKind.Object && type == "identify")
        {
            var count = 0;
            foreach (var unused in traits.EnumerateObject())
            {
                count++;
            }

            if (count >= SegmentLimits.DroppedTraitCount)
            {
                return $"Identify has {count} traits; {SegmentLimits.DroppedTraitCount} or more are dropped.";
            }
        }

        if (messageId.ValueKind == JsonValueKind.String && !space.FirstSighting(JsonMarshal.GetRawUtf8Value(messageId), now.UtcTicks))
        {
            return DuplicateMessageId;
        }

        return null;
    }

    private static void AddExternalIds(JsonElement message, List<IdentityKey> identifiers)
    {
        if (!message.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object
            || !context.TryGetProperty("externalIds", out var externalIds) || externalIds.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var item in externalIds.EnumerateArray())
        {
            var id = Id(item, "id");
            var type = Text(item, "type");
            var collection = Text(item, "collection") ?? "users";
            if (id is null || string.IsNullOrEmpty(type) || collection != "users")
            {
                continue;
            }

            // External id values are matched lower-case; user_id and anonymous_id keep their case.
            var key = type is "user_id" or "anonymous_id" ? new IdentityKey(type, id) : new IdentityKey(type, id.ToLowerInvariant());
            if (!identifiers.Contains(key))
            {
                identifiers.Add(key);
            }
        }
    }

    private static void SortByPriority(List<IdentityKey> identifiers)
    {
        // Stable insertion sort: lists are tiny and message order decides within a priority.
        for (var i = 1; i < identifiers.Count; i++)
        {
            var item = identifiers[i];
            var j = i - 1;
            while (j >= 0 && DemoProfileStore.Priority(identifiers[j].Type) > DemoProfileStore.Priority(item.Type))
            {
                identifiers[j + 1] = identifiers[j];
                j--;
            }

            identifiers[j + 1] = item;
        }
    }

    private static DemoSpace? Authenticate(HttpRequest request, JsonElement root, SegmentDemoWorkspace workspace)
    {
        var header = request.Headers.Authorization.ToString();
        if (AuthenticationHeaderValue.TryParse(header, out var value)
            && string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            && DecodeBasicUser(value.Parameter) is { } user)
        {
            return workspace.FindByWriteKey(user);
        }

        return Text(root, "writeKey") is { } writeKey ? workspace.FindByWriteKey(writeKey) : null;
    }

    /// <summary>The user name of a Basic credential (the part before the colon).</summary>
    internal static string? DecodeBasicUser(string? parameter)
    {
        if (string.IsNullOrEmpty(parameter))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
            var colon = decoded.IndexOf(':');
            return colon >= 0 ? decoded[..colon] : decoded;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Ids may arrive as numbers; Segment keeps them as their text.</summary>
    private static string? Id(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpRequest request, int limit)
    {
        // Read the whole body even when it is too large, so the client sees the 400 rather than a reset connection.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 16 * 1024, limit) + 1);
        var length = 0;
        var total = 0;
        while (true)
        {
            if (length == buffer.Length && length <= limit)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }

            var read = length < buffer.Length
                ? await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted)
                : await request.Body.ReadAsync(new byte[16 * 1024], request.HttpContext.RequestAborted);
            if (read == 0)
            {
                break;
            }

            total += read;
            if (length < buffer.Length)
            {
                length += read;
            }
        }

        return (buffer, total > limit ? total : length);
    }

    private static Task InvalidAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["success"] = false, ["message"] = message, ["code"] = "invalid_request" });
        return WriteJsonAsync(context, body);
    }

    internal static Task WriteJsonAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }
}
