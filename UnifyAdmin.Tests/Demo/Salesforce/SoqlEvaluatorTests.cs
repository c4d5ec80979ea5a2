using Microsoft.Extensions.Options;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Demo.Salesforce.Soql;

namespace UnifyAdmin.Tests.Core.Demo.Salesforce;

public sealed class SoqlEvaluatorTests
{
    private readonly SalesforceDemoOrg org = new(Options.Create(new SalesforceDemoOptions
    {
        ObjectSizes = new(StringComparer.OrdinalIgnoreCase) { ["Account"] = 300, ["Contact"] = 2000, ["User"] = 10 },
    }), TimeProvider.System);

    private List<Dictionary<string, object?>> Run(string soql, bool all = false)
    {
        var plan = SoqlPlan.Create(org.View(), soql, all);
        var leaves = plan.Select.Items.OfType<LeafItem>().Select(l => l.Field).ToList();
        var rows = plan.Rows().Select(row => leaves.ToDictionary(f => f.Name, f => plan.View.Get(plan.State, row, f))).ToList();
        Assert.Equal(rows.Count, plan.Count());
        return rows;
    }

    private List<Dictionary<string, object?>> All(string fields = "Id, FirstName, LastName, Email, Title, AccountId, Birthdate, SystemModstamp, CreatedDate") =>
        Run($"SELECT {fields} FROM Contact");

    [Fact]
    public void Filters_with_and_or_not_and_parentheses_like_linq_would()
    {
        var all = All();
        var expected = all.Where(r => ((string?)r["Title"] == "CEO" || (string?)r["Title"] == "CTO") && !(r["Email"] is null)).Select(r => r["Id"]).ToList();

        var rows = Run("SELECT Id FROM Contact WHERE (Title = 'ceo' OR Title = 'CTO') AND NOT Email = null");

        Assert.NotEmpty(expected);
        Assert.Equal(expected, rows.Select(r => r["Id"]));
    }

    [Fact]
    public void Compares_null_only_with_equality()
    {
        var all = All();

        Assert.Equal(all.Count(r => r["Title"] is null), Run("SELECT Id FROM Contact WHERE Title = null").Count);
        Assert.Equal(all.Count(r => r["Title"] is not null), Run("SELECT Id FROM Contact WHERE Title != null").Count);
        Assert.Equal(all.Count(r => r["Title"] is not null), Run("SELECT Id FROM Contact WHERE Title <> NULL").Count);
        // A range comparison never matches a null value.
        Assert.Equal(all.Count(r => r["Birthdate"] is DateOnly d && d < new DateOnly(1970, 1, 1)), Run("SELECT Id FROM Contact WHERE Birthdate < 1970-01-01").Count);
    }

    [Fact]
    public void Matches_in_and_not_in_lists()
    {
        var all = All();

        var inList = Run("SELECT Id FROM Contact WHERE Title IN ('CEO', 'cfo')");
        var notIn = Run("SELECT Id FROM Contact WHERE Title NOT IN ('CEO', 'CFO')");

        Assert.Equal(all.Count(r => r["Title"] is "CEO" or "CFO"), inList.Count);
        Assert.Equal(all.Count(r => r["Title"] is not null and not "CEO" and not "CFO"), notIn.Count);
    }

