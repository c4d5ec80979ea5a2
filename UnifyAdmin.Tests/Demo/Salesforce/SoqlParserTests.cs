using UnifyAdmin.Demo.Salesforce.Soql;

namespace UnifyAdmin.Tests.Core.Demo.Salesforce;

public sealed class SoqlParserTests
{
    [Fact]
    public void Reads_fields_relationship_paths_filter_order_and_limit()
    {
        var query = SoqlParser.Parse(
            "select Id, Account.Name, Owner.Email FROM Contact WHERE (Email != null AND NOT LastName LIKE 'Sm_th%') OR Id IN ('003A', '003B') " +
            "ORDER BY SystemModstamp DESC NULLS LAST, Id LIMIT 25");

        Assert.Equal(["Id", "Account.Name", "Owner.Email"], query.Fields.Select(f => f.ToString()));
        Assert.Equal("Contact", query.From);
        var or = Assert.IsType<SoqlOr>(query.Where);
        var and = Assert.IsType<SoqlAnd>(or.Left);
        Assert.Equal(SoqlOperator.NotEqual, Assert.IsType<SoqlComparison>(and.Left).Operator);
        Assert.Equal("Sm_th%", Assert.IsType<SoqlLike>(Assert.IsType<SoqlNot>(and.Right).Operand).Pattern);
        Assert.Equal(2, Assert.IsType<SoqlIn>(or.Right).Values.Count);
        Assert.Equal(2, query.OrderBy.Count);
        Assert.True(query.OrderBy[0].Descending);
        Assert.False(query.OrderBy[0].NullsFirst);
        Assert.True(query.OrderBy[1].NullsFirst);
        Assert.Equal(25, query.Limit);
    }

    [Fact]
    public void Reads_count_without_fields()
    {
        var query = SoqlParser.Parse("SELECT COUNT() FROM Account WHERE Industry = 'Banking'");

        Assert.True(query.IsCount);
        Assert.Empty(query.Fields);
    }

    [Theory]
    [InlineData("2024-03-05T17:03:29Z", "2024-03-05T17:03:29.0000000Z")]
    [InlineData("2024-03-05T17:03:29.250Z", "2024-03-05T17:03:29.2500000Z")]
    [InlineData("2024-03-05T19:03:29+02:00", "2024-03-05T17:03:29.0000000Z")]
    [InlineData("2024-03-05T12:03:29.5-05:00", "2024-03-05T17:03:29.5000000Z")]
    [InlineData("2024-03-05T17:03:29.000+0000", "2024-03-05T17:03:29.0000000Z")]
    public void Reads_datetime_literals_in_every_zone_form_as_utc(string literal, string expectedUtc)
    {
        var query = SoqlParser.Parse($"SELECT Id FROM Contact WHERE SystemModstamp >= {literal}");

        var comparison = Assert.IsType<SoqlComparison>(query.Where);
        Assert.Equal(SoqlLiteralKind.DateTime, comparison.Value.Kind);
        Assert.Equal(expectedUtc, ((DateTime)comparison.Value.Value!).ToString("O"));
    }

    [Fact]
    public void Reads_dates_numbers_booleans_and_escaped_strings()
    {
        var query = SoqlParser.Parse(@"SELECT Id FROM Contact WHERE Birthdate > 1990-01-31 AND Lifetime_Value__c >= -12.5 AND HasOptedOutOfEmail = FALSE AND LastName = 'O\'Brien \\ \n'");

        var literals = Flatten(query.Where!).OfType<SoqlComparison>().Select(c => c.Value).ToList();
        Assert.Equal(new DateOnly(1990, 1, 31), literals[0].Value);
        Assert.Equal(-12.5m, literals[1].Value);
        Assert.Equal(false, literals[2].Value);
        Assert.Equal("O'Brien \\ \n", literals[3].Value);
    }

