using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E.Destinations;

public sealed partial class DestinationJourneyTests(AppHost host, BrowserFixture browsers)
    : BrowserTest<AppHost>(host, browsers), IClassFixture<AppHost>
{
    [GeneratedRegex("/destinations/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex SettingsUrl();

    private async Task SignInAsAdminAsync()
    {
        await Host.EnsureAdminAsync();
        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAsync(AppHost.AdminEmail, AppHost.AdminPassword);
        await Expect(Page).ToHaveURLAsync(Host.Url(""));
        await Page.WaitForCircuitAsync();
    }

    [Fact]
    public async Task An_admin_adds_the_demo_workspace_tests_it_saves_it_disabled_with_the_key_masked_and_enables_it()
    {
        await SignInAsAdminAsync();

        // The add page, filled from the sandbox's demo workspace.
        await Page.GotoAsync("destinations/new");
        await Page.WaitForCircuitAsync();
        var form = new DestinationFormPage(Page);
        await ScreenshotAsync("destination-1-new");
        await form.UseDemo.ClickAsync();
        await Expect(form.SpaceId(0)).ToHaveValueAsync("spa_demo");
        await form.Name.FillAsync("Demo profiles");

        // Test connection reaches the sandbox over the app's own address.
        await form.TestConnection.ClickAsync();
        await Expect(form.ConnectionResults).ToHaveCountAsync(1);
        await Expect(form.ConnectionResults).ToContainTextAsync("Connected: the Tracking API accepted the write key and the Profile API accepted the access token.");
        await ScreenshotAsync("destination-2-tested");

        // Saved disabled; the settings page shows the key masked and never its value.
        await form.Save.ClickAsync();
        await Expect(Page).ToHaveURLAsync(SettingsUrl());
        var settings = new DestinationSettingsPage(Page);
        await Expect(Page.GetByText("Destination \"Demo profiles\" saved.")).ToBeVisibleAsync();
        await Expect(settings.Title).ToHaveTextAsync("Demo profiles");
        await Expect(settings.State).ToHaveTextAsync("Disabled");
        await Expect(settings.Form.WriteKey(0)).ToHaveAttributeAsync("placeholder", "••••••••");
        await Expect(settings.Form.WriteKey(0)).ToHaveValueAsync("");
        await Expect(Page.GetByText("Saved. Leave blank to keep it.").First).ToBeVisibleAsync();
        await ScreenshotAsync("destination-3-saved");
        var html = await Page.ContentAsync();
        Assert.DoesNotContain("demo-write-key", html);
        Assert.DoesNotContain("demo-access-token", html);

        // A full reload (server-rendered HTML first) does not carry the secrets either.
        await Page.ReloadAsync();
        await Page.WaitForCircuitAsync();
        await Expect(settings.State).ToHaveTextAsync("Disabled");
        html = await Page.ContentAsync();
        Assert.DoesNotContain("demo-write-key", html);
        Assert.DoesNotContain("demo-access-token", html);

        // Enable (step 5), and the list shows it.
        await settings.EnableSwitch.ClickAsync();
        await Expect(settings.State).ToHaveTextAsync("Enabled");
        await ScreenshotAsync("destination-4-enabled");
        await Page.GotoAsync("destinations");
        await Page.WaitForCircuitAsync();
        var list = new DestinationsListPage(Page);
        var row = list.Row("Demo profiles");
        await Expect(row).ToContainTextAsync("Enabled");
        await Expect(row).ToContainTextAsync("US");
        await ScreenshotAsync("destination-5-list");
    }
}