    [Fact]
    public void Matches_like_patterns_case_insensitively_with_both_wildcards()
    {
        var all = All();

        var rows = Run("SELECT Id, LastName FROM Contact WHERE LastName LIKE 'tur_n%'");

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("Turing", r["LastName"]));
        Assert.Equal(all.Count(r => (string?)r["LastName"] == "Turing"), rows.Count);
        Assert.Equal(all.Count(r => ((string)r["LastName"]!).Contains('-')), Run("SELECT Id FROM Contact WHERE LastName LIKE '%-%'").Count);
    }

    [Fact]
    public void Matches_strings_with_escaped_quotes()
    {
        var rows = Run(@"SELECT Id, LastName FROM Contact WHERE LastName = 'O\'Brien'");

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("O'Brien", r["LastName"]));
    }

    [Fact]
    public void Filters_on_parent_fields_through_relationships()
    {
        var rows = Run("SELECT Id, AccountId FROM Contact WHERE Account.Industry = 'Banking'");
        var banking = Run("SELECT Id FROM Account WHERE Industry = 'Banking'").Select(r => (string)r["Id"]!).ToHashSet();

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains((string)r["AccountId"]!, banking));
    }

    [Fact]
    public void Sorts_by_several_fields_with_nulls_first_or_last()
    {
        var rows = Run("SELECT Id, Title, LastName FROM Contact ORDER BY Title DESC NULLS LAST, LastName ASC, Id LIMIT 500");
        var expected = All().OrderBy(r => r["Title"] is null).ThenByDescending(r => (string?)r["Title"], StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => (string?)r["LastName"], StringComparer.OrdinalIgnoreCase).ThenBy(r => (string?)r["Id"], StringComparer.Ordinal)
            .Take(500).Select(r => r["Id"]).ToList();

        Assert.Equal(500, rows.Count);
        Assert.Equal(expected, rows.Select(r => r["Id"]));
        Assert.Null(Run("SELECT Id, Title FROM Contact ORDER BY Title NULLS FIRST LIMIT 1")[0]["Title"]);
    }

    [Fact]
    public void Serves_timestamp_ranges_from_index_ranges_with_the_same_rows_as_a_scan()
    {
        var all = All();
        var cut = (DateTime)all[1234]["SystemModstamp"]!;
        var literal = cut.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var expected = all.Where(r => (DateTime)r["SystemModstamp"]! >= cut).Select(r => r["Id"]).ToList();

        var plan = SoqlPlan.Create(org.View(), $"SELECT Id FROM Contact WHERE SystemModstamp >= {literal} ORDER BY SystemModstamp, Id", false);
        var rows = Run($"SELECT Id, SystemModstamp FROM Contact WHERE SystemModstamp >= {literal} ORDER BY SystemModstamp, Id");

        Assert.Equal(SoqlOrderMode.Timestamp, plan.Mode);
        Assert.Equal(expected, rows.Select(r => r["Id"]));
        Assert.Equal(rows.Select(r => (DateTime)r["SystemModstamp"]!).Order(), rows.Select(r => (DateTime)r["SystemModstamp"]!));
    }

    [Fact]
    public void Merges_changed_records_into_timestamp_order()
    {
        var all = All();
        var cut = (DateTime)all[1500]["SystemModstamp"]!;
        var literal = cut.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var early = org.RecordId("Contact", 10);
        org.Update("Contact", early, new Dictionary<string, object?> { ["Title"] = "Chief Demo Officer" });
        var inserted = org.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "Newcomer" });
        var late = (string)all[1600]["Id"]!;
        org.SoftDelete("Contact", late);

        var rows = Run($"SELECT Id, Title FROM Contact WHERE SystemModstamp >= {literal} ORDER BY SystemModstamp, Id");

        Assert.Equal(all.Count - 1500 - 1 + 2, rows.Count);
        Assert.DoesNotContain(rows, r => (string)r["Id"]! == late);
        Assert.Equal([early, inserted], rows.TakeLast(2).Select(r => (string)r["Id"]!).Order(StringComparer.Ordinal));
        Assert.Contains(Run($"SELECT Id FROM Contact WHERE SystemModstamp >= {literal}", all: true), r => (string)r["Id"]! == late);
    }

    [Fact]
    public void Compares_datetimes_given_with_an_offset()
    {
        var all = All();
        var cut = (DateTime)all[700]["CreatedDate"]!;
        var shifted = cut.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:ss'+02:00'");

        var rows = Run($"SELECT Id FROM Contact WHERE CreatedDate < {shifted}");

        Assert.Equal(all.Count(r => (DateTime)r["CreatedDate"]! < cut), rows.Count);
    }

    [Fact]
    public void Counts_with_and_without_filters_and_limits()
    {
        Assert.Equal(2000, SoqlPlan.Create(org.View(), "SELECT COUNT() FROM Contact", false).Count());
        Assert.Equal(10, SoqlPlan.Create(org.View(), "SELECT COUNT() FROM Contact LIMIT 10", false).Count());
        Assert.Equal(All().Count(r => r["Email"] is null), SoqlPlan.Create(org.View(), "SELECT COUNT() FROM Contact WHERE Email = null", false).Count());
    }

    [Theory]
    [InlineData("SELECT Id, Foo FROM Contact", "INVALID_FIELD", "No such column 'Foo' on entity 'Contact'.")]
    [InlineData("SELECT Id, Acount.Name FROM Contact", "INVALID_FIELD", "Didn't understand relationship 'Acount' in field path.")]
    [InlineData("SELECT Id, Account.Nope FROM Contact", "INVALID_FIELD", "No such column 'Nope' on entity 'Account'.")]
    [InlineData("SELECT Id FROM Contact WHERE Bogus = 1", "INVALID_FIELD", "No such column 'Bogus'")]
    [InlineData("SELECT Id FROM Foo", "INVALID_TYPE", "sObject type 'Foo' is not supported.")]
    [InlineData("SELECT Id FROM ContactChangeEvent", "INVALID_TYPE", "does not support query")]
    [InlineData("SELECT Id FROM Contact WHERE CreatedDate > '2024-01-01'", "INVALID_FIELD", "must be of type dateTime and should not be enclosed in quotes")]
    [InlineData("SELECT Id FROM Contact WHERE Email = 5", "INVALID_FIELD", "must be of type string and should be enclosed in quotes")]
    [InlineData("SELECT Id FROM Contact WHERE MailingAddress = null", "INVALID_FIELD", "can not be filtered")]
    [InlineData("SELECT Id, Id FROM Contact", "MALFORMED_QUERY", "duplicate field selected: Id")]
    public void Rejects_names_and_values_the_schema_does_not_allow(string soql, string code, string message)
    {
        var error = Assert.Throws<SoqlException>(() => SoqlPlan.Create(org.View(), soql, false));

        Assert.Equal(code, error.ErrorCode);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
