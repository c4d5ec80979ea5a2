using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace UnifyAdmin.Tests.Core.Demo.Salesforce;

public sealed class DemoFaultTests : IClassFixture<DemoHostFixture>
{
    private readonly DemoHostFixture demo;

    public DemoFaultTests(DemoHostFixture demo)
    {
        this.demo = demo;
        demo.Org.Reset();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> LimitsAsync(string token) => await demo.GetAsync("services/data/v64.0/limits", token, Ct);

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct))[0].GetProperty("errorCode").GetString();

    [Fact]
    public async Task Answers_403_when_daily_allowance_is_spent()
    {
        var token = (await demo.ClientCredentialsAsync(Ct)).AccessToken;
        demo.Org.SetRemainingApiCalls(2);

        using var first = await LimitsAsync(token);
        using var second = await LimitsAsync(token);
        using var third = await LimitsAsync(token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, third.StatusCode);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", await ErrorCodeAsync(third));
        Assert.Equal("api-usage=15000/15000", third.Headers.GetValues("Sforce-Limit-Info").Single());
        Assert.False(third.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Counts_every_api_call_in_the_usage_header()
    {
        var token = (await demo.ClientCredentialsAsync(Ct)).AccessToken;

        using var first = await LimitsAsync(token);
        using var second = await LimitsAsync(token);

        Assert.Equal("api-usage=1/15000", first.Headers.GetValues("Sforce-Limit-Info").Single());
        Assert.Equal("api-usage=2/15000", second.Headers.GetValues("Sforce-Limit-Info").Single());
    }

    [Theory]
    [InlineData(503, "SERVER_UNAVAILABLE")]
    [InlineData(500, "UNKNOWN_EXCEPTION")]
    public async Task Fails_the_next_responses_with_an_injected_server_error(int status, string code)
    {
        var token = (await demo.ClientCredentialsAsync(Ct)).AccessToken;
        demo.Org.InjectFaults(status, 2);

        using var first = await LimitsAsync(token);
        using var second = await LimitsAsync(token);
        using var third = await LimitsAsync(token);

        Assert.Equal(status, (int)first.StatusCode);
        Assert.Equal(code, await ErrorCodeAsync(first));
        Assert.Equal(status, (int)second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task Delays_responses_while_a_delay_is_set()
    {
        var token = (await demo.ClientCredentialsAsync(Ct)).AccessToken;
        demo.Org.SetResponseDelay(TimeSpan.FromMilliseconds(400));
        var clock = Stopwatch.StartNew();

        using var slow = await LimitsAsync(token);
        var slowTime = clock.Elapsed;
        demo.Org.ClearFaults();

        Assert.Equal(HttpStatusCode.OK, slow.StatusCode);
        Assert.True(slowTime >= TimeSpan.FromMilliseconds(400), $"took {slowTime}");
    }

    [Fact]
    public async Task Answers_403_api_disabled_while_the_api_is_off_for_the_user()
    {
        var token = (await demo.ClientCredentialsAsync(Ct)).AccessToken;
        demo.Org.SetApiEnabled(false);

        using var off = await LimitsAsync(token);
        demo.Org.SetApiEnabled(true);
        using var on = await LimitsAsync(token);

        Assert.Equal(HttpStatusCode.Forbidden, off.StatusCode);
        var error = (await off.Content.ReadFromJsonAsync<JsonElement>(Ct))[0];
        Assert.Equal("API_DISABLED_FOR_ORG", error.GetProperty("errorCode").GetString());
        Assert.Equal("The REST API is not enabled for this Organization.", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
    }

    [Fact]
    public async Task Answers_401_after_access_tokens_are_expired_until_a_new_token_is_used()
    {
        var old = (await demo.ClientCredentialsAsync(Ct)).AccessToken;
        demo.Org.ExpireAccessTokens();
        var fresh = (await demo.ClientCredentialsAsync(Ct)).AccessToken;

        using var expired = await LimitsAsync(old);
        using var valid = await LimitsAsync(fresh);

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("INVALID_SESSION_ID", await ErrorCodeAsync(expired));
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }
}
