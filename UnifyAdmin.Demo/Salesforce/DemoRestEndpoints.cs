using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using UnifyAdmin.Demo.Salesforce.Soql;

namespace UnifyAdmin.Demo.Salesforce;

/// <summary>The REST API of the demo org under <c>services/data</c>.</summary>
internal static partial class DemoRestEndpoints
{
    private const int DefaultBatchSize = 2000;

    private static readonly (string Version, string Label)[] Versions =
    [
        ("60.0", "Spring '24"), ("61.0", "Summer '24"), ("62.0", "Winter '25"), ("63.0", "Spring '25"),
        ("64.0", "Summer '25"), ("65.0", "Winter '26"), ("66.0", "Spring '26"),
    ];

    [GeneratedRegex(@"^v(?<major>\d{2})\.0$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"batchSize\s*=\s*(?<n>\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex BatchSizePattern();

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/services/data", VersionsAsync);
        group.MapGet("/services/data/{version}", Rest(ResourcesAsync));
        group.MapGet("/services/data/{version}/sobjects", Rest(DescribeGlobalAsync));
        group.MapGet("/services/data/{version}/sobjects/{name}", Rest(ObjectInfoAsync));
        group.MapGet("/services/data/{version}/sobjects/{name}/describe", Rest(DescribeAsync));
        group.MapGet("/services/data/{version}/sobjects/{name}/updated", Rest(UpdatedAsync));
        group.MapGet("/services/data/{version}/sobjects/{name}/deleted", Rest(DeletedAsync));
        group.MapGet("/services/data/{version}/sobjects/{name}/{id}", Rest(RetrieveAsync));
        group.MapGet("/services/data/{version}/query", Rest((ctx, org, v) => QueryAsync(ctx, org, v, includeDeleted: false)));
        group.MapGet("/services/data/{version}/queryAll", Rest((ctx, org, v) => QueryAsync(ctx, org, v, includeDeleted: true)));
        group.MapGet("/services/data/{version}/query/{locator}", Rest((ctx, org, v) => NextPageAsync(ctx, org, v, "query")));
        group.MapGet("/services/data/{version}/queryAll/{locator}", Rest((ctx, org, v) => NextPageAsync(ctx, org, v, "queryAll")));
        group.MapGet("/services/data/{version}/limits", Rest(LimitsAsync));
        group.Map("/services/data/{version}/{**rest}", Rest((ctx, _, _) =>
            DemoJson.WriteErrorAsync(ctx, 404, "NOT_FOUND", "The requested resource does not exist")));
    }

    /// <summary>Faults and the response delay apply to every API response, before anything else is decided.</summary>
    private static async Task<bool> PassFaultsAsync(HttpContext ctx, SalesforceDemoOrg org)
    {
        var delay = org.ResponseDelay;
        if (delay > TimeSpan.Zero)
        {
            org.CountDelayedResponse();
            // Timers may fire a little early; a slow-response fault must be at least as slow as asked.
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            TimeSpan left;
            while ((left = delay - System.Diagnostics.Stopwatch.GetElapsedTime(started)) > TimeSpan.Zero)
            {
                await Task.Delay(left + TimeSpan.FromMilliseconds(1), ctx.RequestAborted);
            }
        }

        if (org.TakeFault() is not { } status)
        {
            return true;
        }

        SetLimitHeader(ctx, org);
        if (status == 503)
        {
            await DemoJson.WriteErrorAsync(ctx, 503, "SERVER_UNAVAILABLE", "Server is temporarily unavailable. Please try again later.");
        }
        else
        {
            await DemoJson.WriteErrorAsync(ctx, status, "UNKNOWN_EXCEPTION",
                "An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)");
        }

        return false;
    }

    private static void SetLimitHeader(HttpContext ctx, SalesforceDemoOrg org) =>
        ctx.Response.Headers["Sforce-Limit-Info"] = $"api-usage={org.ApiCallsUsed}/{org.Options.DailyApiLimit}";

    internal static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        foreach (var scheme in new[] { "Bearer ", "OAuth " })
        {
            if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return header[scheme.Length..].Trim();
            }
        }

        return null;
    }

