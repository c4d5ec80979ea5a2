using Microsoft.Playwright;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E.Sources;

public sealed class AddSourceJourneyTests(AppHost host, BrowserFixture browsers)
    : BrowserTest<AppHost>(host, browsers), IClassFixture<AppHost>
{
    private const string DemoUser = "admin@demo.unifyadmin.dev";
    private const string DemoPassword = "demo-password";

    [Fact]
    public async Task A_reload_of_the_selective_sync_step_keeps_the_picks_a_missing_since_date_is_refused_and_the_name_can_still_change()
    {
        await SignInAsAdminAsync();
        var wizard = new AddSourcePage(Page);
        await wizard.GotoAsync();
        await wizard.ChooseDemoOrgAsync();
        await wizard.FillNameAsync("Reloaded org");
        await wizard.ConnectAsync();
        var salesforce = new SalesforceLoginPage(Page);
        await salesforce.SignInAsync("admin@demo.unifyadmin.dev", "demo-password");
        await salesforce.AllowAsync();
        await Page.WaitForCircuitAsync();
        await wizard.OpenCollectionAsync("Contact");
        await wizard.CheckColumnAsync("Email");

        await Page.ReloadAsync();
        await Page.WaitForCircuitAsync();
        await Expect(Page.GetByTestId("collection-Contact")).ToContainTextAsync("3 columns");
        await wizard.OpenCollectionAsync("Contact");
        await Expect(wizard.Column("Email")).ToBeCheckedAsync();

        // "Since a date" with no date is refused with what to do.
        await Page.GetByText("Records changed since a date").ClickAsync();
        await wizard.SaveAsync();
        await Expect(Page.GetByTestId("save-error")).ToContainTextAsync("Pick the date to read changes since, or choose All time.");
        await Page.GetByText("All time", new() { Exact = true }).ClickAsync();

        // The name can still change on this step, and the saved source takes it.
        await Page.GetByTestId("connected-name").Locator("input").Or(Page.Locator("input[data-testid=connected-name]")).FillAsync("Renamed org");
        await wizard.SaveAsync();
        await Expect(Page).ToHaveURLAsync(Host.Url("sources"));
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Renamed org", Exact = true })).ToBeVisibleAsync();
        await ScreenshotAsync("source-renamed-after-connect");
    }

    [Fact]
    public async Task An_admin_connects_the_demo_org_picks_contact_columns_and_saves_a_disabled_source()
    {
        await SignInAsAdminAsync();
        var wizard = new AddSourcePage(Page);
        await wizard.GotoAsync();
        await wizard.ChooseDemoOrgAsync();
        await wizard.FillNameAsync("Demo org");
        await ScreenshotAsync("source-1-connect-form");

        // The OAuth round trip in the browser: the org's sign-in page, its consent page, back to the wizard.
        await wizard.ConnectAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/demo/salesforce/services/oauth2/authorize"));
        var salesforce = new SalesforceLoginPage(Page);
        await salesforce.SignInAsync(DemoUser, DemoPassword);
        await ScreenshotAsync("source-2-consent");
        await salesforce.AllowAsync();

        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sources/new\\?attempt="));
        await Page.WaitForCircuitAsync();
        await Expect(wizard.ConnectedOrg).ToContainTextAsync("Connected to org 00D");
        await Expect(Page.GetByTestId("org-user")).ToHaveTextAsync(DemoUser);
        await Expect(wizard.ConnectedOrg.GetByTestId("api-usage")).ToContainTextAsync("API calls (24 h)");

        // Selective Sync: Contact and six columns; Id and SystemModstamp come along on their own.
        await wizard.OpenCollectionAsync("Contact");
        await Expect(wizard.Column("Id")).ToBeDisabledAsync();
        foreach (var column in new[] { "FirstName", "LastName", "Email", "Phone", "Title", "AccountId" })
        {
            await wizard.CheckColumnAsync(column);
        }

        await Expect(Page.GetByTestId("collection-Contact")).ToContainTextAsync("8 columns");
        await ScreenshotAsync("source-3-selective-sync");
        await wizard.SaveAsync();

        // The list shows it connected, disabled, with its API usage.
        await Expect(Page).ToHaveURLAsync(Host.Url("sources"));
        var row = Page.GetByTestId("sources-table").Locator("tr", new() { HasText = "Demo org" });
        await Expect(row.GetByTestId("connection-state")).ToHaveTextAsync("Connected");
        await Expect(row.GetByTestId("enabled-state")).ToHaveTextAsync("Disabled");
        await Expect(row.GetByTestId("api-usage")).ToContainTextAsync("API calls (24 h)");
        Assert.DoesNotContain("demo-client-secret", await Page.ContentAsync());
        await ScreenshotAsync("source-4-list");

        // The dashboard now shows the org instead of the empty state.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Dashboard", Exact = true }).ClickAsync();
        var card = Page.GetByTestId("dashboard-source").Filter(new() { HasText = "Demo org" });
        await Expect(card.GetByTestId("connection-state")).ToHaveTextAsync("Connected");
        await Expect(card).ToContainTextAsync("No destination yet.");
    }

    [Fact]
    public async Task Denying_consent_brings_the_admin_back_with_a_clear_message_and_saves_nothing()
    {
        await SignInAsAdminAsync();
        var wizard = new AddSourcePage(Page);
        await wizard.GotoAsync();
        await wizard.ChooseDemoOrgAsync();
        await wizard.FillNameAsync("Denied org");
        await wizard.ConnectAsync();
        var salesforce = new SalesforceLoginPage(Page);
        await salesforce.SignInAsync(DemoUser, DemoPassword);
        await salesforce.DenyAsync();

        await Page.WaitForCircuitAsync();
        await Expect(wizard.ConnectError).ToContainTextAsync("Access was denied in Salesforce");
        await Page.GotoAsync("sources");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Denied org", Exact = true })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_wrong_client_secret_is_reported_in_the_wizard()
    {
        await SignInAsAdminAsync();
        var wizard = new AddSourcePage(Page);
        await wizard.GotoAsync();
        await wizard.ChooseDemoOrgAsync();
        await wizard.FillNameAsync("Wrong secret org");
        await wizard.FillClientSecretAsync("not-the-secret");
        await wizard.ConnectAsync();
        var salesforce = new SalesforceLoginPage(Page);
        await salesforce.SignInAsync(DemoUser, DemoPassword);
        await salesforce.AllowAsync();

        await Page.WaitForCircuitAsync();
        await Expect(wizard.ConnectError).ToContainTextAsync("rejected the client id or client secret");
        Assert.DoesNotContain("not-the-secret", await Page.ContentAsync());
    }
}
