using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace UnifyAdmin.Demo.Salesforce;

/// <summary>JSON control API for tests: change records and schema, expire tokens, spend the allowance, inject faults.</summary>
internal static class DemoControlEndpoints
{
    public static void Map(RouteGroupBuilder control)
    {
        control.MapPost("/reset", Handle((org, _) => org.Reset()));
        control.MapPost("/records/{object}", async ctx =>
        {
            await Run(ctx, async org =>
            {
                var id = org.Insert(Route(ctx, "object"), await ReadFieldsAsync(ctx));
                await DemoJson.WriteAsync(ctx, 201, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("id", id);
                    w.WriteBoolean("success", true);
                    w.WriteEndObject();
                });
            });
        });
        control.MapPatch("/records/{object}/{id}", HandleAsync(async (org, ctx) =>
        {
            org.Update(Route(ctx, "object"), Route(ctx, "id"), await ReadFieldsAsync(ctx));
        }));
        control.MapDelete("/records/{object}/{id}", Handle((org, ctx) =>
        {
            if (ctx.Request.Query["hard"] == "true")
            {
                org.HardDelete(Route(ctx, "object"), Route(ctx, "id"));
            }
            else
            {
                org.SoftDelete(Route(ctx, "object"), Route(ctx, "id"));
            }
        }));
        control.MapGet("/records/{object}/index/{index:long}", async ctx =>
        {
            await Run(ctx, org =>
            {
                var id = org.RecordId(Route(ctx, "object"), long.Parse(Route(ctx, "index"), System.Globalization.CultureInfo.InvariantCulture));
                return DemoJson.WriteAsync(ctx, 200, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("id", id);
                    w.WriteEndObject();
                });
            });
        });
        control.MapPost("/schema/{object}/fields", HandleAsync(async (org, ctx) =>
        {
            using var body = await ReadBodyAsync(ctx);
            var root = body.RootElement;
            org.AddField(Route(ctx, "object"), new DemoFieldDefinition(
                Text(root, "name") ?? throw Invalid("name is required"),
                Text(root, "type") ?? throw Invalid("type is required"),
                Text(root, "label"),
                root.TryGetProperty("length", out var length) && length.ValueKind == JsonValueKind.Number ? length.GetInt32() : null,
                root.TryGetProperty("picklistValues", out var values) && values.ValueKind == JsonValueKind.Array
                    ? values.EnumerateArray().Select(v => v.GetString() ?? "").ToList()
                    : null,
                Text(root, "referenceTo"),
                Text(root, "relationshipName")));
        }));
        control.MapDelete("/schema/{object}/fields/{field}", Handle((org, ctx) =>
        {
            org.RemoveField(Route(ctx, "object"), Route(ctx, "field"));
        }));
        control.MapPut("/schema/{object}/fields/{field}/type", HandleAsync(async (org, ctx) =>
        {
            using var body = await ReadBodyAsync(ctx);
            org.RetypeField(Route(ctx, "object"), Route(ctx, "field"), Text(body.RootElement, "type") ?? throw Invalid("type is required"));
        }));
        control.MapPost("/tokens/expire-access", Handle((org, _) => org.ExpireAccessTokens()));
        control.MapPost("/tokens/expire-refresh", Handle((org, _) => org.ExpireRefreshTokens()));
        control.MapGet("/limits", async ctx => await Run(ctx, org => DemoJson.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("max", org.Options.DailyApiLimit);
            w.WriteNumber("used", org.ApiCallsUsed);
            w.WriteNumber("remaining", org.ApiCallsRemaining);
            w.WriteEndObject();
        })));
        control.MapPut("/limits", HandleAsync(async (org, ctx) =>
        {
            using var body = await ReadBodyAsync(ctx);
            if (!body.RootElement.TryGetProperty("remaining", out var remaining) || !remaining.TryGetInt64(out var value))
            {
                throw Invalid("remaining (a whole number) is required");
            }

            org.SetRemainingApiCalls(value);
        }));
        control.MapPut("/api-enabled", HandleAsync(async (org, ctx) =>
        {
            using var body = await ReadBodyAsync(ctx);
            if (!body.RootElement.TryGetProperty("enabled", out var enabled) || enabled.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw Invalid("enabled (true or false) is required");
            }

            org.SetApiEnabled(enabled.GetBoolean());
        }));
        control.MapPost("/faults", HandleAsync(async (org, ctx) =>
        {
            using var body = await ReadBodyAsync(ctx);
            var root = body.RootElement;
            if (root.TryGetProperty("statusCode", out var status))
            {
                var count = root.TryGetProperty("count", out var n) ? n.GetInt32() : 1;
                org.InjectFaults(status.GetInt32(), count);
            }

            if (root.TryGetProperty("delayMs", out var delay))
            {
                org.SetResponseDelay(TimeSpan.FromMilliseconds(delay.GetInt32()));
            }

        }));
        control.MapDelete("/faults", Handle((org, _) => org.ClearFaults()));
    }

    private static string Route(HttpContext ctx, string name) => ctx.GetRouteValue(name) as string ?? "";

    private static DemoOrgException Invalid(string message) => new(400, "JSON_PARSER_ERROR", message);

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<JsonDocument> ReadBodyAsync(HttpContext ctx)
    {
        try
        {
            var document = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw Invalid("The body must be a JSON object");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw Invalid("The body is not valid JSON: " + e.Message);
        }
    }

    private static async Task<IReadOnlyDictionary<string, object?>> ReadFieldsAsync(HttpContext ctx)
    {
        using var body = await ReadBodyAsync(ctx);
        // Clone, because the values outlive the document.
        return body.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.OrdinalIgnoreCase);
    }

    private static RequestDelegate Handle(Action<SalesforceDemoOrg, HttpContext> action) => ctx => Run(ctx, org =>
    {
        action(org, ctx);
        ctx.Response.StatusCode = 204;
        return Task.CompletedTask;
    });

    private static RequestDelegate HandleAsync(Func<SalesforceDemoOrg, HttpContext, Task> action) => ctx => Run(ctx, async org =>
    {
        await action(org, ctx);
        ctx.Response.StatusCode = 204;
    });

    private static async Task Run(HttpContext ctx, Func<SalesforceDemoOrg, Task> action)
    {
        try
        {
            await action(ctx.RequestServices.GetRequiredService<SalesforceDemoOrg>());
        }
        catch (DemoOrgException e)
        {
            await DemoJson.WriteErrorAsync(ctx, e.StatusCode, e.ErrorCode, e.Message);
        }
    }
}
