using System.Net;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Web;

/// <summary>What anonymous requests and probes get, over real HTTP.</summary>
public sealed class AccessTests(AppHost host) : IClassFixture<AppHost>
{
    private HttpClient NoRedirects() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };

    [Fact]
    public async Task Health_and_readiness_probes_answer_without_signing_in()
    {
        using var http = NoRedirects();

        var alive = await http.GetAsync("/healthz", TestContext.Current.CancellationToken);
        var ready = await http.GetAsync("/readyz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/sources")]
    [InlineData("/users")]
    [InlineData("/sync-runs")]
    public async Task Anonymous_requests_for_pages_are_sent_to_sign_in(string path)
    {
        await host.EnsureAdminAsync();
        using var http = NoRedirects();

        var response = await http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery.TrimStart('.'));
    }

    [Fact]
    public async Task The_sign_in_page_is_open_and_carries_an_antiforgery_token()
    {
        await host.EnsureAdminAsync();
        using var http = NoRedirects();

        var response = await http.GetAsync("/account/login", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("__RequestVerificationToken", html);
    }

    [Fact]
    public async Task Sign_out_without_an_antiforgery_token_is_refused()
    {
        await host.EnsureAdminAsync();
        using var http = NoRedirects();

        var response = await http.PostAsync("/account/logout", new FormUrlEncodedContent([]), TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
