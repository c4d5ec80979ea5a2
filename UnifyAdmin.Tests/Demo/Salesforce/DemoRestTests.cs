using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace UnifyAdmin.Tests.Core.Demo.Salesforce;

public sealed class DemoRestTests : IClassFixture<DemoHostFixture>
{
    private readonly DemoHostFixture demo;

    public DemoRestTests(DemoHostFixture demo)
    {
        this.demo = demo;
        demo.Org.Reset();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> TokenAsync() => (await demo.ClientCredentialsAsync(Ct)).AccessToken;

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var error = Assert.Single(body.EnumerateArray().ToList());
        Assert.Equal(code, error.GetProperty("errorCode").GetString());
        return error;
    }

    [Fact]
    public async Task Lists_api_versions_without_a_token()
    {
        using var response = await demo.GetAsync("services/data/", null, Ct);
        var versions = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(versions.EnumerateArray(), v => v.GetProperty("version").GetString() == "64.0" && v.GetProperty("url").GetString() == "/services/data/v64.0");
    }

    [Fact]
    public async Task Answers_401_invalid_session_id_without_a_token()
    {
        using var response = await demo.GetAsync("services/data/v64.0/sobjects/", "not-a-token", Ct);

        var error = await ErrorAsync(response, HttpStatusCode.Unauthorized, "INVALID_SESSION_ID");
        Assert.Equal("Session expired or invalid", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Lists_data_and_noise_objects_in_describe_global()
    {
        var global = await demo.GetJsonAsync("services/data/v64.0/sobjects/", await TokenAsync(), Ct);
        var objects = global.GetProperty("sobjects").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);

        Assert.Equal(200, global.GetProperty("maxBatchSize").GetInt32());
        Assert.Equal("003", objects["Contact"].GetProperty("keyPrefix").GetString());
        Assert.True(objects["Subscription__c"].GetProperty("custom").GetBoolean());
        Assert.True(objects["ContactHistory"].GetProperty("queryable").GetBoolean());
        Assert.False(objects["ContactChangeEvent"].GetProperty("queryable").GetBoolean());
        Assert.Contains("AccountShare", objects.Keys);
        Assert.Equal("/services/data/v64.0/sobjects/Account/describe", objects["Account"].GetProperty("urls").GetProperty("describe").GetString());
    }

    [Fact]
    public async Task Describes_fields_with_types_references_compounds_formulas_and_picklists()
    {
        var describe = await demo.GetJsonAsync("services/data/v64.0/sobjects/Contact/describe/", await TokenAsync(), Ct);
        var fields = describe.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);

        Assert.Equal("id", fields["Id"].GetProperty("type").GetString());
        Assert.Equal("email", fields["Email"].GetProperty("type").GetString());
        Assert.Equal("reference", fields["AccountId"].GetProperty("type").GetString());
        Assert.Equal("Account", fields["AccountId"].GetProperty("referenceTo")[0].GetString());
        Assert.Equal("Account", fields["AccountId"].GetProperty("relationshipName").GetString());
        Assert.Equal("address", fields["MailingAddress"].GetProperty("type").GetString());
        Assert.Equal("MailingAddress", fields["MailingCity"].GetProperty("compoundFieldName").GetString());
        Assert.True(fields["Full_Name__c"].GetProperty("calculated").GetBoolean());
        Assert.True(fields["Full_Name__c"].GetProperty("custom").GetBoolean());
        Assert.Contains(fields["LeadSource"].GetProperty("picklistValues").EnumerateArray(), p => p.GetProperty("value").GetString() == "Web");
        Assert.Equal("datetime", fields["SystemModstamp"].GetProperty("type").GetString());
        Assert.Equal("boolean", fields["IsDeleted"].GetProperty("type").GetString());
        Assert.Equal("date", fields["Birthdate"].GetProperty("type").GetString());
        Assert.Equal("currency", fields["Lifetime_Value__c"].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Answers_404_not_found_when_describing_an_unknown_object()
    {
        using var response = await demo.GetAsync("services/data/v64.0/sobjects/Nope__c/describe/", await TokenAsync(), Ct);

        var error = await ErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("The requested resource does not exist", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Pages_through_a_query_with_the_requested_batch_size()
    {
        var token = await TokenAsync();
        var ids = new List<string>();
        var page = await demo.QueryAsync("SELECT Id, LastName FROM Contact", token, Ct, batchSize: "1000");
        var pages = 1;
        Assert.Equal(5000, page.GetProperty("totalSize").GetInt32());
        while (true)
        {
            ids.AddRange(page.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Id").GetString()!));
            if (page.GetProperty("done").GetBoolean())
            {
                Assert.False(page.TryGetProperty("nextRecordsUrl", out _));
                break;
            }

            var next = page.GetProperty("nextRecordsUrl").GetString()!;
            Assert.Matches("^/services/data/v64.0/query/01g[0-9A-Za-z]{15}-\\d+$", next);
            Assert.Equal(1000, page.GetProperty("records").GetArrayLength());
            // Real clients append nextRecordsUrl to instance_url, which already carries the demo prefix.
            page = await demo.GetJsonAsync(demo.LoginUrl + next, token, Ct, batchSize: "1000");
            pages++;
        }

        Assert.Equal(5, pages);
        Assert.Equal(5000, ids.Distinct().Count());
    }

    [Fact]
    public async Task Pages_a_sorted_query_in_order_and_serves_a_retried_page_again()
    {
        var token = await TokenAsync();
        var first = await demo.QueryAsync("SELECT Id, LastName FROM Contact ORDER BY LastName DESC, Id", token, Ct, batchSize: "2000");
        var next = first.GetProperty("nextRecordsUrl").GetString()!;

        var second = await demo.GetJsonAsync(demo.LoginUrl + next, token, Ct);
        var retried = await demo.GetJsonAsync(demo.LoginUrl + next, token, Ct);
        var third = await demo.GetJsonAsync(demo.LoginUrl + second.GetProperty("nextRecordsUrl").GetString(), token, Ct);

        var rows = new[] { first, second, third }.SelectMany(p => p.GetProperty("records").EnumerateArray())
            .Select(r => (Id: r.GetProperty("Id").GetString()!, Name: r.GetProperty("LastName").GetString()!)).ToList();
        Assert.Equal(5000, rows.Count);
        Assert.Equal(5000, rows.Select(r => r.Id).Distinct().Count());
        Assert.Equal(rows.OrderByDescending(r => r.Name, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Id, StringComparer.Ordinal), rows);
        Assert.Equal(second.GetProperty("records").ToString(), retried.GetProperty("records").ToString());
        Assert.True(third.GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task Uses_pages_of_2000_rows_by_default_and_at_least_200()
    {
        var token = await TokenAsync();

        var byDefault = await demo.QueryAsync("SELECT Id FROM Contact", token, Ct);
        var tiny = await demo.QueryAsync("SELECT Id FROM Contact", token, Ct, batchSize: "10");

        Assert.Equal(2000, byDefault.GetProperty("records").GetArrayLength());
        Assert.Equal(200, tiny.GetProperty("records").GetArrayLength());
    }

    [Fact]
    public async Task Answers_400_invalid_query_locator_for_an_unknown_locator()
    {
        using var response = await demo.GetAsync("services/data/v64.0/query/01gXXXXXXXXXXXXXXX-2000", await TokenAsync(), Ct);

        await ErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_QUERY_LOCATOR");
    }

    [Fact]
    public async Task Counts_with_count_and_returns_no_records()
    {
        var page = await demo.QueryAsync("SELECT COUNT() FROM Contact", await TokenAsync(), Ct);

        Assert.Equal(5000, page.GetProperty("totalSize").GetInt32());
        Assert.True(page.GetProperty("done").GetBoolean());
        Assert.Equal(0, page.GetProperty("records").GetArrayLength());
    }

    [Fact]
    public async Task Writes_records_with_attributes_nested_parents_compounds_and_salesforce_date_formats()
    {
        var page = await demo.QueryAsync(
            "SELECT Id, Account.Name, Owner.Email, MailingAddress, Email, CreatedDate, Birthdate, Lifetime_Value__c FROM Contact WHERE AccountId != null AND Birthdate != null LIMIT 1",
            await TokenAsync(), Ct);
        var record = page.GetProperty("records")[0];

        Assert.Equal(["attributes", "Id", "Account", "Owner", "MailingAddress", "Email", "CreatedDate", "Birthdate", "Lifetime_Value__c"],
            record.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Contact", record.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("/services/data/v64.0/sobjects/Contact/" + record.GetProperty("Id").GetString(), record.GetProperty("attributes").GetProperty("url").GetString());
        Assert.Matches("^003[0-9A-Za-z]{15}$", record.GetProperty("Id").GetString());
        Assert.Equal("Account", record.GetProperty("Account").GetProperty("attributes").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(record.GetProperty("Account").GetProperty("Name").GetString()));
        Assert.EndsWith("@demo.unifyadmin.dev", record.GetProperty("Owner").GetProperty("Email").GetString(), StringComparison.Ordinal);
        Assert.Equal(["city", "country", "geocodeAccuracy", "latitude", "longitude", "postalCode", "state", "street"],
            record.GetProperty("MailingAddress").EnumerateObject().Select(p => p.Name));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$", record.GetProperty("CreatedDate").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", record.GetProperty("Birthdate").GetString());
    }

    [Fact]
    public async Task Writes_null_for_a_parent_that_is_not_set()
    {
        var page = await demo.QueryAsync("SELECT Id, Account.Name FROM Contact WHERE AccountId = null LIMIT 1", await TokenAsync(), Ct);

        Assert.Equal(JsonValueKind.Null, page.GetProperty("records")[0].GetProperty("Account").ValueKind);
    }

    [Fact]
    public async Task Follows_the_custom_lookup_of_subscriptions()
    {
        var page = await demo.QueryAsync("SELECT Name, Account__c, Account__r.Name, Plan__c FROM Subscription__c ORDER BY Name LIMIT 2", await TokenAsync(), Ct);
        var record = page.GetProperty("records")[0];

        Assert.Equal("SUB-000001", record.GetProperty("Name").GetString());
        Assert.StartsWith("a0B", record.GetProperty("attributes").GetProperty("url").GetString()!.Split('/')[^1], StringComparison.Ordinal);
        Assert.StartsWith("001", record.GetProperty("Account__c").GetString(), StringComparison.Ordinal);
        Assert.Equal("Account", record.GetProperty("Account__r").GetProperty("attributes").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("SELECT Id, Foo FROM Contact", "INVALID_FIELD", "No such column 'Foo' on entity 'Contact'.")]
    [InlineData("SELECT Id FROM Foo", "INVALID_TYPE", "sObject type 'Foo' is not supported.")]
    [InlineData("SELECT Id FROM Contact WHERE", "MALFORMED_QUERY", "unexpected token")]
    public async Task Answers_400_with_salesforce_error_codes_for_bad_queries(string soql, string code, string message)
    {
        using var response = await demo.GetAsync($"services/data/v64.0/query?q={Uri.EscapeDataString(soql)}", await TokenAsync(), Ct);

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shows_soft_deleted_records_only_to_query_all_and_hard_deleted_ones_to_neither()
    {
        var token = await TokenAsync();
        var soft = demo.Org.RecordId("Contact", 7);
        var hard = demo.Org.RecordId("Contact", 8);
        demo.Org.SoftDelete("Contact", soft);
        demo.Org.HardDelete("Contact", hard);
        var soql = $"SELECT Id, IsDeleted FROM Contact WHERE Id IN ('{soft}', '{hard}')";

        var live = await demo.QueryAsync(soql, token, Ct);
        var all = await demo.QueryAsync(soql, token, Ct, all: true);

        Assert.Equal(0, live.GetProperty("totalSize").GetInt32());
        var record = Assert.Single(all.GetProperty("records").EnumerateArray().ToList());
        Assert.Equal(soft, record.GetProperty("Id").GetString());
        Assert.True(record.GetProperty("IsDeleted").GetBoolean());
    }

    [Fact]
    public async Task Lists_updated_and_deleted_records_in_a_time_window()
    {
        var token = await TokenAsync();
        var start = DateTime.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ss+00:00");
        var end = DateTime.UtcNow.AddMinutes(5).ToString("yyyy-MM-ddTHH:mm:ss+00:00");
        var updated = demo.Org.RecordId("Contact", 11);
        var deleted = demo.Org.RecordId("Contact", 12);
        demo.Org.Update("Contact", updated, new Dictionary<string, object?> { ["Title"] = "Head of Demoes" });
        demo.Org.SoftDelete("Contact", deleted);

        var changes = await demo.GetJsonAsync($"services/data/v64.0/sobjects/Contact/updated/?start={Uri.EscapeDataString(start)}&end={Uri.EscapeDataString(end)}", token, Ct);
        var removals = await demo.GetJsonAsync($"services/data/v64.0/sobjects/Contact/deleted/?start={Uri.EscapeDataString(start)}&end={Uri.EscapeDataString(end)}", token, Ct);

        Assert.Contains(updated, changes.GetProperty("ids").EnumerateArray().Select(i => i.GetString()));
        Assert.DoesNotContain(deleted, changes.GetProperty("ids").EnumerateArray().Select(i => i.GetString()));
        Assert.Matches(@"\.000\+0000$", changes.GetProperty("latestDateCovered").GetString());
        var removal = Assert.Single(removals.GetProperty("deletedRecords").EnumerateArray().ToList());
        Assert.Equal(deleted, removal.GetProperty("id").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$", removal.GetProperty("deletedDate").GetString());
        Assert.True(removals.TryGetProperty("earliestDateAvailable", out _));
        Assert.True(removals.TryGetProperty("latestDateCovered", out _));
    }

    [Fact]
    public async Task Refuses_updated_windows_starting_more_than_30_days_ago()
    {
        var start = DateTime.UtcNow.AddDays(-31).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var end = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");

        using var response = await demo.GetAsync($"services/data/v64.0/sobjects/Contact/updated/?start={start}&end={end}", await TokenAsync(), Ct);

        await ErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_REPLICATION_DATE");
    }

    [Fact]
    public async Task Returns_an_updated_record_last_in_an_incremental_query()
    {
        var token = await TokenAsync();
        var since = DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var target = demo.Org.RecordId("Contact", 3);
        demo.Org.Update("Contact", target, new Dictionary<string, object?> { ["Email"] = "changed@example.com" });

        var page = await demo.QueryAsync($"SELECT Id, Email, SystemModstamp FROM Contact WHERE SystemModstamp >= {since} ORDER BY SystemModstamp, Id", token, Ct);
        var records = page.GetProperty("records").EnumerateArray().ToList();

        Assert.True(records.Count > 1);
        Assert.Equal(target, records[^1].GetProperty("Id").GetString());
        Assert.Equal("changed@example.com", records[^1].GetProperty("Email").GetString());
        var stamps = records.Select(r => r.GetProperty("SystemModstamp").GetString()!).ToList();
        Assert.Equal(stamps.Order(StringComparer.Ordinal), stamps);
    }

    [Fact]
    public async Task Shows_a_late_committed_change_with_its_own_older_modstamp()
    {
        var token = await TokenAsync();
        var lateStamp = DateTime.UtcNow.AddMinutes(-8);
        var target = demo.Org.RecordId("Contact", 4);
        demo.Org.Update("Contact", target, new Dictionary<string, object?> { ["Title"] = "Late", ["SystemModstamp"] = lateStamp });
        var since = DateTime.UtcNow.AddMinutes(-10).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var until = DateTime.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ssZ");

        var page = await demo.QueryAsync($"SELECT Id, Title, SystemModstamp FROM Contact WHERE SystemModstamp >= {since} AND SystemModstamp < {until}", token, Ct);

        var record = Assert.Single(page.GetProperty("records").EnumerateArray().ToList());
        Assert.Equal(target, record.GetProperty("Id").GetString());
        Assert.Equal(lateStamp.ToString("yyyy-MM-dd'T'HH:mm:ss"), record.GetProperty("SystemModstamp").GetString()![..19]);
    }

    [Fact]
    public async Task Reports_the_daily_allowance_in_limits_and_in_every_response_header()
    {
        var token = await TokenAsync();

        using var response = await demo.GetAsync("services/data/v64.0/limits/", token, Ct);
        var limits = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var failing = await demo.GetAsync("services/data/v64.0/query?q=SELECT", token, Ct);

        var header = Regex.Match(response.Headers.GetValues("Sforce-Limit-Info").Single(), @"api-usage=(\d+)/(\d+)");
        Assert.True(header.Success);
        Assert.Equal("15000", header.Groups[2].Value);
        Assert.Equal(15000, limits.GetProperty("DailyApiRequests").GetProperty("Max").GetInt32());
        Assert.Equal(15000 - int.Parse(header.Groups[1].Value), limits.GetProperty("DailyApiRequests").GetProperty("Remaining").GetInt32());
        Assert.Matches(@"^api-usage=\d+/15000$", failing.Headers.GetValues("Sforce-Limit-Info").Single());
    }
}
