using System.Net;
using Microsoft.AspNetCore.Identity;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Web.Security;

/// <summary>When a session ends, every copy of its cookie stops working at once, over real HTTP.</summary>
public sealed class SessionEndTests(AppHost host) : IClassFixture<AppHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Loads a page with nothing but a copied cookie, as an attacker would.</summary>
    private async Task<HttpResponseMessage> GetWithCookieAsync(string path, string cookie)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", ".UnifyAdmin.Auth=" + cookie);
        return await http.SendAsync(request, Ct);
    }

    private static void AssertSentToSignIn(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cookie_copied_before_sign_out_is_refused_after_it()
    {
        await host.CreateUserAsync("leaver@example.com", "Leaver-Pass-123", Roles.Admin);
        using var browser = new HttpSession(host);
        await browser.SignInOkAsync("leaver@example.com", "Leaver-Pass-123");
        var copied = browser.AuthCookie();
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync("/sources", copied)).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignOutAsync()).StatusCode);

        AssertSentToSignIn(await GetWithCookieAsync("/sources", copied));
    }

    public static TheoryData<string> Changes => ["password change", "role change", "disabling the user"];

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task A_session_ends_at_once_after(string change)
    {
        var email = $"changed-{change.Replace(' ', '-')}@example.com";
        await host.CreateUserAsync(email, "Changed-Pass-123", Roles.Viewer);
        using var browser = new HttpSession(host);
        await browser.SignInOkAsync(email, "Changed-Pass-123");
        var cookie = browser.AuthCookie();
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync("/sources", cookie)).StatusCode);

        await ApplyAsync(change, email);

        AssertSentToSignIn(await GetWithCookieAsync("/sources", cookie));
    }

    private async Task ApplyAsync(string change, string email)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var user = (await users.FindByEmailAsync(email))!;
        var actor = await AdminPrincipalAsync(scope.ServiceProvider);
        var result = change switch
        {
            "password change" => Result(await users.ChangePasswordAsync(user, "Changed-Pass-123", "Changed-Pass-456")),
            "role change" => await admin.ChangeRoleAsync(actor, user.Id, Roles.Admin, Ct),
            _ => await admin.SetDisabledAsync(actor, user.Id, disabled: true, Ct),
        };
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
    }

    private static UnifyAdmin.Core.Common.OperationResult Result(IdentityResult identity)
        => identity.Succeeded ? UnifyAdmin.Core.Common.OperationResult.Ok() : UnifyAdmin.Core.Common.OperationResult.Fail(identity.Errors.Select(e => e.Description));

    private async Task<System.Security.Claims.ClaimsPrincipal> AdminPrincipalAsync(IServiceProvider services)
    {
        await host.EnsureAdminAsync();
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var factory = services.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>();
        return await factory.CreateAsync((await users.FindByEmailAsync(AppHost.AdminEmail))!);
    }
}
