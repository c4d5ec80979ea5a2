using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Tests.Core.Salesforce;

public sealed class SoqlQueryTests
{
    internal static SalesforceField Field(string name, string type = "string", string? relationshipName = null)
        => new(name, name, type, 255, true, name.EndsWith("__c", StringComparison.Ordinal), false,
            relationshipName is null ? [] : ["Account"], relationshipName, null, [], true, true, false, false, name == "Id");

    internal static readonly SalesforceObjectDescribe Contact = new(
        "Contact", "Contact", "Contacts", false, true, true, "003",
        [
            Field("Id", "id"), Field("FirstName"), Field("LastName"), Field("Email", "email"), Field("Birthdate", "date"),
            Field("SystemModstamp", "datetime"), Field("LastModifiedDate", "datetime"), Field("IsDeleted", "boolean"),
            Field("NumberOfEmployees__c", "int"), Field("AccountId", "reference", "Account"),
        ]);

    private static readonly SalesforceObjectDescribe Account = new(
        "Account", "Account", "Accounts", false, true, true, "001", [Field("Id", "id"), Field("Name")]);

    [Fact]
    public void Emits_fields_in_the_describe_spelling()
    {
        var soql = SoqlQuery.From(Contact).Select("id", "firstname", "LASTNAME").ToSoql();

        Assert.Equal("SELECT Id, FirstName, LastName FROM Contact", soql);
    }