    private static RequestDelegate Rest(Func<HttpContext, SalesforceDemoOrg, string, Task> handler) => async ctx =>
    {
        var org = ctx.RequestServices.GetRequiredService<SalesforceDemoOrg>();
        if (!await PassFaultsAsync(ctx, org))
        {
            return;
        }

        SetLimitHeader(ctx, org);
        var match = VersionPattern().Match(ctx.GetRouteValue("version") as string ?? "");
        if (!match.Success || int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture) is < 20 or > 66)
        {
            await DemoJson.WriteErrorAsync(ctx, 404, "NOT_FOUND", "The requested resource does not exist");
            return;
        }

        if (org.Tokens.ValidateAccess(BearerToken(ctx.Request)) is null)
        {
            ctx.Response.Headers.WWWAuthenticate = "Token";
            await DemoJson.WriteErrorAsync(ctx, 401, "INVALID_SESSION_ID", "Session expired or invalid");
            return;
        }

        if (!org.ApiEnabled)
        {
            await DemoJson.WriteErrorAsync(ctx, 403, "API_DISABLED_FOR_ORG", "The REST API is not enabled for this Organization.");
            return;
        }

        var allowed = org.TryConsumeApiCall();
        SetLimitHeader(ctx, org);
        if (!allowed)
        {
            await DemoJson.WriteErrorAsync(ctx, 403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
            return;
        }

        try
        {
            await handler(ctx, org, match.Value[1..]);
        }
        catch (SoqlException e)
        {
            await DemoJson.WriteErrorAsync(ctx, 400, e.ErrorCode, e.Message);
        }
    };

