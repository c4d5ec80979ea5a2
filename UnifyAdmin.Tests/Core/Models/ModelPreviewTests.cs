using System.Globalization;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Tests.Core.Models;

/// <summary>The live preview against the demo org over loopback: rows, COUNT, every operator and type, parents, escaping, faults.</summary>
public sealed class ModelPreviewTests(ModelsAppHost host) : IClassFixture<ModelsAppHost>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static ModelFilter Where(string field, FilterOperator op, string? value) => new(FilterJoin.And, [new FilterCondition(field, op, value)]);

    private async Task<(ModelEditingSession Session, ModelPreview Preview)> PreviewAsync(string[] fields, ModelFilter? filter, string collection = "Contact")
    {
        var session = await host.OpenSessionAsync(await host.SeedSourceAsync("Preview " + Guid.NewGuid().ToString("N")[..8], ct: Cancel));
        return (session, await session.PreviewAsync(collection, fields, filter, revalidate: false, Cancel));
    }

    private static void NoErrors(ModelPreview preview) => Assert.True(preview.Errors.Count == 0, string.Join(" ", preview.Errors));

    [Fact]
    public async Task Shows_the_first_25_matching_rows_and_counts_them_all_with_two_calls_once_describes_are_cached()
    {
        var (session, preview) = await PreviewAsync(["Email", "LeadSource"], Where("LeadSource", FilterOperator.Equals, "Web"));

        NoErrors(preview);
        Assert.Equal(25, preview.Rows.Count);
        Assert.All(preview.Rows, r => Assert.Equal("Web", r["LeadSource"]));
        var client = session.Describes.Client;
        var expected = await client.CountAsync("SELECT COUNT() FROM Contact WHERE LeadSource = 'Web'", ct: Cancel);
        Assert.Equal(expected, preview.MatchingRows);
        Assert.True(expected > 25);
        Assert.Equal("SELECT Id, SystemModstamp, Email, LeadSource FROM Contact WHERE LeadSource = 'Web'", preview.Soql);

        var before = session.ApiCalls;
        var again = await session.PreviewAsync("Contact", ["Email", "LeadSource"], Where("LeadSource", FilterOperator.Equals, "Phone Inquiry"), false, Cancel);
        NoErrors(again);
        Assert.Equal(before + 2, session.ApiCalls);
        Assert.All(again.Rows, r => Assert.Equal("Phone Inquiry", r["LeadSource"]));
    }

    public static TheoryData<string, FilterOperator, string?> EveryOperatorAndType => new()
    {
        { "LastName", FilterOperator.Equals, "Smith" },
        { "LastName", FilterOperator.NotEquals, "Smith" },
        { "Email", FilterOperator.Contains, "@example" },
        { "LastName", FilterOperator.StartsWith, "Jo" },
        { "LastName", FilterOperator.In, "Smith\nJohnson" },
        { "LastName", FilterOperator.NotIn, "Smith\nJohnson" },
        { "Title", FilterOperator.IsNull, null },
        { "Title", FilterOperator.IsNotNull, null },
        { "LeadSource", FilterOperator.In, "Web\nPartner Referral" },
        { "LeadSource", FilterOperator.NotEquals, "Web" },
        { "HasOptedOutOfEmail", FilterOperator.Equals, "true" },
        { "HasOptedOutOfEmail", FilterOperator.NotEquals, "true" },
        { "Lifetime_Value__c", FilterOperator.GreaterThan, "5000" },
        { "Lifetime_Value__c", FilterOperator.LessOrEqual, "5000" },
        { "Birthdate", FilterOperator.LessThan, "1980-01-01" },
        { "Birthdate", FilterOperator.GreaterOrEqual, "1980-01-01" },
        { "CreatedDate", FilterOperator.GreaterThan, "2025-06-01" },
        { "CreatedDate", FilterOperator.LessThan, "2025-06-01T12:00:00Z" },
        { "Account.Industry", FilterOperator.Equals, "Banking" },
        { "Account.AnnualRevenue", FilterOperator.GreaterOrEqual, "1000000" },
        { "Account.NumberOfEmployees", FilterOperator.LessThan, "500" },
    };

    [Theory]
    [MemberData(nameof(EveryOperatorAndType))]
    public async Task Every_operator_and_type_compiles_and_only_matching_rows_come_back(string field, FilterOperator op, string? value)
    {
        var (_, preview) = await PreviewAsync([field], Where(field, op, value));

        NoErrors(preview);
        Assert.NotNull(preview.MatchingRows);
        Assert.Equal(Math.Min(25, preview.MatchingRows!.Value), preview.Rows.Count);
        Assert.All(preview.Rows, row => Assert.True(Matches(row[field], op, value), $"{field} = {ModelPreview.Json(row[field])} does not satisfy {op} {value}"));
    }

    private static bool Matches(object? cell, FilterOperator op, string? value)
    {
        var values = (value ?? "").Split('\n');
        return op switch
        {
            FilterOperator.IsNull => cell is null,
            FilterOperator.IsNotNull => cell is not null,
            FilterOperator.In => values.Contains(cell as string),
            FilterOperator.NotIn => !values.Contains(cell as string),
            FilterOperator.Contains => cell is string s && s.Contains(value!, StringComparison.OrdinalIgnoreCase),
            FilterOperator.StartsWith => cell is string s && s.StartsWith(value!, StringComparison.OrdinalIgnoreCase),
            _ => Compare(cell, value!) is { } c && op switch
            {
                FilterOperator.Equals => c == 0,
                FilterOperator.NotEquals => c != 0,
                FilterOperator.LessThan => c < 0,
                FilterOperator.LessOrEqual => c <= 0,
                FilterOperator.GreaterThan => c > 0,
                _ => c >= 0,
            } || (op == FilterOperator.NotEquals && cell is null),
        };
    }

    private static int? Compare(object? cell, string value) => cell switch
    {
        null => null,
        bool b => b.CompareTo(bool.Parse(value)),
        long or decimal or double => Convert.ToDecimal(cell, CultureInfo.InvariantCulture).CompareTo(decimal.Parse(value, CultureInfo.InvariantCulture)),
        string s when value.Length >= 10 && value[4] == '-' && s.Length > 10 && s[10] == 'T' => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture).CompareTo(
            value.Length == 10 ? DateTimeOffset.Parse(value + "T00:00:00Z", CultureInfo.InvariantCulture) : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture)),
        string s => string.Compare(s, value, StringComparison.OrdinalIgnoreCase),
        _ => null,
    };

    [Fact]
    public async Task Parent_fields_come_through_the_lookup_one_level_up()
    {
        var (session, preview) = await PreviewAsync(["LastName", "AccountId", "Account.Name", "Account.Industry"], Where("AccountId", FilterOperator.IsNotNull, null));

        NoErrors(preview);
        Assert.Contains("Account.Name", preview.Soql);
        Assert.All(preview.Rows, r =>
        {
            Assert.IsType<string>(r["Account.Name"]);
            Assert.True(r.ContainsKey("Account.Industry"));
        });
        Assert.Contains(preview.Rows, r => r["Account.Industry"] is string);

        var options = await session.FieldOptionsAsync("Contact", Cancel);
        Assert.Contains(options, o => o.Path == "Account.Name" && o.Relationship == "Account");
        // Owner (User) and Account's columns outside Selective Sync are not offered.
        Assert.DoesNotContain(options, o => o.Path.StartsWith("Owner.", StringComparison.Ordinal));
        Assert.DoesNotContain(options, o => o.Path == "Account.Website");
    }

    [Theory]
    [InlineData("O'Brien")]
    [InlineData("Back\\slash")]
    [InlineData("x' OR LastName != 'y")]
    [InlineData("SELECT Id FROM Contact")]
    [InlineData("50% _off")]
    public async Task Quotes_backslashes_and_keywords_in_values_are_escaped_and_match_the_real_row(string lastName)
    {
        var marker = "Esc" + Guid.NewGuid().ToString("N")[..10];
        var id = await host.InsertAsync("Contact", new { LastName = lastName, FirstName = marker, Email = "escaping@example.com" });
        ModelFilter Both(FilterOperator op, string value) => new(FilterJoin.And,
            [new FilterCondition("LastName", op, value), new FilterCondition("FirstName", FilterOperator.Equals, marker)]);

        var (_, equal) = await PreviewAsync(["LastName"], Both(FilterOperator.Equals, lastName));
        var (_, contains) = await PreviewAsync(["LastName"], Both(FilterOperator.Contains, lastName[1..]));
        var (_, all) = await PreviewAsync(["LastName"], Where("LastName", FilterOperator.Equals, lastName));

        NoErrors(equal);
        var row = Assert.Single(equal.Rows);
        Assert.Equal(id, row["Id"]);
        Assert.Equal(lastName, row["LastName"]);
        Assert.Equal(1, equal.MatchingRows);
        NoErrors(contains);
        Assert.Equal(id, Assert.Single(contains.Rows)["Id"]);
        // Without the marker, every row that comes back really holds the value (the demo org also generates O'Briens).
        NoErrors(all);
        Assert.NotEmpty(all.Rows);
        Assert.All(all.Rows, r => Assert.Equal(lastName, r["LastName"]));
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_refused_with_a_message_naming_the_field_and_no_query_runs()
    {
        var (session, preview) = await PreviewAsync(["Birthdate"], new ModelFilter(FilterJoin.Or,
        [
            new FilterCondition("Birthdate", FilterOperator.LessThan, "last tuesday"),
            new FilterCondition("Lifetime_Value__c", FilterOperator.GreaterThan, "lots"),
            new FilterCondition("HasOptedOutOfEmail", FilterOperator.Equals, "yes"),
        ]));

        Assert.Null(preview.MatchingRows);
        Assert.Contains(preview.Errors, e => e.Contains("`Birthdate` is a date; enter it as YYYY-MM-DD", StringComparison.Ordinal));
        Assert.Contains(preview.Errors, e => e.Contains("`Lifetime_Value__c` is a number", StringComparison.Ordinal));
        Assert.Contains(preview.Errors, e => e.Contains("`HasOptedOutOfEmail` is a checkbox; choose true or false", StringComparison.Ordinal));
        Assert.Equal(session.Describes.Calls, session.ApiCalls);
    }

    [Fact]
    public async Task Schema_marks_errors_warnings_and_hints_against_the_describe_now()
    {
        var secret = "Secret_" + Guid.NewGuid().ToString("N")[..6] + "__c";
        var empty = "Empty_" + Guid.NewGuid().ToString("N")[..6] + "__c";
        await host.ControlAsync(HttpMethod.Post, "schema/Contact/fields", new { name = secret, type = "encryptedstring" });
        await host.ControlAsync(HttpMethod.Post, "schema/Contact/fields", new { name = empty, type = "string" });

        var (_, preview) = await PreviewAsync(["LastName", "Full_Name__c", "MailingAddress", "MailingCity", secret, empty, "No_Such_Field__c"], null);

        NoErrors(preview);
        FieldMark Mark(string field) => Assert.Single(preview.Marks, m => m.Field == field);
        Assert.Equal(FieldMarkLevel.Warning, Mark("Full_Name__c").Level);
        Assert.Contains("formula", Mark("Full_Name__c").Message, StringComparison.Ordinal);
        Assert.Equal(FieldMarkLevel.Warning, Mark("MailingCity").Level);
        Assert.Contains("part of `MailingAddress`", Mark("MailingCity").Message, StringComparison.Ordinal);
        Assert.Equal(FieldMarkLevel.Error, Mark(secret).Level);
        Assert.Contains("encrypted", Mark(secret).Message, StringComparison.Ordinal);
        Assert.Equal(FieldMarkLevel.Hint, Mark(empty).Level);
        Assert.Equal(FieldMarkLevel.Error, Mark("No_Such_Field__c").Level);
        Assert.DoesNotContain(preview.Marks, m => m.Field == "LastName");
        // The readable fields still preview; the broken ones are left out of the query.
        Assert.Equal(25, preview.Rows.Count);
        Assert.DoesNotContain(secret, preview.Soql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reaching_the_api_limit_gives_a_message_and_the_session_keeps_working_afterwards()
    {
        var session = await host.OpenSessionAsync(await host.SeedSourceAsync("Limit " + Guid.NewGuid().ToString("N")[..8], ct: Cancel));
        var ok = await session.PreviewAsync("Contact", ["Email"], null, false, Cancel);
        NoErrors(ok);

        host.Org.SetRemainingApiCalls(0);
        ModelPreview limited;
        try
        {
            limited = await session.PreviewAsync("Contact", ["Email", "LastName"], null, false, Cancel);
        }
        finally
        {
            host.Org.SetRemainingApiCalls(15_000);
        }

        Assert.Contains(limited.Errors, e => e.Contains("daily API allowance", StringComparison.Ordinal));
        Assert.False(limited.NeedsReconnect);
        var again = await session.PreviewAsync("Contact", ["Email", "LastName"], null, false, Cancel);
        NoErrors(again);
        Assert.Equal(25, again.Rows.Count);
    }

    [Fact]
    public async Task A_source_whose_session_cannot_be_renewed_asks_for_a_reconnect()
    {
        var sourceId = await host.SeedSourceAsync("Reconnect " + Guid.NewGuid().ToString("N")[..8], ct: Cancel);
        await host.UpdateSourceAsync(sourceId, (s, secrets) =>
        {
            s.AccessTokenProtected = secrets.Protect("expired-token");
            s.RefreshTokenProtected = secrets.Protect("revoked-refresh-token");
        });
        var session = await host.OpenSessionAsync(sourceId);

        var preview = await session.PreviewAsync("Contact", ["Email"], null, false, Cancel);

        Assert.True(preview.NeedsReconnect);
        Assert.Contains(preview.Errors, e => e.Contains("must be reconnected", StringComparison.Ordinal));
        var (_, error, reconnect) = await host.WithModelsAsync(m => m.OpenSessionAsync(sourceId, Cancel));
        Assert.True(reconnect);
        Assert.Contains("must be reconnected", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describes_are_cached_per_session_and_revalidated_with_If_Modified_Since()
    {
        var session = await host.OpenSessionAsync(await host.SeedSourceAsync("Cache " + Guid.NewGuid().ToString("N")[..8], ct: Cancel));
        await session.FieldOptionsAsync("Contact", Cancel);
        var afterFirst = session.Describes.Calls;
        await session.FieldOptionsAsync("Contact", Cancel);
        Assert.Equal(afterFirst, session.Describes.Calls);

        var same = await session.Describes.LoadSchemaAsync("Contact", ["Email"], revalidate: true, Cancel);
        Assert.Equal(1, session.Describes.NotModified);
        Assert.NotNull(same.FindField("Department"));

        var field = "Gone_" + Guid.NewGuid().ToString("N")[..6] + "__c";
        await host.ControlAsync(HttpMethod.Post, "schema/Contact/fields", new { name = field, type = "string" });
        var changed = await session.Describes.LoadSchemaAsync("Contact", ["Email"], revalidate: true, Cancel);
        Assert.Equal(1, session.Describes.NotModified);
        Assert.NotNull(changed.FindField(field));
    }
}

/// <summary>What each preview cell shows is the JSON the sync sends, for every describe type in the wire facts.</summary>
public sealed class PreviewJsonValueTests(ModelsAppHost host) : IClassFixture<ModelsAppHost>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string, object?, string> EveryType => new()
    {
        { "id", "003000000000001AAA", "\"003000000000001AAA\"" },
        { "string", "Ada", "\"Ada\"" },
        { "boolean", true, "true" },
        { "int", 42L, "42" },
        { "long", 9_000_000_000L, "9000000000" },
        { "double", 12.5, "12.5" },
        { "currency", 1999.99m, "1999.99" },
        { "percent", 7.5m, "7.5" },
        { "date", new DateOnly(2024, 3, 5), "\"2024-03-05\"" },
        { "datetime", "2024-03-05T17:03:29.000+0000", "\"2024-03-05T17:03:29.000Z\"" },
        { "time", "17:03:29.000Z", "\"17:03:29.000Z\"" },
        { "picklist", "Web", "\"Web\"" },
        { "multipicklist", "Gold;Silver", "[\"Gold\",\"Silver\"]" },
        { "combobox", "Other", "\"Other\"" },
        { "reference", "001000000000001AAA", "\"001000000000001AAA\"" },
        { "textarea", "Line 1\nLine 2", "\"Line 1\\nLine 2\"" },
        { "email", "ada@example.com", "\"ada@example.com\"" },
        { "phone", "+44 20 7946 0000", "\"+44 20 7946 0000\"" },
        { "url", "https://example.com", "\"https://example.com\"" },
        { "encryptedstring", "****", "\"****\"" },
        { "base64", "/services/data/v64.0/sobjects/Document/015/Body", "\"/services/data/v64.0/sobjects/Document/015/Body\"" },
        { "address", new SalesforceAddress("1 Main St", "Springfield", null, null, "12345", "US", null, 1.5, null, null),
            "{\"street\":\"1 Main St\",\"city\":\"Springfield\",\"postalCode\":\"12345\",\"country\":\"US\",\"latitude\":1.5}" },
        { "location", new SalesforceLocation(51.5, -0.12), "{\"latitude\":51.5,\"longitude\":-0.12}" },
        { "anyType", "anything", "\"anything\"" },
        { "string", null, "null" },
    };

    [Theory]
    [MemberData(nameof(EveryType))]
    public void Every_salesforce_type_becomes_the_json_the_sync_sends(string type, object? raw, string json)
        => Assert.Equal(json, ModelPreview.Json(SalesforceJsonValues.ToJsonValue(raw, type)));

    [Fact]
    public async Task A_record_with_a_field_of_every_demo_type_previews_as_that_json()
    {
        var suffix = Guid.NewGuid().ToString("N")[..5];
        var values = new Dictionary<string, (string Type, object Value, string Json)>
        {
            [$"S{suffix}__c"] = ("string", "O'Brien \"quoted\"", "\"O'Brien \\\"quoted\\\"\""),
            [$"B{suffix}__c"] = ("boolean", true, "true"),
            [$"I{suffix}__c"] = ("int", 42, "42"),
            [$"L{suffix}__c"] = ("long", 9_000_000_000L, "9000000000"),
            [$"D{suffix}__c"] = ("double", 12.5, "12.5"),
            [$"C{suffix}__c"] = ("currency", 1999.99, "1999.99"),
            [$"P{suffix}__c"] = ("percent", 7.5, "7.5"),
            [$"Dt{suffix}__c"] = ("date", "2024-03-05", "\"2024-03-05\""),
            [$"Ts{suffix}__c"] = ("datetime", "2024-03-05T17:03:29.000+0000", "\"2024-03-05T17:03:29.000Z\""),
            [$"Pk{suffix}__c"] = ("picklist", "Gold", "\"Gold\""),
            [$"Mp{suffix}__c"] = ("multipicklist", "Gold;Silver", "[\"Gold\",\"Silver\"]"),
            [$"Cb{suffix}__c"] = ("combobox", "Other", "\"Other\""),
            [$"Ta{suffix}__c"] = ("textarea", "Line 1\nLine 2", "\"Line 1\\nLine 2\""),
            [$"E{suffix}__c"] = ("email", "ada@example.com", "\"ada@example.com\""),
            [$"Ph{suffix}__c"] = ("phone", "020 7946 0000", "\"020 7946 0000\""),
            [$"U{suffix}__c"] = ("url", "https://example.com/a", "\"https://example.com/a\""),
        };
        foreach (var (name, (type, _, _)) in values)
        {
            await host.ControlAsync(HttpMethod.Post, "schema/Contact/fields", new { name, type, picklistValues = new[] { "Gold", "Silver", "Other" } });
        }

        var record = values.ToDictionary(v => v.Key, v => v.Value.Value);
        record["LastName"] = "Types" + suffix;
        var id = await host.InsertAsync("Contact", record);
        var session = await host.OpenSessionAsync(await host.SeedSourceAsync("Types " + suffix, ct: Cancel));

        var preview = await session.PreviewAsync("Contact", [.. values.Keys, "AccountId", "CreatedDate"],
            new ModelFilter(FilterJoin.And, [new FilterCondition("Id", FilterOperator.Equals, id)]), revalidate: false, Cancel);

        Assert.Empty(preview.Errors);
        var row = Assert.Single(preview.Rows);
        Assert.Equal($"\"{id}\"", ModelPreview.Json(row["Id"]));
        Assert.Equal("null", ModelPreview.Json(row["AccountId"]));
        Assert.Matches("^\"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z\"$", ModelPreview.Json(row["CreatedDate"]));
        foreach (var (name, (type, _, json)) in values)
        {
            Assert.True(json == ModelPreview.Json(row[name]), $"{type}: expected {json}, got {ModelPreview.Json(row[name])}");
        }
    }
}