    [Theory]
    [InlineData("new\nline")]
    [InlineData("carriage\rreturn")]
    [InlineData("tab\there")]
    [InlineData("back\bspace")]
    [InlineData("form\ffeed")]
    [InlineData("double \"quote\"")]
    [InlineData("single 'quote'")]
    [InlineData("back\\slash")]
    [InlineData("all: \n\r\t\b\f\"'\\ and 'OR 1=1")]
    public void Reads_back_every_escape_the_client_writes(string value)
    {
        var soql = UnifyAdmin.Core.Salesforce.SoqlQuery.From(UnifyAdmin.Tests.Core.Salesforce.SoqlQueryTests.Contact)
            .Select("LastName")
            .Where(UnifyAdmin.Core.Salesforce.Soql.Equal("LastName", value))
            .ToSoql();

        var query = SoqlParser.Parse(soql);

        var comparison = Assert.IsType<SoqlComparison>(query.Where);
        Assert.Equal(value, comparison.Value.Value);
    }

    [Theory]
    [InlineData("", "A query string has to be specified")]
    [InlineData("SELECT FROM Contact", "unexpected token: 'FROM'")]
    [InlineData("SELECT Id Contact", "unexpected token: 'Contact'")]
    [InlineData("SELECT Id FROM Contact WHERE Name =", "unexpected token: '<EOF>'")]
    [InlineData("SELECT Id FROM", "expected an object name")]
    [InlineData("SELECT Id FROM Contact WHERE", "expected a field name")]
    [InlineData("SELECT Id FROM Contact WHERE Name = 'open", "unterminated string literal")]
    [InlineData("SELECT Id FROM Contact WHERE Name = 'a\\q'", "Illegal character sequence")]
    [InlineData("SELECT Id FROM Contact WHERE Name 'x'", "expected a comparison operator")]
    [InlineData("SELECT Id FROM Contact WHERE CreatedDate > LAST_N_DAYS:3", "'LAST_N_DAYS:n'")]
    [InlineData("SELECT Id FROM Contact WHERE CreatedDate > TODAY", "Date literals such as 'TODAY'")]
    [InlineData("SELECT Id FROM Contact WHERE (Name = 'x'", "expected ')'")]
    [InlineData("SELECT Id FROM Contact LIMIT x", "non-negative whole number")]
    [InlineData("SELECT Id FROM Contact GROUP BY Name", "GROUP is not supported")]
    [InlineData("SELECT Id, (SELECT Id FROM Contacts) FROM Account", "Subqueries are not supported")]
    [InlineData("SELECT COUNT(Id) FROM Contact", "Only COUNT() is supported")]
    [InlineData("SELECT Id FROM Contact, Account", "Only one object can follow FROM")]
    [InlineData("SELECT Id FROM Contact WHERE Email < null", "null can only be compared with = or !=")]
    [InlineData("SELECT Id FROM Contact WHERE CreatedDate > 2024-13-01", "invalid date literal")]
    [InlineData("SELECT Id FROM Contact WHERE CreatedDate > 2024-03-01T25:00:00Z", "invalid datetime literal")]
    [InlineData("SELECT Id FROM Contact WHERE Id IN (SELECT ContactId FROM Case)", "Semi-join subqueries are not supported")]
    [InlineData("SELECT Id FROM Contact ORDER BY Name NULLS MIDDLE", "expected FIRST or LAST")]
    [InlineData("SELECT Id FROM Contact # comment", "unexpected token: '#'")]
    public void Rejects_malformed_queries_with_a_message_naming_the_problem(string soql, string expected)
    {
        var error = Assert.Throws<SoqlException>(() => SoqlParser.Parse(soql));

        Assert.Equal("MALFORMED_QUERY", error.ErrorCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_query_longer_than_100000_characters()
    {
        var soql = "SELECT Id FROM Contact WHERE Name = '" + new string('x', 100_000) + "'";

        var error = Assert.Throws<SoqlException>(() => SoqlParser.Parse(soql));

        Assert.Contains("too long", error.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<SoqlCondition> Flatten(SoqlCondition condition) => condition switch
    {
        SoqlAnd and => Flatten(and.Left).Concat(Flatten(and.Right)),
        SoqlOr or => Flatten(or.Left).Concat(Flatten(or.Right)),
        _ => [condition],
    };
}