    private static Task VersionsAsync(HttpContext ctx) => WithFaults(ctx, () => DemoJson.WriteAsync(ctx, 200, w =>
    {
        w.WriteStartArray();
        foreach (var (version, label) in Versions)
        {
            w.WriteStartObject();
            w.WriteString("label", label);
            w.WriteString("url", $"/services/data/v{version}");
            w.WriteString("version", version);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }));

    private static async Task WithFaults(HttpContext ctx, Func<Task> next)
    {
        var org = ctx.RequestServices.GetRequiredService<SalesforceDemoOrg>();
        if (await PassFaultsAsync(ctx, org))
        {
            SetLimitHeader(ctx, org);
            await next();
        }
    }

    private static Task ResourcesAsync(HttpContext ctx, SalesforceDemoOrg org, string version) => DemoJson.WriteAsync(ctx, 200, w =>
    {
        w.WriteStartObject();
        foreach (var resource in new[] { "sobjects", "query", "queryAll", "limits" })
        {
            w.WriteString(resource, $"/services/data/v{version}/{resource}");
        }

        w.WriteEndObject();
    });

    private static Task LimitsAsync(HttpContext ctx, SalesforceDemoOrg org, string version) => DemoJson.WriteAsync(ctx, 200, w =>
    {
        w.WriteStartObject();
        WriteLimit(w, "ConcurrentAsyncGetReportInstances", 200, 200);
        WriteLimit(w, "DailyApiRequests", org.Options.DailyApiLimit, org.ApiCallsRemaining);
        WriteLimit(w, "DailyAsyncApexExecutions", 250000, 250000);
        WriteLimit(w, "DailyBulkApiBatches", 15000, 15000);
        WriteLimit(w, "DailyBulkV2QueryJobs", 10000, 10000);
        WriteLimit(w, "DailyBulkV2QueryFileStorageMB", 976562, 976562);
        WriteLimit(w, "DataStorageMB", 5, 5);
        w.WriteEndObject();
    });

    private static void WriteLimit(Utf8JsonWriter w, string name, long max, long remaining)
    {
        w.WriteStartObject(name);
        w.WriteNumber("Max", max);
        w.WriteNumber("Remaining", remaining);
        w.WriteEndObject();
    }

    private static ObjectState? FindObject(HttpContext ctx, SalesforceDemoOrg org, out DemoView view)
    {
        view = org.View();
        var name = ctx.GetRouteValue("name") as string ?? "";
        return view.Object(name);
    }

    private static Task NotFoundAsync(HttpContext ctx) =>
        DemoJson.WriteErrorAsync(ctx, 404, "NOT_FOUND", "The requested resource does not exist");

    private static Task DescribeGlobalAsync(HttpContext ctx, SalesforceDemoOrg org, string version) => DemoJson.WriteAsync(ctx, 200, w =>
    {
        w.WriteStartObject();
        w.WriteString("encoding", "UTF-8");
        w.WriteNumber("maxBatchSize", 200);
        w.WriteStartArray("sobjects");
        foreach (var state in org.View().Objects.OrderBy(o => o.Schema.Name, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            WriteObjectProperties(w, state.Schema, version);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void WriteObjectProperties(Utf8JsonWriter w, DemoObject o, string version)
    {
        var data = !o.Noise;
        w.WriteBoolean("activateable", false);
        w.WriteBoolean("createable", data);
        w.WriteBoolean("custom", o.Custom);
        w.WriteBoolean("customSetting", false);
        w.WriteBoolean("deletable", data);
        w.WriteBoolean("deprecatedAndHidden", false);
        w.WriteBoolean("feedEnabled", data && !o.Custom);
        w.WriteString("keyPrefix", o.KeyPrefix);
        w.WriteString("label", o.Label);
        w.WriteString("labelPlural", o.LabelPlural);
        w.WriteBoolean("layoutable", data);
        w.WriteBoolean("mergeable", o.Name is "Account" or "Contact" or "Lead");
        w.WriteString("name", o.Name);
        w.WriteBoolean("queryable", o.Queryable);
        w.WriteBoolean("replicateable", o.Queryable);
        w.WriteBoolean("retrieveable", o.Queryable);
        w.WriteBoolean("searchable", data);
        w.WriteBoolean("triggerable", data);
        w.WriteBoolean("undeletable", data);
        w.WriteBoolean("updateable", data);
        w.WriteStartObject("urls");
        var baseUrl = $"/services/data/v{version}/sobjects/{o.Name}";
        w.WriteString("sobject", baseUrl);
        w.WriteString("describe", baseUrl + "/describe");
        w.WriteString("rowTemplate", baseUrl + "/{ID}");
        w.WriteEndObject();
    }

    private static Task ObjectInfoAsync(HttpContext ctx, SalesforceDemoOrg org, string version)
    {
        if (FindObject(ctx, org, out _) is not { } state)
        {
            return NotFoundAsync(ctx);
        }

        return DemoJson.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("objectDescribe");
            WriteObjectProperties(w, state.Schema, version);
            w.WriteEndObject();
            w.WriteStartArray("recentItems");
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static Task DescribeAsync(HttpContext ctx, SalesforceDemoOrg org, string version)
    {
        if (FindObject(ctx, org, out _) is not { } state)
        {
            return NotFoundAsync(ctx);
        }

        // As Salesforce does: 304 with no body when the metadata has not changed since If-Modified-Since.
        var modified = new DateTimeOffset(org.MetadataModifiedUtc(state.Schema.Name), TimeSpan.Zero);
        ctx.Response.GetTypedHeaders().LastModified = modified;
        if (ctx.Request.GetTypedHeaders().IfModifiedSince is { } since && modified <= since)
        {
            ctx.Response.StatusCode = StatusCodes.Status304NotModified;
            org.CountDescribeNotModified();
            return Task.CompletedTask;
        }

        return DemoJson.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            WriteObjectProperties(w, state.Schema, version);
            w.WriteStartArray("childRelationships");
            w.WriteEndArray();
            w.WriteStartArray("fields");
            foreach (var field in state.Schema.Fields)
            {
                WriteField(w, field);
            }

            w.WriteEndArray();
            w.WriteStartArray("recordTypeInfos");
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static void WriteField(Utf8JsonWriter w, DemoField f)
    {
        var system = f.Generator is "Id" or "IsDeleted" or "CreatedDate" or "SystemModstamp" or "AuditUser" || f.Name is "Name" && f.Generator == "FullName";
        var writable = !system && !f.Calculated && f.Kind != DemoValueKind.Address;
        var (precision, scale) = f.Type switch
        {
            "currency" => (18, 2),
            "percent" => (3, 0),
            "double" when f.Name.EndsWith("itude", StringComparison.Ordinal) => (18, 15),
            "double" => (18, 2),
            _ => (0, 0),
        };
        w.WriteStartObject();
        w.WriteBoolean("aggregatable", f.Kind != DemoValueKind.Address && f.Type != "textarea");
        w.WriteBoolean("autoNumber", false);
        w.WriteNumber("byteLength", f.Kind == DemoValueKind.Text ? f.Length * 3 : 0);
        w.WriteBoolean("calculated", f.Calculated);
        w.WriteString("calculatedFormula", f.Formula);
        w.WriteString("compoundFieldName", f.CompoundFieldName);
        w.WriteBoolean("createable", writable);
        w.WriteBoolean("custom", f.Custom);
        w.WriteNull("defaultValue");
        w.WriteBoolean("defaultedOnCreate", system || f.Kind == DemoValueKind.Boolean);
        w.WriteNumber("digits", f.Type is "int" ? 9 : 0);
        w.WriteBoolean("externalId", f.ExternalId);
        w.WriteBoolean("filterable", f.Kind != DemoValueKind.Address && !(f.Type == "textarea" && f.Length > 255));
        w.WriteBoolean("groupable", f.Kind is DemoValueKind.Text or DemoValueKind.Boolean or DemoValueKind.Date or DemoValueKind.Integer && f.Type != "textarea");
        w.WriteBoolean("idLookup", f.Generator == "Id" || f.Unique || f.ExternalId || f.Type == "email");
        w.WriteString("label", f.Label);
        w.WriteNumber("length", f.Kind == DemoValueKind.Text ? f.Length : 0);
        w.WriteString("name", f.Name);
        w.WriteBoolean("nameField", f.NameField);
        w.WriteBoolean("nillable", f.Nillable);
        w.WriteStartArray("picklistValues");
        foreach (var value in f.PicklistValues)
        {
            w.WriteStartObject();
            w.WriteBoolean("active", true);
            w.WriteBoolean("defaultValue", false);
            w.WriteString("label", value);
            w.WriteNull("validFor");
            w.WriteString("value", value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("precision", precision);
        w.WriteStartArray("referenceTo");
        if (f.ReferenceTo is not null)
        {
            w.WriteStringValue(f.ReferenceTo);
        }

        w.WriteEndArray();
        w.WriteString("relationshipName", f.RelationshipName);
        w.WriteNumber("scale", scale);
        w.WriteString("soapType", f.Type switch
        {
            "id" or "reference" => "tns:ID",
            "boolean" => "xsd:boolean",
            "int" => "xsd:int",
            "long" => "xsd:long",
            "double" or "currency" or "percent" => "xsd:double",
            "date" => "xsd:date",
            "datetime" => "xsd:dateTime",
            "address" => "urn:address",
            _ => "xsd:string",
        });
        w.WriteBoolean("sortable", f.Kind != DemoValueKind.Address && f.Type != "textarea");
        w.WriteString("type", f.Type);
        w.WriteBoolean("unique", f.Unique);
        w.WriteBoolean("updateable", writable);
        w.WriteEndObject();
    }

    private static Task RetrieveAsync(HttpContext ctx, SalesforceDemoOrg org, string version)
    {
        if (FindObject(ctx, org, out var view) is not { } state
            || !view.TryResolve(state, ctx.GetRouteValue("id") as string, out var row)
            || row.Changed?.IsDeleted == true)
        {
            return NotFoundAsync(ctx);
        }

        var requested = ctx.Request.Query["fields"].ToString();
        var fields = requested.Length == 0
            ? state.Schema.Fields
            : requested.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(name => state.Schema.Field(name) ?? throw new SoqlException("INVALID_FIELD",
                    $"No such column '{name}' on entity '{state.Schema.Name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."))
                .ToList();
        var node = new SelectNode(state);
        node.Items.AddRange(fields.Select(f => new LeafItem(f)));
        return DemoJson.WriteAsync(ctx, 200, w => WriteRecord(w, view, node, row, version));
    }

    private static int BatchSize(HttpRequest request, int fallback)
    {
        var header = request.Headers["Sforce-Query-Options"].ToString();
        var match = BatchSizePattern().Match(header);
        if (!match.Success || !int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return fallback;
        }

        return Math.Clamp(size, 200, DefaultBatchSize);
    }

    private static async Task QueryAsync(HttpContext ctx, SalesforceDemoOrg org, string version, bool includeDeleted)
    {
        var plan = SoqlPlan.Create(org.View(), ctx.Request.Query["q"].ToString(), includeDeleted);
        var total = plan.Count();
        if (plan.Query.IsCount)
        {
            await DemoJson.WriteAsync(ctx, 200, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("totalSize", total);
                w.WriteBoolean("done", true);
                w.WriteStartArray("records");
                w.WriteEndArray();
                w.WriteEndObject();
            });
            return;
        }

        var batch = BatchSize(ctx.Request, DefaultBatchSize);
        var verb = includeDeleted ? "queryAll" : "query";
        if (total <= batch)
        {
            using var rows = plan.Rows().GetEnumerator();
            await WritePageAsync(ctx, plan, total, 0, batch, version, verb, null, rows.MoveNext, () => rows.Current);
            return;
        }

        var cursor = org.Cursors.Open(plan, total, batch);
        await ServeCursorPageAsync(ctx, cursor, 0, batch, version, verb);
    }

    private static async Task NextPageAsync(HttpContext ctx, SalesforceDemoOrg org, string version, string verb)
    {
        var text = ctx.GetRouteValue("locator") as string ?? "";
        var dash = text.LastIndexOf('-');
        var cursor = dash > 0 ? org.Cursors.Find(text[..dash]) : null;
        if (cursor is null || !long.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            || offset > cursor.TotalSize)
        {
            await DemoJson.WriteErrorAsync(ctx, 400, "INVALID_QUERY_LOCATOR", "invalid query locator");
            return;
        }

        await ServeCursorPageAsync(ctx, cursor, offset, BatchSize(ctx.Request, cursor.BatchSize), version, verb);
    }

    private static async Task ServeCursorPageAsync(HttpContext ctx, DemoQueryCursor cursor, long offset, int batch, string version, string verb)
    {
        await cursor.Gate.WaitAsync(ctx.RequestAborted);
        try
        {
            cursor.SeekTo(offset);
            DemoRow current = default;
            await WritePageAsync(ctx, cursor.Plan, cursor.TotalSize, offset, batch, version, verb, cursor.Locator,
                () => cursor.TryNext(out current), () => current);
            if (cursor.Position >= cursor.TotalSize)
            {
                // The stream is spent; a retried page restarts it from the plan.
                cursor.Release();
            }
        }
        finally
        {
            cursor.Gate.Release();
        }
    }

    private static async Task WritePageAsync(
        HttpContext ctx, SoqlPlan plan, long total, long offset, int batch, string version, string verb, string? locator,
        Func<bool> moveNext, Func<DemoRow> current)
    {
        var count = (int)Math.Min(batch, Math.Max(0, total - offset));
        var done = offset + count >= total;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json;charset=UTF-8";
        var body = ctx.Response.BodyWriter;
        var view = plan.Select;
        await using var w = new Utf8JsonWriter(body, DemoJson.WriterOptions);
        w.WriteStartObject();
        w.WriteNumber("totalSize", total);
        w.WriteBoolean("done", done);
        if (!done)
        {
            w.WriteString("nextRecordsUrl", $"/services/data/v{version}/{verb}/{locator}-{offset + count}");
        }

        w.WriteStartArray("records");
        // Records are read from the view the plan was made with, so a query never mixes two versions of the org.
        var orgView = plan.View;
        for (var i = 0; i < count && moveNext(); i++)
        {
            WriteRecord(w, orgView, view, current(), version);
            if (w.BytesPending > 32 * 1024)
            {
                w.Flush();
                await body.FlushAsync(ctx.RequestAborted);
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        await body.FlushAsync(ctx.RequestAborted);
    }

    private static readonly JsonEncodedText AttributesName = JsonEncodedText.Encode("attributes");
    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText UrlName = JsonEncodedText.Encode("url");

    internal static void WriteRecord(Utf8JsonWriter w, DemoView view, SelectNode node, DemoRow row, string version)
    {
        var state = node.State;
        var id = row.Changed?.Id ?? view.Generator.Id(state.Schema, row.Index);
        var urlPrefix = node.UrlPrefix(version);
        Span<char> url = stackalloc char[urlPrefix.Length + id.Length];
        urlPrefix.AsSpan().CopyTo(url);
        id.AsSpan().CopyTo(url[urlPrefix.Length..]);
        w.WriteStartObject();
        w.WriteStartObject(AttributesName);
        w.WriteString(TypeName, node.TypeName);
        w.WriteString(UrlName, url);
        w.WriteEndObject();
        foreach (var item in node.Items)
        {
            switch (item)
            {
                case LeafItem leaf:
                    w.WritePropertyName(leaf.JsonName);
                    if (leaf.Field.Generator == "Id")
                    {
                        w.WriteStringValue(id);
                    }
                    else
                    {
                        DemoJson.WriteValue(w, view.Get(state, row, leaf.Field));
                    }

                    break;
                case RelationItem relation:
                    w.WritePropertyName(relation.JsonName);
                    if (view.TryResolve(relation.Child.State, view.Get(state, row, relation.Reference) as string, out var parent))
                    {
                        WriteRecord(w, view, relation.Child, parent, version);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }

                    break;
            }
        }

        w.WriteEndObject();
    }

    private static bool TryRange(HttpContext ctx, out DateTime start, out DateTime end)
    {
        end = default;
        return DemoJson.TryParseDateTime(ctx.Request.Query["start"].ToString(), out start)
            & DemoJson.TryParseDateTime(ctx.Request.Query["end"].ToString(), out end);
    }

    // Salesforce rounds the covered window to the minute; seconds keep a change made just now inside the window, which tests need.
    private static DateTime ToSecond(DateTime value) => new(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    private static DateTime ToMinute(DateTime value) => new(value.Ticks - value.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);

    private static async Task UpdatedAsync(HttpContext ctx, SalesforceDemoOrg org, string version)
    {
        if (FindObject(ctx, org, out var view) is not { } state)
        {
            await NotFoundAsync(ctx);
            return;
        }

        var now = org.UtcNow;
        if (!TryRange(ctx, out var start, out var end))
        {
            await DemoJson.WriteErrorAsync(ctx, 400, "MALFORMED_QUERY", "start and end must be ISO-8601 date-times, for example 2024-03-05T17:00:00+00:00");
            return;
        }

        if (end < start)
        {
            await DemoJson.WriteErrorAsync(ctx, 400, "INVALID_REPLICATION_DATE", "EndDate must chronologically succeed startDate");
            return;
        }

        if (start < now.AddDays(-30))
        {
            await DemoJson.WriteErrorAsync(ctx, 400, "INVALID_REPLICATION_DATE", "startDate cannot be more than 30 days ago");
            return;
        }

        var latest = ToSecond(end < now ? end : now);
        var count = view.GeneratedCount(state);
        var modstamp = state.Schema.Field("SystemModstamp");
        var ids = new List<(long Index, string Id)>();
        if (modstamp is { IsSystemTimestamp: true })
        {
            var lo = view.Generator.FirstIndexAtOrAfter(true, count, start);
            var hi = view.Generator.FirstIndexAfter(true, count, latest);
            for (var i = lo; i < hi; i++)
            {
                if (!state.Changes.ContainsKey(i))
                {
                    ids.Add((i, view.Generator.Id(state.Schema, i)));
                }
            }
        }

        foreach (var changed in state.Changes.Values)
        {
            var row = new DemoRow(changed.Index, changed);
            if (!changed.IsDeleted && modstamp is not null && view.Get(state, row, modstamp) is DateTime at && at >= start && at <= latest)
            {
                ids.Add((changed.Index, changed.Id));
            }
        }

        ids.Sort((a, b) => a.Index.CompareTo(b.Index));
        await DemoJson.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("ids");
            foreach (var (_, id) in ids)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            w.WriteString("latestDateCovered", DemoJson.FormatDateTime(latest));
            w.WriteEndObject();
        });
    }

    private static async Task DeletedAsync(HttpContext ctx, SalesforceDemoOrg org, string version)
    {
        if (FindObject(ctx, org, out _) is not { } state)
        {
            await NotFoundAsync(ctx);
            return;
        }

        var now = org.UtcNow;
        if (!TryRange(ctx, out var start, out var end))
        {
            await DemoJson.WriteErrorAsync(ctx, 400, "MALFORMED_QUERY", "start and end must be ISO-8601 date-times, for example 2024-03-05T17:00:00+00:00");
            return;
        }

        var earliest = ToMinute(now.AddDays(-15));
        if (end < start)
        {
            await DemoJson.WriteErrorAsync(ctx, 400, "INVALID_REPLICATION_DATE", "EndDate must chronologically succeed startDate");
            return;
        }

        if (start < earliest.AddMinutes(-1))
        {
            await DemoJson.WriteErrorAsync(ctx, 400, "INVALID_REPLICATION_DATE", $"startDate cannot be earlier than earliestDateAvailable {DemoJson.FormatDateTime(earliest)}");
            return;
        }

        var latest = ToSecond(end < now ? end : now);
        var deleted = state.Changes.Values
            .Where(c => c.DeletedAt is { } at && at >= start && at <= latest)
            .OrderBy(c => c.DeletedAt)
            .ToList();
        await DemoJson.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("deletedRecords");
            foreach (var record in deleted)
            {
                w.WriteStartObject();
                w.WriteString("deletedDate", DemoJson.FormatDateTime(record.DeletedAt!.Value));
                w.WriteString("id", record.Id);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("earliestDateAvailable", DemoJson.FormatDateTime(earliest));
            w.WriteString("latestDateCovered", DemoJson.FormatDateTime(latest));
            w.WriteEndObject();
        });
    }
}
