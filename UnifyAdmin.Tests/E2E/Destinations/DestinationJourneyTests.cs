using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E.Destinations;

public sealed partial class DestinationJourneyTests(AppHost host, BrowserFixture browsers)
    : BrowserTest<AppHost>(host, browsers), IClassFixture<AppHost>
{
    [GeneratedRegex("/destinations/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex SettingsUrl();

    [Fact]
    public async Task An_admin_adds_the_demo_workspace_tests_it_saves_it_disabled_with_the_key_masked_and_enables_it()
    {
        await SignInAsAdminAsync();

        // The add page, filled from the demo workspace.
        await Page.GotoAsync("destinations/new");
        await Page.WaitForCircuitAsync();
        var form = new DestinationFormPage(Page);
        await ScreenshotAsync("destination-1-new");
        await form.UseDemo.ClickAsync();
        await Expect(form.SpaceId(0)).ToHaveValueAsync("spa_demo");
        await Expect(Page.GetByTestId("destination-source")).ToHaveCountAsync(0);
        await form.Name.FillAsync("Demo profiles");

        // Test connection reaches the demo over the app's own address.
        await form.TestConnection.ClickAsync();
        await Expect(form.ConnectionResults).ToHaveCountAsync(1);
        await Expect(form.ConnectionResults).ToContainTextAsync("Connected: the Tracking API accepted the write key and the Profile API accepted the access token.");
        await ScreenshotAsync("destination-2-tested");

        // Saved disabled; the settings page shows the key masked and never its value.
        await form.Save.ClickAsync();
        await Expect(Page).ToHaveURLAsync(SettingsUrl());
        var settings = new DestinationSettingsPage(Page);
        await settings.SettingsTab.ClickAsync();
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
        await settings.SettingsTab.ClickAsync();
        await Expect(settings.State).ToHaveTextAsync("Disabled");
        html = await Page.ContentAsync();
        Assert.DoesNotContain("demo-write-key", html);
        Assert.DoesNotContain("demo-access-token", html);

        // Enable (step 5): the switch says it takes effect with Save and why nothing would flow yet; Save enables it.
        await settings.EnableSwitch.ClickAsync();
        await Expect(Page.GetByTestId("enable-unsaved")).ToContainTextAsync("Not saved yet: choose Save changes.");
        await Expect(settings.Blockers).ToContainTextAsync("No mapping sends to this destination yet");
        await Expect(settings.State).ToHaveTextAsync("Disabled");
        await settings.Form.Save.ClickAsync();
        await Expect(Page.GetByText("Destination settings saved: Demo profiles is enabled.")).ToBeVisibleAsync();
        await Expect(settings.State).ToHaveTextAsync("Enabled");
        await Expect(Page.GetByTestId("enable-unsaved")).ToHaveCountAsync(0);
        await ScreenshotAsync("destination-4-enabled");
        await Page.GotoAsync("destinations");
        await Page.WaitForCircuitAsync();
        var list = new DestinationsListPage(Page);
        var row = list.Row("Demo profiles");
        await Expect(row).ToContainTextAsync("Enabled");
        await Expect(row).ToContainTextAsync("US");
        await ScreenshotAsync("destination-5-list");
    }

    [Fact]
    public async Task Adding_from_a_source_page_names_the_source_and_the_list_shows_it()
    {
        var sourceId = Guid.NewGuid();
        await using (var db = await Host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            db.Sources.Add(new Source { Id = sourceId, Name = "Acme org", LoginHost = Host.Url("demo/salesforce"), ClientId = "client", Version = Guid.NewGuid() });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await SignInAsAdminAsync();
        await Page.GotoAsync($"destinations/new?sourceId={sourceId}");
        await Page.WaitForCircuitAsync();
        await Expect(Page.GetByTestId("destination-source")).ToContainTextAsync("Added from source Acme org.");
        var form = new DestinationFormPage(Page);
        await form.UseDemo.ClickAsync();
        await form.Name.FillAsync("Acme profiles");
        await form.Save.ClickAsync();

        await Expect(Page).ToHaveURLAsync(SettingsUrl());
        await new DestinationSettingsPage(Page).SettingsTab.ClickAsync();
        await Expect(Page.GetByTestId("destination-source")).ToContainTextAsync("Acme org");
        await Page.GotoAsync("destinations");
        await Page.WaitForCircuitAsync();
        await Expect(new DestinationsListPage(Page).Row("Acme profiles")).ToContainTextAsync("Acme org");
        await ScreenshotAsync("destination-from-source");
    }

    [Fact]
    public async Task A_viewer_reads_the_settings_but_cannot_add_change_or_enable_a_destination()
    {
        const string viewerEmail = "destination-viewer@example.com";
        const string viewerPassword = "Viewer-Password-7";
        await Host.CreateUserAsync(viewerEmail, viewerPassword, Roles.Viewer);
        Guid id;
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, Roles.Admin)], "test"));
            var result = await scope.ServiceProvider.GetRequiredService<DestinationService>().CreateAsync(admin, new DestinationInput
            {
                Name = "Read-only profiles",
                Spaces = [new ProfileSpaceInput { SpaceId = "spa_demo", Name = "Demo space", WriteKey = "viewer-test-write-key" }],
            }, TestContext.Current.CancellationToken);
            Assert.True(result.Succeeded, string.Join("; ", result.Errors));
            id = result.Value;
        }

        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAsync(viewerEmail, viewerPassword);
        await Expect(Page).ToHaveURLAsync(Host.Url(""));
        var shell = new ShellPage(Page);

        await shell.GotoAsync("destinations");
        var list = new DestinationsListPage(Page);
        await Expect(list.Row("Read-only profiles")).ToContainTextAsync("Disabled");
        await Expect(list.AddDestination).ToHaveCountAsync(0);

        await Page.GotoAsync("destinations/new");
        await Expect(shell.AccessDenied).ToBeVisibleAsync();

        await shell.GotoAsync($"destinations/{id}");
        var settings = new DestinationSettingsPage(Page);
        await Expect(settings.Title).ToHaveTextAsync("Read-only profiles");
        await Expect(Page.GetByTestId("read-only")).ToBeVisibleAsync();
        await settings.SettingsTab.ClickAsync();
        await Expect(Page.GetByTestId("destination-enable").Locator("input")).ToBeDisabledAsync();
        await Expect(settings.Delete).ToHaveCountAsync(0);
        await Expect(settings.Form.Save).ToHaveCountAsync(0);
        Assert.DoesNotContain("viewer-test-write-key", await Page.ContentAsync());
        await ScreenshotAsync("destination-viewer-read-only");
    }

    [Fact]
    public async Task Deleting_asks_for_confirmation_and_removes_the_destination_from_the_list()
    {
        Guid id;
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, Roles.Admin)], "test"));
            var result = await scope.ServiceProvider.GetRequiredService<DestinationService>().CreateAsync(admin, new DestinationInput
            {
                Name = "Doomed profiles",
                Spaces = [new ProfileSpaceInput { SpaceId = "spa_doomed", Name = "Doomed", WriteKey = "doomed-write-key" }],
            }, TestContext.Current.CancellationToken);
            Assert.True(result.Succeeded, string.Join("; ", result.Errors));
            id = result.Value;
        }

        await SignInAsAdminAsync();
        await Page.GotoAsync($"destinations/{id}");
        await Page.WaitForCircuitAsync();
        var settings = new DestinationSettingsPage(Page);

        // Cancel keeps it.
        await settings.Delete.ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Delete \"Doomed profiles\"");
        await ScreenshotAsync("destination-delete-confirm");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(settings.Title).ToHaveTextAsync("Doomed profiles");

        await settings.Delete.ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(Host.Url("destinations"));
        await Expect(Page.GetByText("Doomed profiles was deleted.")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Doomed profiles" })).ToHaveCountAsync(0);
    }
}
