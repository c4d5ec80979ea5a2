using Microsoft.Playwright;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E;

public sealed class FirstRunJourneyTests(AppHost host, BrowserFixture browsers)
    : BrowserTest<AppHost>(host, browsers), IClassFixture<AppHost>
{
    [Fact]
    public async Task First_start_leads_to_setup_then_to_the_dashboard_and_the_admin_can_sign_in_again()
    {
        // Any page leads to setup while no user exists.
        await Page.GotoAsync("sources");
        await Expect(Page).ToHaveURLAsync(Host.Url("setup"));
        var setup = new SetupPage(Page);

        // Bad input: each gets a clear message and nothing is saved.
        await setup.FillAsync("not-an-email", "short", "different");
        await setup.SubmitAsync();
        await Expect(Page.GetByText("Enter a valid email address, like admin@example.com.")).ToBeVisibleAsync();
        await Expect(Page.GetByText("Use at least 10 characters.")).ToBeVisibleAsync();
        await Expect(Page.GetByText("The two passwords do not match.")).ToBeVisibleAsync();

        await setup.FillAsync(AppHost.AdminEmail, AppHost.AdminPassword, AppHost.AdminPassword + "x");
        await setup.SubmitAsync();
        await Expect(Page.GetByText("The two passwords do not match.")).ToBeVisibleAsync();
        await Expect(Page).ToHaveURLAsync(Host.Url("setup"));

        await setup.FillAsync(AppHost.AdminEmail, AppHost.AdminPassword, AppHost.AdminPassword);
        await setup.SubmitAsync();

        // Signed in, on the dashboard, which leads to the first source.
        await Expect(Page).ToHaveURLAsync(Host.Url(""));
        await Page.WaitForCircuitAsync();
        var shell = new ShellPage(Page);
        await Expect(shell.SignedInUser).ToContainTextAsync(AppHost.AdminEmail);
        await Expect(shell.SignedInUser).ToContainTextAsync("Admin");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Add your first Salesforce source" })).ToBeVisibleAsync();
        foreach (var item in new[] { "Dashboard", "Sources", "Destinations", "Models", "Mappings", "Sync runs", "Users" })
        {
            await Expect(shell.NavLink(item)).ToBeVisibleAsync();
        }

        // The setup page is gone for good.
        var again = await Page.APIRequest.GetAsync(Host.Url("setup"), new() { MaxRedirects = 0 });
        Assert.Equal(404, again.Status);

        // Sign out, a wrong password is refused with a message, the right one works.
        await shell.SignOutAsync();
        await Expect(Page.GetByTestId("signed-out")).ToBeVisibleAsync();
        var login = new LoginPage(Page);
        await login.SignInAsync(AppHost.AdminEmail, "Wrong-Password-1");
        await Expect(login.Errors).ToContainTextAsync("The email or password is not right");
        await login.SignInAsync(AppHost.AdminEmail, AppHost.AdminPassword);
        await Expect(Page).ToHaveURLAsync(Host.Url(""));
        await Page.WaitForCircuitAsync();
        await Expect(shell.SignedInUser).ToContainTextAsync(AppHost.AdminEmail);

        // Dark mode is remembered for this user across a reload.
        await shell.ThemeToggle.ClickAsync();
        await Expect(shell.ThemeToggle).ToHaveAttributeAsync("aria-label", "Switch to light mode");
        await shell.GotoAsync("");
        await Expect(shell.ThemeToggle).ToHaveAttributeAsync("aria-label", "Switch to light mode");
        await ScreenshotAsync("first-run-dashboard");
    }
}
