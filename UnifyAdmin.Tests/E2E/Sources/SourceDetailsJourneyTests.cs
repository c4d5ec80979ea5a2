using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E.Sources;

public sealed class SourceDetailsJourneyTests(AppHost host, BrowserFixture browsers)
    : BrowserTest<AppHost>(host, browsers), IClassFixture<AppHost>
{
    private async Task AddDemoSourceAsync(string name)
    {
        var wizard = new AddSourcePage(Page);
        await wizard.GotoAsync();
        await wizard.ChooseDemoOrgAsync();
        await wizard.FillNameAsync(name);
        await wizard.ConnectAsync();
        var salesforce = new SalesforceLoginPage(Page);
        await salesforce.SignInAsync("admin@demo.unifyadmin.dev", "demo-password");
        await salesforce.AllowAsync();
        await Page.WaitForCircuitAsync();
        await wizard.OpenCollectionAsync("Contact");
        await wizard.CheckColumnAsync("Email");
        await wizard.SaveAsync();
        await Expect(Page).ToHaveURLAsync(Host.Url("sources"));
        await Page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
        // Selective Sync lives on the Settings tab.
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Settings", Exact = true }).ClickAsync();
        await Expect(Page.GetByTestId("collections-table")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_admin_edits_selective_sync_then_deletes_the_source_after_confirming()
    {
        await SignInAsAdminAsync();
        await AddDemoSourceAsync("Editable org");
        var table = Page.GetByTestId("collections-table");
        await Expect(table).ToContainTextAsync("Id, SystemModstamp, Email");

        // Edit: add a column to Contact and a second collection.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Edit Selective Sync" }).ClickAsync();
        var wizard = new AddSourcePage(Page);
        await wizard.OpenCollectionAsync("Contact");
        await wizard.CheckColumnAsync("Phone");
        await wizard.OpenCollectionAsync("Account");
        await wizard.CheckColumnAsync("Name");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save Selective Sync" }).ClickAsync();
        await Expect(table).ToContainTextAsync("Id, SystemModstamp, Email, Phone");
        await Expect(table).ToContainTextAsync("Id, SystemModstamp, Name");
        await ScreenshotAsync("source-5-details");

        // Delete asks first; Cancel keeps it, Delete removes it.
        await Page.GetByTestId("delete-source").ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(Page.GetByTestId("collections-table")).ToBeVisibleAsync();
        await Page.GetByTestId("delete-source").ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/sources$"));
        // Only the list's links count: a snackbar may still mention the name.
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Editable org", Exact = true })).ToHaveCountAsync(0);
    }
}
