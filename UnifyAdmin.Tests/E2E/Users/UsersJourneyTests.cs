using Microsoft.Playwright;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E.Users;

public sealed class UsersJourneyTests(AppHost host, BrowserFixture browsers)
    : BrowserTest<AppHost>(host, browsers), IClassFixture<AppHost>
{
    private ILocator Row(string email) => Page.GetByTestId("users-table").Locator("tr", new() { HasText = email });

    [Fact]
    public async Task An_admin_adds_a_user_sees_the_table_refresh_and_disables_them_only_after_confirming_but_not_themselves()
    {
        await SignInAsAdminAsync();
        await new ShellPage(Page).GotoAsync("users");

        // Your own row offers no Disable.
        await Expect(Row(AppHost.AdminEmail).GetByTestId("toggle-disabled")).ToHaveCountAsync(0);
        await Expect(Row(AppHost.AdminEmail).GetByTestId("you")).ToBeVisibleAsync();

        // Demoting yourself is refused, and the select shows your role again.
        await Row(AppHost.AdminEmail).Locator(".mud-select").First.ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Viewer", Exact = true }).ClickAsync();
        await Expect(Page.Locator(".mud-snackbar.mud-alert-filled-error, .mud-snackbar.mud-alert-text-error, .mud-snackbar.mud-alert-outlined-error")).ToHaveCountAsync(1);
        await Expect(Row(AppHost.AdminEmail)).ToContainTextAsync("Admin");
        await Expect(Row(AppHost.AdminEmail)).Not.ToContainTextAsync("Viewer");

        // Add user: the form closes and the new row appears without a reload.
        await Page.GetByTestId("add-user").ClickAsync();
        var form = Page.GetByTestId("new-user-form");
        await form.GetByLabel("Email").FillAsync("zoë@example.com");
        await form.GetByLabel("Temporary password").FillAsync("Zoe-Password-1");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Expect(form).ToHaveCountAsync(0);
        await Expect(Row("zoë@example.com")).ToContainTextAsync("Active");

        // The same email again: one message, in the product's words.
        await Page.GetByTestId("add-user").ClickAsync();
        await form.GetByLabel("Email").FillAsync("zoë@example.com");
        await form.GetByLabel("Temporary password").FillAsync("Zoe-Password-1");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Expect(form).ToContainTextAsync("A user with the email zoë@example.com already exists.");
        await Expect(form).Not.ToContainTextAsync("Username");
        await form.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        // Disable asks first: Cancel keeps the user active, Disable disables.
        await Row("zoë@example.com").GetByTestId("toggle-disabled").ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(Row("zoë@example.com")).ToContainTextAsync("Active");
        await Row("zoë@example.com").GetByTestId("toggle-disabled").ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(Row("zoë@example.com")).ToContainTextAsync("Disabled");
        await ScreenshotAsync("users-disabled");
    }
}
