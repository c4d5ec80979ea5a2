using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Tests.Core.Salesforce;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Web.Security;

/// <summary>Error banners, unknown ids and the OAuth callback, probed over real HTTP as a signed-in Admin.</summary>
public sealed class SmallerHolesTests(AppHost host) : IClassFixture<AppHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpSession> AdminAsync()
    {
        await host.EnsureAdminAsync();
        var session = new HttpSession(host);
        await session.SignInOkAsync(AppHost.AdminEmail, AppHost.AdminPassword);
        return session;
    }

    [Fact]
    public async Task The_add_source_page_shows_no_text_from_its_address()
    {
        using var admin = await AdminAsync();

        var html = WebUtility.HtmlDecode(await admin.Http.GetStringAsync("/sources/new?error=" + Uri.EscapeDataString("Your session expired, sign in again at evil.example"), Ct));
        var known = await admin.Http.GetStringAsync("/sources/new?error=other-session", Ct);

        // The address may be echoed URL-encoded in a form's action, but never as text on the page.
        Assert.DoesNotContain("Your session expired, sign in again", html, StringComparison.Ordinal);
        Assert.DoesNotContain("connect-error", html, StringComparison.Ordinal);
        Assert.Contains("started in another browser or session", known, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/sources/{0}")]
    [InlineData("/sources/{0}?error=Call%20evil.example")]
    [InlineData("/destinations/{0}")]
    public async Task An_unknown_id_answers_404_with_the_not_found_page(string path)
    {
        using var admin = await AdminAsync();

        using var response = await admin.Http.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Guid.NewGuid()), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("data-testid=\"not-found\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Call evil.example", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Salesforce_callback_is_accepted_only_in_the_browser_session_that_started_it()
    {
        using var starter = await AdminAsync();
        using var otherSession = await AdminAsync();
        var callback = await SignInAtDemoOrgAsync(starter);

        using var foreign = await otherSession.Http.GetAsync(callback, Ct);
        using var own = await starter.Http.GetAsync(callback, Ct);

        Assert.Equal("/sources/new?error=other-session", foreign.Headers.Location!.OriginalString.TrimStart('~'));
        Assert.StartsWith("/sources/new?attempt=", own.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>Starts a demo-org connection for the Admin, passes the start hop in <paramref name="browser"/>, signs in and allows; returns the callback URL.</summary>
    private async Task<string> SignInAtDemoOrgAsync(HttpSession browser)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>()
            .CreateAsync((await users.FindByEmailAsync(AppHost.AdminEmail))!);
        var start = await scope.ServiceProvider.GetRequiredService<SourceConnector>().StartAsync(principal, new SourceConnectionInput
        {
            Name = "Bound org",
            LoginKind = SalesforceLoginKind.AppHosted,
            ClientId = "demo-client-id",
            ClientSecret = "demo-client-secret",
        }, host.BaseAddress, null, Ct);
        Assert.True(start.Succeeded, start.ErrorText);
        var authorizeUrl = start.Value.AuthorizeUrl;
        Assert.NotNull(authorizeUrl);

        using var hop = await browser.Http.GetAsync(UnifyAdmin.Security.OAuthSessionBinding.StartUrl(start.Value.AttemptId, authorizeUrl!), Ct);
        Assert.Equal(HttpStatusCode.Redirect, hop.StatusCode);
        Assert.Equal(authorizeUrl, hop.Headers.Location);

        var (action, fields) = SalesforceDemoFixture.ReadForm(await browser.Http.GetStringAsync(authorizeUrl, Ct));
        fields["username"] = "admin@demo.unifyadmin.dev";
        fields["password"] = "demo-password";
        using var consent = await browser.Http.PostAsync(action, new FormUrlEncodedContent(fields), Ct);
        (action, fields) = SalesforceDemoFixture.ReadForm(await consent.Content.ReadAsStringAsync(Ct));
        fields["decision"] = "allow";
        using var allowed = await browser.Http.PostAsync(action, new FormUrlEncodedContent(fields), Ct);
        var callback = allowed.Headers.Location!;
        Assert.Equal("/sources/oauth/callback", callback.AbsolutePath);
        Assert.True(QueryHelpers.ParseQuery(callback.Query).ContainsKey("code"));
        return callback.ToString();
    }
}
