using System.Text;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Tests.Core.Salesforce;

public sealed class SalesforceQueryPageParserTests
{
    private const string Page = """
        {"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v64.0/query/01gXX-2000","records":[
          {"attributes":{"type":"Contact","url":"/services/data/v64.0/sobjects/Contact/003A"},"Id":"003A","Name":"O'Brien \"Bo\"",
           "Birthdate":"1980-07-01","SystemModstamp":"2024-03-05T17:03:29.000+0000","IsDeleted":false,"NumberOfEmployees":12,
           "AnnualRevenue":1250000.75,"Score__c":1.5E+3,"Email":null,
           "Account":{"attributes":{"type":"Account","url":"/x"},"Name":"Acme","Owner":{"attributes":{"type":"User","url":"/y"},"Name":"Ada"}},
           "MailingAddress":{"city":"Paris","country":"France","geocodeAccuracy":null,"latitude":48.85,"longitude":2.35,"postalCode":"75001","state":null,"street":"1 Rue\nBis"},
           "Location__c":{"latitude":1.5,"longitude":-2},
           "Tags__c":"2024-03-05 is not a date here","Code__c":"2024-03-05","Stamp_Text__c":"2024-03-05T17:03:29.000+0000"},
          {"attributes":{"type":"Contact","url":"/z"},"Id":"003B","Name":"Second",
           "Birthdate":null,"SystemModstamp":"2024-03-06T01:00:00.000Z","IsDeleted":true,"NumberOfEmployees":null,
           "AnnualRevenue":null,"Score__c":null,"Email":"b@example.com","Account":null,"MailingAddress":null,"Location__c":null,"Tags__c":null,"Code__c":null,"Stamp_Text__c":null},
          {"attributes":{"type":"Contact","url":"/w"},"Id":"003C","Extra":"different shape"}
        ]}
        """;

    [Fact]
    public void Reads_page_metadata()
    {
        var page = new SalesforceQueryPageParser().Parse(Encoding.UTF8.GetBytes(Page));

        Assert.Equal(3, page.TotalSize);
        Assert.False(page.Done);
        Assert.Equal("/services/data/v64.0/query/01gXX-2000", page.NextRecordsUrl);
        Assert.Equal(3, page.Records.Count);
    }

    [Fact]
    public void Types_every_kind_of_value()
    {
        var row = new SalesforceQueryPageParser().Parse(Encoding.UTF8.GetBytes(Page)).Records[0];

        Assert.Equal("Contact", row.Type);
        Assert.Equal("003A", row.Id);
        Assert.Equal("O'Brien \"Bo\"", row["Name"]);
        Assert.Equal("1980-07-01", row["Birthdate"]);
        Assert.Equal(new DateOnly(1980, 7, 1), row.GetDate("Birthdate"));
        Assert.Equal("2024-03-05T17:03:29.000+0000", row["SystemModstamp"]);
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 17, 3, 29, TimeSpan.Zero), row.GetDateTime("SystemModstamp"));
        Assert.Equal(false, row["IsDeleted"]);
        Assert.Equal(12L, row["NumberOfEmployees"]);
        Assert.Equal(1250000.75m, row["AnnualRevenue"]);
        Assert.Equal(1500m, row["Score__c"]);
        Assert.Null(row["Email"]);
        Assert.Equal("2024-03-05 is not a date here", row["Tags__c"]);
        Assert.Equal("Ada", row.GetPath("Account.Owner.Name"));
        Assert.Equal("Account", Assert.IsType<SalesforceRecord>(row["Account"]).Type);
        var address = Assert.IsType<SalesforceAddress>(row["MailingAddress"]);
        Assert.Equal(("Paris", "1 Rue\nBis", 48.85), (address.City, address.Street, address.Latitude!.Value));
        Assert.Equal(new SalesforceLocation(1.5, -2), row["Location__c"]);
    }

    [Fact]
    public void Text_that_looks_like_a_date_stays_exactly_the_text_salesforce_sent()
    {
        var row = new SalesforceQueryPageParser().Parse(Encoding.UTF8.GetBytes(Page)).Records[0];

        Assert.Equal("2024-03-05", Assert.IsType<string>(row["Code__c"]));
        Assert.Equal("2024-03-05T17:03:29.000+0000", Assert.IsType<string>(row["Stamp_Text__c"]));
    }

    [Fact]
    public void Asking_for_a_datetime_of_a_field_that_holds_none_says_which_field()
    {
        var rows = new SalesforceQueryPageParser().Parse(Encoding.UTF8.GetBytes(Page)).Records;

        var error = Assert.Throws<FormatException>(() => rows[0].GetDateTime("Tags__c"));
        Assert.Contains("Tags__c", error.Message);
        Assert.Null(rows[1].GetDateTime("Birthdate"));
        Assert.Equal(new DateTimeOffset(2024, 3, 6, 1, 0, 0, TimeSpan.Zero), rows[1].GetDateTime("SystemModstamp"));
    }

    [Fact]
    public void A_page_that_promises_more_rows_without_saying_where_is_an_error()
    {
        var json = """{"totalSize":4000,"done":false,"records":[]}""";

        var error = Assert.Throws<System.Text.Json.JsonException>(() => new SalesforceQueryPageParser().Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains("nextRecordsUrl", error.Message);
    }

    [Fact]
    public void Reads_nulls_deleted_flags_and_rows_of_another_shape()
    {
        var records = new SalesforceQueryPageParser().Parse(Encoding.UTF8.GetBytes(Page)).Records;

        Assert.True(records[1].IsDeleted);
        Assert.Null(records[1]["Account"]);
        Assert.Null(records[1].GetPath("Account.Name"));
        Assert.Same(records[0].FieldNames, records[1].FieldNames);
        Assert.Equal(["Id", "Extra"], records[2].FieldNames);
        Assert.False(records[2].ContainsKey("Name"));
        Assert.Throws<KeyNotFoundException>(() => records[2]["Name"]);
        Assert.Equal("003C", records[2]["id"]);
    }

    [Fact]
    public void Reads_child_subqueries_and_empty_count_pages()
    {
        const string json = """
            {"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account"},"Name":"Acme",
             "Contacts":{"totalSize":2,"done":true,"records":[{"attributes":{"type":"Contact"},"LastName":"A"},{"attributes":{"type":"Contact"},"LastName":"B"}]}}]}
            """;
        var page = new SalesforceQueryPageParser().Parse(Encoding.UTF8.GetBytes(json));
        var contacts = Assert.IsType<SalesforceSubquery>(page.Records[0]["Contacts"]);

        Assert.True(page.Done);
        Assert.Null(page.NextRecordsUrl);
        Assert.Equal(["A", "B"], contacts.Records.Select(r => (string)r["LastName"]!));

        var count = new SalesforceQueryPageParser().Parse("""{"totalSize":42,"done":true,"records":[]}"""u8);
        Assert.Equal(42, count.TotalSize);
        Assert.Empty(count.Records);
    }
}
