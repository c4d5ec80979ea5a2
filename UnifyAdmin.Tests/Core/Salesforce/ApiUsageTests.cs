using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Tests.Core.Salesforce;

public sealed class ApiUsageTests
{
    [Theory]
    [InlineData("api-usage=10018/100000", 10018, 100000)]
    [InlineData("api-usage=5/15000; per-app-api-usage=2/250(appName=UnifyAdmin)", 5, 15000)]
    [InlineData("per-app-api-usage=2/250(appName=X);api-usage=7/15000", 7, 15000)]
    public void Parses_used_and_allowed_from_the_limit_header(string header, long used, long allowed)
    {
        Assert.True(ApiUsage.TryParse(header, out var usage));
        Assert.Equal(new ApiUsage(used, allowed), usage);
        Assert.Equal(allowed - used, usage.Remaining);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("api-usage=abc/15000")]
    public void Ignores_headers_without_usage(string? header)
    {
        Assert.False(ApiUsage.TryParse(header, out _));
    }

    [Fact]
    public void Meter_keeps_the_latest_usage_per_source()
    {
        var meter = new ApiUsageMeter();
        var source = Guid.NewGuid();

        meter.Record(source, new ApiUsage(1, 10));
        meter.Record(source, new ApiUsage(2, 10));

        Assert.Equal(new ApiUsage(2, 10), meter.Get(source));
        Assert.Null(meter.Get(Guid.NewGuid()));
    }
}
