using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Tests.Core.Models;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E.Models;

public sealed class ModelJourneyTests(ModelsAppHost host, BrowserFixture browsers)
    : BrowserTest<ModelsAppHost>(host, browsers), IClassFixture<ModelsAppHost>
{
    [Fact]
    public async Task An_admin_creates_a_filtered_contact_model_with_an_account_field_and_sees_its_soql_and_preview()
    {
        await SignInAsAdminAsync();
        var sourceId = await Host.SeedSourceAsync("Journey org", ct: TestContext.Current.CancellationToken);
        var source = new SourcePage(Page);
        await source.GotoAsync(sourceId);

        await source.OpenTabAsync("Models");
        await Expect(Page.GetByTestId("empty-state")).ToContainTextAsync("No models yet");
        await ScreenshotAsync("model-1");
        await source.CreateModel.ClickAsync();
        await Expect(Page).ToHaveURLAsync(Host.Url($"sources/{sourceId}/models/new"));

        var wizard = new ModelWizardPage(Page);
        await wizard.ChooseCollectionAsync("Contact");
        await wizard.NextAsync();
        await wizard.CheckFieldAsync("Email");
        await wizard.CheckFieldAsync("LeadSource");
        await wizard.CheckFieldAsync("Account.Name");
        await Expect(Page.GetByTestId("field-count")).ToContainTextAsync("5 fields chosen");
        await ScreenshotAsync("model-2");
        await wizard.NextAsync();

        await wizard.AddConditionAsync("LeadSource", "Web");
        await ScreenshotAsync("model-3");
        await wizard.NextAsync();

        await Expect(wizard.PreviewRows).ToHaveCountAsync(25);
        await Expect(wizard.MatchingRows).ToContainTextAsync("matching records");
        foreach (var cell in await wizard.Cells("LeadSource").AllTextContentsAsync())
        {
            Assert.Equal("\"Web\"", cell);
        }

        await Expect(wizard.Cells("Account.Name").First).ToContainTextAsync("\"");
        await Expect(Page.GetByTestId("api-calls")).ToContainTextAsync("Salesforce API calls this session");
        await ScreenshotAsync("model-4");
        await wizard.NextAsync();

        await wizard.FillNameAsync("Web contacts");
        await wizard.SaveAsync();

        await Expect(Page).ToHaveURLAsync(new Regex("/models/[0-9a-f-]{36}$"));
        var model = new ModelDetailsPage(Page);
        await Expect(model.Name).ToHaveTextAsync("Web contacts");
        await Expect(model.Soql).ToHaveValueAsync("SELECT Id, SystemModstamp, Email, LeadSource, Account.Name FROM Contact WHERE LeadSource = 'Web'");
        await Expect(model.PreviewRows).ToHaveCountAsync(25);
        await Expect(model.SchemaStatus).ToHaveTextAsync("Matches the org");
        await Expect(model.AddMapping).ToHaveAttributeAsync("href", new Regex("/models/[0-9a-f-]{36}/add-mapping$"));
        await ScreenshotAsync("model-5");

        // The source's Models tab and the top-level list show it.
        await source.GotoAsync(sourceId, "models");
        await Expect(source.ModelsTable).ToContainTextAsync("Web contacts");
        await Expect(source.ModelsTable.GetByTestId("schema-status")).ToContainTextAsync("Matches the org");
        await Page.GotoAsync("models");
        await Expect(Page.GetByTestId("models-table")).ToContainTextAsync("Journey org");
    }

    [Fact]
    public async Task A_name_already_taken_and_the_api_limit_during_preview_get_messages_and_the_wizard_keeps_working()
    {
        await SignInAsAdminAsync();
        var sourceId = await Host.SeedSourceAsync("Limits org", ct: TestContext.Current.CancellationToken);
        var input = new UnifyAdmin.Core.Models.ModelInput { SourceId = sourceId, Name = "Taken", Collection = "Contact", Fields = ["Email"] };
        Assert.True((await Host.WithModelsAsync(m => m.SaveAsync(ModelsAppHost.Admin, input, null, TestContext.Current.CancellationToken))).Succeeded);

        await Page.GotoAsync($"sources/{sourceId}/models/new");
        await Page.WaitForCircuitAsync();
        var wizard = new ModelWizardPage(Page);
        await wizard.ChooseCollectionAsync("Contact");
        await wizard.NextAsync();
        await wizard.NextAsync();
        await Expect(Page.GetByTestId("step-error")).ToHaveTextAsync("Choose at least one field besides Id and SystemModstamp.");
        await wizard.CheckFieldAsync("Email");
        await wizard.NextAsync();

        Host.Org.SetRemainingApiCalls(0);
        try
        {
            await wizard.NextAsync();
            await Expect(Page.GetByTestId("preview-error")).ToContainTextAsync("daily API allowance");
        }
        finally
        {
            Host.Org.SetRemainingApiCalls(15_000);
        }

        await Page.GetByTestId("refresh-preview").ClickAsync();
        await Expect(wizard.PreviewRows).ToHaveCountAsync(25);
        await wizard.NextAsync();
        await wizard.FillNameAsync("taken");
        await wizard.SaveAsync();
        await Expect(wizard.SaveErrors).ToHaveTextAsync("This source already has a model named \"taken\". Choose another name.");
        await wizard.FillNameAsync(new string('x', 300));
        await Expect(Page.GetByText("A model name can have at most 100 characters; this one has 300. Shorten it.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_viewer_sees_models_and_previews_but_no_create_edit_or_delete()
    {
        var sourceId = await Host.SeedSourceAsync("Viewer org", ct: TestContext.Current.CancellationToken);
        var input = new UnifyAdmin.Core.Models.ModelInput { SourceId = sourceId, Name = "Readable", Collection = "Contact", Fields = ["Email"] };
        var saved = await Host.WithModelsAsync(m => m.SaveAsync(ModelsAppHost.Admin, input, null, TestContext.Current.CancellationToken));
        await Host.CreateUserAsync("model-viewer@example.com", "Viewer-Password-7", Roles.Viewer);
        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAsync("model-viewer@example.com", "Viewer-Password-7");
        await Page.WaitForCircuitAsync();

        var source = new SourcePage(Page);
        await source.GotoAsync(sourceId, "models");
        await Expect(source.ModelsTable).ToContainTextAsync("Readable");
        await Expect(source.CreateModel).ToHaveCountAsync(0);
        await Page.GotoAsync($"models/{saved.Value}");
        await Page.WaitForCircuitAsync();
        await Expect(new ModelDetailsPage(Page).PreviewRows).ToHaveCountAsync(25);
        await Expect(Page.GetByTestId("delete-model")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("edit-model")).ToHaveCountAsync(0);
        foreach (var path in new[] { $"sources/{sourceId}/models/new", $"models/{saved.Value}/edit" })
        {
            await Page.GotoAsync(path);
            await Expect(new ShellPage(Page).AccessDenied).ToBeVisibleAsync();
        }
    }
}
