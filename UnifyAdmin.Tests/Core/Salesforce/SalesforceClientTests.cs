using System.Net;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Tests.Core.Salesforce;

/// <summary>Reads from an unchanged demo org; tests that change the org are in <see cref="SalesforceClientFaultTests"/>.</summary>
public sealed class SalesforceClientTests(SalesforceDemoFixture demo) : IClassFixture<SalesforceDemoFixture>
{
    private const string TenColumns = "SELECT Id, FirstName, LastName, Email, Phone, Title, Department, Birthdate, AccountId, SystemModstamp FROM Contact";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lists_the_api_versions_of_the_org()
    {
        var client = await demo.ConnectClientAsync(Ct);

        var versions = await client.GetVersionsAsync(Ct);

        Assert.Contains(versions, v => v.Version == "64.0" && v.Url == "/services/data/v64.0");
    }

    [Fact]
    public async Task Describes_the_org_and_tells_sync_candidates_from_noise()
    {
        var client = await demo.ConnectClientAsync(Ct);

        var global = await client.DescribeGlobalAsync(Ct);

        Assert.Contains(global.Sobjects, o => o.Name == "Contact" && o.IsSyncCandidate && o.KeyPrefix == "003");
        Assert.Contains(global.Sobjects, o => o.Name == "ContactHistory" && o.Queryable && !o.IsSyncCandidate);
        Assert.Equal(200, global.MaxBatchSize);
    }

    [Fact]
    public async Task Describes_one_object_with_its_fields()
    {
        var client = await demo.ConnectClientAsync(Ct);

        var contact = await client.DescribeAsync("Contact", Ct);

        Assert.Equal("Contact", contact.Name);
        Assert.Equal("datetime", contact.FindField("SystemModstamp")!.Type);
        Assert.Equal("Account", contact.FindField("AccountId")!.RelationshipName);
        Assert.Equal(["Account"], contact.FindField("AccountId")!.ReferenceTo!);
        Assert.Equal("address", contact.FindField("MailingAddress")!.Type);
        Assert.Equal("MailingAddress", contact.FindField("MailingCity")!.CompoundFieldName);
        Assert.True(contact.FindField("Full_Name__c")!.Calculated);
        Assert.NotEmpty(contact.FindField("LeadSource")!.PicklistValues!);
    }

    [Fact]
    public async Task Streams_every_row_across_pages_of_the_asked_batch_size()
    {
        var client = await demo.ConnectClientAsync(Ct);
        var pages = new List<int>();

        await foreach (var page in client.QueryPagesAsync(TenColumns, batchSize: 200, ct: Ct))
        {
            pages.Add(page.Records.Count);
            Assert.Equal(demo.ContactCount, page.TotalSize);
        }

        Assert.Equal(demo.ContactCount, pages.Sum());
        Assert.True(pages.Count >= 6, $"only {pages.Count} pages");
        Assert.All(pages, p => Assert.InRange(p, 1, 200));
    }

    [Fact]
    public async Task Streams_distinct_typed_rows_with_QueryAsync()
    {
        var client = await demo.ConnectClientAsync(Ct);
        var ids = new HashSet<string>();

        await foreach (var row in client.QueryAsync(TenColumns, batchSize: 500, ct: Ct))
        {
            Assert.Equal("Contact", row.Type);
            Assert.Equal(10, row.Count);
            Assert.NotNull(row.GetDateTime("SystemModstamp"));
            Assert.True(ids.Add(row.Id!));
        }

        Assert.Equal(demo.ContactCount, ids.Count);
    }

    [Fact]
    public async Task Stops_reading_when_the_caller_stops()
    {
        var client = await demo.ConnectClientAsync(Ct);
        var before = demo.Org.ApiCallsUsed;
        var read = 0;

        await foreach (var _ in client.QueryAsync(TenColumns, batchSize: 200, ct: Ct))
        {
            if (++read == 250)
            {
                break;
            }
        }

        // The first page, the second, and at most one prefetched page.
        Assert.InRange(demo.Org.ApiCallsUsed - before, 2, 3);
    }

    [Fact]
    public async Task Parses_datetimes_dates_nulls_relationships_and_addresses()
    {
        var client = await demo.ConnectClientAsync(Ct);
        var rows = new List<SalesforceRecord>();

        await foreach (var row in client.QueryAsync("SELECT Id, Birthdate, CreatedDate, HasOptedOutOfEmail, Lifetime_Value__c, Title, Account.Name, Owner.Name, MailingAddress, MailingCity FROM Contact LIMIT 300", ct: Ct))
        {
            rows.Add(row);
        }

        Assert.Equal(300, rows.Count);
        Assert.All(rows, r => Assert.NotNull(r.GetDateTime("CreatedDate")));
        Assert.All(rows, r => Assert.IsType<bool>(r["HasOptedOutOfEmail"]));
        Assert.Contains(rows, r => r.GetDate("Birthdate") is not null);
        Assert.Contains(rows, r => r["Birthdate"] is null || r["Title"] is null);
        Assert.Contains(rows, r => r["Lifetime_Value__c"] is decimal or long);
        var withAccount = rows.First(r => r["Account"] is SalesforceRecord);
        Assert.Equal("Account", ((SalesforceRecord)withAccount["Account"]!).Type);
        Assert.IsType<string>(withAccount.GetPath("Account.Name"));
        Assert.All(rows, r => Assert.IsType<string>(r.GetPath("Owner.Name")));
        var address = rows.Select(r => r["MailingAddress"]).OfType<SalesforceAddress>().First(a => a.City is not null);
        Assert.Contains(rows, r => r["MailingAddress"] is SalesforceAddress a && a.City == (string?)r["MailingCity"]);
        Assert.NotNull(address.City);
    }

