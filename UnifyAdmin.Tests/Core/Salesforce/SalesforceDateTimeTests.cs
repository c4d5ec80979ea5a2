using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Tests.Core.Salesforce;

public sealed class SalesforceDateTimeTests
{
    [Theory]
    [InlineData("2024-03-05T17:03:29.000+0000")]
    [InlineData("2024-03-05T17:03:29.000Z")]
    [InlineData("2024-03-05T17:03:29Z")]
    [InlineData("2024-03-05T17:03:29.000+00:00")]
    [InlineData("2024-03-05T18:03:29.000+0100")]
    [InlineData("2024-03-05T12:03:29-05:00")]
    public void Parses_every_datetime_form_Salesforce_sends(string text)
    {
        var value = SalesforceDateTime.ParseDateTime(text);

        Assert.Equal(new DateTimeOffset(2024, 3, 5, 17, 3, 29, TimeSpan.Zero), value.ToUniversalTime());
    }

    [Fact]
    public void Keeps_milliseconds_and_the_offset()
    {
        var value = SalesforceDateTime.ParseDateTime("2024-03-05T17:03:29.123+0530");

        Assert.Equal(123, value.Millisecond);
        Assert.Equal(TimeSpan.FromMinutes(330), value.Offset);
    }

    [Theory]
    [InlineData("2024-03-05")]
    [InlineData("2024-03-05T17:03:29")]
    [InlineData("2024-13-05T17:03:29Z")]
    [InlineData("2024-02-30T17:03:29Z")]
    [InlineData("2024-03-05T25:03:29Z")]
    [InlineData("2024-03-05T17:03:29.000+000")]
    [InlineData("hello world, not a date")]
    public void Refuses_what_is_not_a_datetime(string text)
    {
        Assert.False(SalesforceDateTime.TryParseDateTime(text, out _));
    }

    [Fact]
    public void Parses_dates_and_refuses_impossible_ones()
    {
        Assert.True(SalesforceDateTime.TryParseDate("2024-02-29", out var date));
        Assert.Equal(new DateOnly(2024, 2, 29), date);
        Assert.False(SalesforceDateTime.TryParseDate("2023-02-29", out _));
        Assert.False(SalesforceDateTime.TryParseDate("2024-3-5", out _));
    }

    [Fact]
    public void Formats_datetimes_the_way_Salesforce_sends_them()
    {
        var text = SalesforceDateTime.Format(new DateTimeOffset(2024, 3, 5, 18, 3, 29, 7, TimeSpan.FromHours(1)));

        Assert.Equal("2024-03-05T17:03:29.007+0000", text);
    }
}