    [Theory]
    [InlineData("Nope__c")]
    [InlineData("Name FROM User --")]
    [InlineData("Id, (SELECT Id FROM Cases)")]
    public void Refuses_fields_the_describe_does_not_know(string field)
    {
        var error = Assert.Throws<SoqlUnknownNameException>(() => SoqlQuery.From(Contact).Select("Id", field));

        Assert.Equal(field, error.Name);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_unknown_fields_inside_conditions_and_order()
    {
        Assert.Throws<SoqlUnknownNameException>(() => SoqlQuery.From(Contact).Select("Id").Where(Soql.Equal("Bogus", 1)));
        Assert.Throws<SoqlUnknownNameException>(() => SoqlQuery.From(Contact).Select("Id").OrderBy("Bogus"));
    }

    [Theory]
    [InlineData("O'Brien", @"'O\'Brien'")]
    [InlineData(@"back\slash", @"'back\\slash'")]
    [InlineData("say \"hi\"", "'say \\\"hi\\\"'")]
    [InlineData("line\nfeed\rreturn\ttab", @"'line\nfeed\rreturn\ttab'")]
    [InlineData("' OR Name != '", @"'\' OR Name != \''")]
    public void Escapes_string_literals(string value, string literal)
    {
        Assert.Equal(literal, Soql.Literal(value));
        Assert.Equal($"SELECT Id FROM Contact WHERE LastName = {literal}", SoqlQuery.From(Contact).Select("Id").Where(Soql.Equal("LastName", value)).ToSoql());
    }

    [Fact]
    public void Writes_typed_literals_in_invariant_form()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("fr-FR");
        try
        {
            Assert.Equal("2024-03-05T17:03:29.120Z", Soql.Literal(new DateTimeOffset(2024, 3, 5, 18, 3, 29, 120, TimeSpan.FromHours(1))));
            Assert.Equal("2024-03-05", Soql.Literal(new DateOnly(2024, 3, 5)));
            Assert.Equal("1234.5", Soql.Literal(1234.5m));
            Assert.Equal("0.25", Soql.Literal(0.25d));
            Assert.Equal("-42", Soql.Literal(-42L));
            Assert.Equal("true", Soql.Literal(true));
            Assert.Equal("null", Soql.Literal(null));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Refuses_values_without_a_literal_form()
    {
        Assert.Throws<ArgumentException>(() => Soql.Literal(double.NaN));
        Assert.Throws<ArgumentException>(() => Soql.Literal(new object()));
        Assert.Throws<ArgumentException>(() => Soql.Literal(DayOfWeek.Monday));
    }

    [Fact]
    public void Composes_conditions_order_and_limit()
    {
        var soql = SoqlQuery.From(Contact)
            .Select("Id", "Email")
            .Where((Soql.NotEqual("Email", null) & Soql.GreaterOrEqual("NumberOfEmployees__c", 10)) | !Soql.In("LastName", ["A", "B'"]))
            .Where(Soql.LessThan("Birthdate", new DateOnly(2000, 1, 1)))
            .OrderBy("LastName", descending: true)
            .Limit(50)
            .ToSoql();

        Assert.Equal(
            "SELECT Id, Email FROM Contact WHERE (((Email != null AND NumberOfEmployees__c >= 10) OR (NOT LastName IN ('A', 'B\\''))) AND Birthdate < 2000-01-01) ORDER BY LastName DESC LIMIT 50",
            soql);
    }

    [Fact]
    public void Escapes_wildcards_in_starts_with_but_not_in_like_patterns()
    {
        Assert.Equal(@"SELECT Id FROM Contact WHERE LastName LIKE '50\%\_off\'%'", SoqlQuery.From(Contact).Select("Id").Where(Soql.StartsWith("LastName", "50%_off'")).ToSoql());
        Assert.Equal("SELECT Id FROM Contact WHERE Email LIKE '%@example.com'", SoqlQuery.From(Contact).Select("Id").Where(Soql.Like("Email", "%@example.com")).ToSoql());
    }

    [Fact]
    public void Allows_relationship_fields_only_with_the_related_describe()
    {
        Assert.Throws<SoqlUnknownNameException>(() => SoqlQuery.From(Contact).Select("Account.Name"));

        var soql = SoqlQuery.From(Contact).WithRelationship("account", Account).Select("Id", "account.name").ToSoql();

        Assert.Equal("SELECT Id, Account.Name FROM Contact", soql);
        Assert.Throws<SoqlUnknownNameException>(() => SoqlQuery.From(Contact).WithRelationship("Account", Account).Select("Account.Bogus"));
    }

    [Fact]
    public void Builds_the_incremental_shape_with_lookback()
    {
        var cursor = new DateTimeOffset(2024, 3, 5, 17, 13, 29, TimeSpan.Zero);

        var soql = SoqlQuery.Incremental(Contact, ["Email", "LastName"], cursor, TimeSpan.FromMinutes(10)).ToSoql();

        Assert.Equal(
            "SELECT Email, LastName, Id, SystemModstamp FROM Contact WHERE SystemModstamp >= 2024-03-05T17:03:29.000Z ORDER BY SystemModstamp, Id",
            soql);
    }

    [Fact]
    public void Falls_back_to_LastModifiedDate_and_reads_everything_without_a_cursor()
    {
        var noModstamp = Contact with { Fields = [.. Contact.Fields.Where(f => f.Name != "SystemModstamp")] };

        var soql = SoqlQuery.Incremental(noModstamp, ["Email"], null, TimeSpan.FromMinutes(10)).ToSoql();

        Assert.Equal("SELECT Email, Id, LastModifiedDate FROM Contact ORDER BY LastModifiedDate, Id", soql);
    }

    [Fact]
    public void Counts_with_the_same_filter()
    {
        var soql = SoqlQuery.From(Contact).Select("Id").Where(Soql.Equal("IsDeleted", true)).Count().ToSoql();

        Assert.Equal("SELECT COUNT() FROM Contact WHERE IsDeleted = true", soql);
    }

    [Fact]
    public void Refuses_a_field_list_too_wide_for_one_request()
    {
        var wide = Contact with { Fields = [.. Contact.Fields, .. Enumerable.Range(0, 800).Select(i => Field($"Very_Long_Custom_Field_Name_{i:D4}__c"))] };

        var error = Assert.Throws<SoqlTooLongException>(() => SoqlQuery.From(wide).Select(wide.Fields.Select(f => f.Name)).ToSoql());

        Assert.Contains("split", error.Message, StringComparison.Ordinal);
    }
}
