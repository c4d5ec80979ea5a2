using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E.Security;

/// <summary>Open circuits re-check their session every two seconds, so a test need not wait a minute.</summary>
public sealed class QuickRevalidationAppHost : AppHost
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Sessions:RevalidationInterval", "00:00:02")];
}

/// <summary>In a real browser: the app works under its Content-Security-Policy, and an open page notices a session that ended.</summary>
public sealed class BrowserSecurityTests(QuickRevalidationAppHost host, BrowserFixture browsers)
    : BrowserTest<QuickRevalidationAppHost>(host, browsers), IClassFixture<QuickRevalidationAppHost>
{
    [Fact]
    public async Task Every_page_works_under_the_content_security_policy_without_a_violation()
    {
        var violations = new ConcurrentQueue<string>();
        Page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Enqueue(message.Text);
            }
        };

        await SignInAsAdminAsync();
        var shell = new ShellPage(Page);
        foreach (var (path, heading) in new[]
        {
            ("sources", "Sources"), ("sources/new", "Add Salesforce source"), ("destinations", "Destinations"), ("users", "Users"),
        })
        {
            await Page.GotoAsync(path);
            await Page.WaitForCircuitAsync();
            await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true }).First).ToBeVisibleAsync();
        }

        // Navigating inside the live circuit works: its WebSocket and MudBlazor's scripts run under the policy.
        await shell.GotoAsync("");
        await shell.NavLink("Sources").ClickAsync();
        await Expect(Page).ToHaveURLAsync(Host.Url("sources"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Sources", Exact = true })).ToBeVisibleAsync();
        await ScreenshotAsync("security-csp");

        Assert.Empty(violations);
    }

    [Fact]
    public async Task An_open_page_goes_to_sign_in_soon_after_its_user_is_disabled()
    {
        const string email = "soon-disabled@example.com";
        const string password = "Soon-Disabled-7";
        await Host.CreateUserAsync(email, password, Roles.Viewer);
        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAsync(email, password);
        await Page.GotoAsync("sources");
        await Page.WaitForCircuitAsync();

        await DisableAsync(email);

        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"), new() { Timeout = 15_000 });
    }

    private async Task DisableAsync(string email)
    {
        await Host.EnsureAdminAsync();
        await using var scope = Host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var admin = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>()
            .CreateAsync((await users.FindByEmailAsync(AppHost.AdminEmail))!);
        var user = (await users.FindByEmailAsync(email))!;
        var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>().SetDisabledAsync(admin, user.Id, disabled: true, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
    }
}