    [Fact]
    public async Task Counts_rows_with_a_COUNT_query()
    {
        var client = await demo.ConnectClientAsync(Ct);
        var describe = await client.DescribeAsync("Contact", Ct);

        var all = await client.CountAsync(SoqlQuery.From(describe).Count().ToSoql(), ct: Ct);
        var filtered = await client.CountAsync(SoqlQuery.From(describe).Where(Soql.Equal("HasOptedOutOfEmail", true)).Count().ToSoql(), ct: Ct);

        Assert.Equal(demo.ContactCount, all);
        Assert.InRange(filtered, 1, all - 1);
    }

    [Fact]
    public async Task Runs_a_query_built_from_the_describe()
    {
        var client = await demo.ConnectClientAsync(Ct);
        var describe = await client.DescribeAsync("Contact", Ct);
        var query = SoqlQuery.Incremental(describe, ["Email", "LastName"], DateTimeOffset.UtcNow.AddDays(-3), TimeSpan.FromMinutes(10));
        var previous = (Stamp: DateTimeOffset.MinValue, Id: "");

        await foreach (var row in client.QueryAsync(query, ct: Ct))
        {
            var current = (row.GetDateTime("SystemModstamp")!.Value, row.Id!);
            Assert.True(current.Item1 >= DateTimeOffset.UtcNow.AddDays(-3).AddMinutes(-10));
            Assert.True(current.Item1 > previous.Stamp || (current.Item1 == previous.Stamp && string.CompareOrdinal(current.Item2, previous.Id) > 0));
            previous = current;
        }
    }

    [Fact]
    public async Task Reads_the_org_limits()
    {
        var client = await demo.ConnectClientAsync(Ct);

        var limits = await client.GetLimitsAsync(Ct);

        Assert.Equal(1_000_000, limits["DailyApiRequests"].Max);
        Assert.InRange(limits["DailyApiRequests"].Remaining, 1, 1_000_000);
    }

    [Fact]
    public async Task Records_the_limit_header_of_every_response_and_saves_it_at_most_every_few_seconds()
    {
        var client = await demo.ConnectClientAsync(Ct);

        await client.GetLimitsAsync(Ct);

        var stored = demo.Store.Get(client.SourceId).ApiUsage;
        Assert.NotNull(stored);
        Assert.Equal(1_000_000, stored.Allowed);
        Assert.InRange(stored.Used, 1, demo.Org.ApiCallsUsed);
        Assert.Equal(stored, demo.Meter.Get(client.SourceId));

        await client.DescribeAsync("Account", Ct);
        await client.DescribeAsync("Contact", Ct);
        Assert.True(demo.Meter.Get(client.SourceId)!.Used > stored.Used);
        Assert.Equal(1, demo.Store.Get(client.SourceId).UsageSaves);

        demo.Clock.Advance(TimeSpan.FromSeconds(6));
        await client.DescribeAsync("Account", Ct);
        Assert.Equal(2, demo.Store.Get(client.SourceId).UsageSaves);
        Assert.Equal(demo.Meter.Get(client.SourceId), demo.Store.Get(client.SourceId).ApiUsage);
    }

    [Theory]
    [InlineData("SELECT Id, Bogus__c FROM Contact", HttpStatusCode.BadRequest, "INVALID_FIELD", "Bogus__c")]
    [InlineData("SELECT Id FROM", HttpStatusCode.BadRequest, "MALFORMED_QUERY", "")]
    [InlineData("SELECT Id FROM NoSuchThing__c", HttpStatusCode.BadRequest, "INVALID_TYPE", "NoSuchThing__c")]
    public async Task Surfaces_Salesforce_query_errors_in_its_own_words(string soql, HttpStatusCode status, string errorCode, string mentioned)
    {
        var client = await demo.ConnectClientAsync(Ct);
        var before = demo.Org.ApiCallsUsed;

        var error = await Assert.ThrowsAsync<SalesforceApiException>(async () =>
        {
            await foreach (var _ in client.QueryAsync(soql, ct: Ct))
            {
            }
        });

        Assert.Equal((status, errorCode), (error.StatusCode, error.ErrorCode));
        Assert.Contains(mentioned, error.SalesforceMessage, StringComparison.Ordinal);
        Assert.Equal(1, demo.Org.ApiCallsUsed - before); // a 4xx is never retried
    }

    [Fact]
    public async Task Reports_an_unknown_object_as_NOT_FOUND()
    {
        var client = await demo.ConnectClientAsync(Ct);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => client.DescribeAsync("NoSuchThing__c", Ct));

        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (error.StatusCode, error.ErrorCode));
    }

    [Fact]
    public async Task Continues_a_query_from_a_saved_locator_and_refuses_a_bad_one()
    {
        var client = await demo.ConnectClientAsync(Ct);
        string? locator = null;
        await foreach (var page in client.QueryPagesAsync(TenColumns, batchSize: 200, ct: Ct))
        {
            locator = page.NextRecordsUrl;
            break;
        }

        var rest = 0;
        await foreach (var page in client.QueryMoreAsync(locator!, 200, Ct))
        {
            rest += page.Records.Count;
        }

        Assert.Equal(demo.ContactCount - 200, rest);
        var bad = locator![..locator!.LastIndexOf('/')] + "/01gBOGUS-200";
        var error = await Assert.ThrowsAsync<SalesforceApiException>(async () =>
        {
            await foreach (var _ in client.QueryMoreAsync(bad, 200, Ct))
            {
            }
        });
        Assert.Equal("INVALID_QUERY_LOCATOR", error.ErrorCode);
    }
}
