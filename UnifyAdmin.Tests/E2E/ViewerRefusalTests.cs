using Microsoft.Playwright;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E;

public sealed class ViewerRefusalTests(AppHost host, BrowserFixture browsers)
    : BrowserTest<AppHost>(host, browsers), IClassFixture<AppHost>
{
    private const string ViewerEmail = "viewer@example.com";
    private const string ViewerPassword = "Viewer-Password-7";

    [Fact]
    public async Task A_viewer_sees_the_dashboard_but_is_refused_every_configuration_page()
    {
        await Host.CreateUserAsync(ViewerEmail, ViewerPassword, Roles.Viewer);
        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAsync(ViewerEmail, ViewerPassword);
        await Expect(Page).ToHaveURLAsync(Host.Url(""));
        await Page.WaitForCircuitAsync();

        var shell = new ShellPage(Page);
        await Expect(shell.SignedInUser).ToContainTextAsync("Viewer");
        await Expect(shell.NavLink("Users")).ToHaveCountAsync(0);
        await Expect(Page.GetByText("An Admin can add the first Salesforce source.")).ToBeVisibleAsync();

        // Typed addresses: the server refuses them, not just a hidden button.
        foreach (var path in new[] { "users", "sources/new" })
        {
            await Page.GotoAsync(path);
            await Expect(shell.AccessDenied).ToBeVisibleAsync();
        }

        // Navigating inside the live circuit is refused too.
        await shell.GotoAsync("");
        await Page.EvaluateAsync("() => Blazor.navigateTo('/users')");
        await Expect(shell.AccessDenied).ToBeVisibleAsync();
        await ScreenshotAsync("viewer-refused");
    }

    [Fact]
    public async Task A_dropped_connection_shows_the_reconnecting_state_and_then_recovers()
    {
        await Host.CreateUserAsync(ViewerEmail, ViewerPassword, Roles.Viewer);
        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAsync(ViewerEmail, ViewerPassword);
        await Page.WaitForCircuitAsync();

        // Remember every time the reconnecting dialog opens, however briefly, then drop the circuit's
        // connection with the framework's own test hook, the way a network blip would.
        await Page.EvaluateAsync("""
            () => {
                const modal = document.getElementById('components-reconnect-modal');
                new MutationObserver(() => { if (modal.open) { window.__reconnectShown = modal.textContent; } })
                    .observe(modal, { attributes: true });
                Blazor._internal.forceCloseConnection();
            }
            """);

        await Page.WaitForFunctionAsync("() => typeof window.__reconnectShown === 'string'");
        Assert.Contains("Rejoining the server", await Page.EvaluateAsync<string>("() => window.__reconnectShown"));
        var modal = Page.Locator("#components-reconnect-modal");
        await Expect(modal).ToBeHiddenAsync(new() { Timeout = 30_000 });
        await Expect(new ShellPage(Page).SignedInUser).ToContainTextAsync(ViewerEmail);
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in()
    {
        const string email = "leaver@example.com";
        await Host.CreateUserAsync(email, ViewerPassword, Roles.Viewer);
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var admin = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, Roles.Admin)], "test"));
            var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            var id = (await users.ListAsync(TestContext.Current.CancellationToken)).Single(u => u.Email == email).Id;
            var result = await users.SetDisabledAsync(admin, id, disabled: true, TestContext.Current.CancellationToken);
            Assert.True(result.Succeeded);
        }

        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAsync(email, ViewerPassword);
        await Expect(login.Errors).ToContainTextAsync("This account is disabled. Ask an Admin to enable it.");
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("account/login"));
    }
}
