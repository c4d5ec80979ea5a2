using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UnifyAdmin.Tests.E2E.Destinations;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E;

/// <summary>
/// A new admin's whole path on a fresh install: source, destination, model, mapping, the three switches,
/// a first sync read back from the Profile API, then one changed record synced incrementally.
/// </summary>
public sealed partial class WholeFlowJourneyTests(AppHost host, BrowserFixture browsers)
    : BrowserTest<AppHost>(host, browsers), IClassFixture<AppHost>
{
    private const string DemoUser = "admin@demo.unifyadmin.dev";
    private const string DemoPassword = "demo-password";
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(3);

    [GeneratedRegex("/sources/([0-9a-f-]{36})")]
    private static partial Regex SourceUrl();

    [GeneratedRegex("/destinations/([0-9a-f-]{36})$")]
    private static partial Regex DestinationUrl();

    [GeneratedRegex("/models/([0-9a-f-]{36})$")]
    private static partial Regex ModelUrl();

    [GeneratedRegex("/destinations/[0-9a-f-]{36}/mappings/[0-9a-f-]{36}$")]
    private static partial Regex MappingUrl();

    [GeneratedRegex("^Id ·")]
    private static partial Regex IdOption();

    [Fact]
    public async Task A_new_admin_connects_salesforce_to_segment_syncs_contacts_and_a_changed_record_follows()
    {
        var pageErrors = new List<string>();
        Page.PageError += (_, error) => pageErrors.Add(error);
        try
        {
            await WalkTheWholeFlowAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await ScreenshotAsync("sync-failure");
            var serverErrors = Host.Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)).Take(5);
            throw new InvalidOperationException(
                $"The journey stopped at {Page.Url}. Page errors: {string.Join(" | ", pageErrors)}. Server errors: {string.Join(" | ", serverErrors)}", e);
        }

        Assert.Empty(pageErrors);
    }

    private async Task WalkTheWholeFlowAsync()
    {
        // 1. Sign in, add the demo org as a source, pick Contact columns.
        await SignInAsAdminAsync();
        await Page.GetByTestId("nav").GetByRole(AriaRole.Link, new() { Name = "Sources", Exact = true }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(Host.Url("sources"));
        await Page.GetByRole(AriaRole.Link, new() { Name = "Add Salesforce source" }).First.ClickAsync();
        await Expect(Page).ToHaveURLAsync(Host.Url("sources/new"));
        await Page.WaitForCircuitAsync();
        var wizard = new AddSourcePage(Page);
        await wizard.ChooseDemoOrgAsync();
        await wizard.FillNameAsync("Whole flow org");
        await wizard.ConnectAsync();
        var salesforce = new SalesforceLoginPage(Page);
        await salesforce.SignInAsync(DemoUser, DemoPassword);
        await salesforce.AllowAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/sources/new\\?attempt="));
        await Page.WaitForCircuitAsync();
        await Expect(wizard.ConnectedOrg).ToContainTextAsync("Connected to org 00D");
        await wizard.OpenCollectionAsync("Contact");
        foreach (var column in new[] { "FirstName", "LastName", "Email", "Title", "Salutation", "LeadSource" })
        {
            await wizard.CheckColumnAsync(column);
        }

        await ScreenshotAsync("sync-1");
        await wizard.SaveAsync();
        await Expect(Page).ToHaveURLAsync(Host.Url("sources"));
        await Page.GetByTestId("sources-table").GetByRole(AriaRole.Link, new() { Name = "Whole flow org", Exact = true }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(SourceUrl());
        var sourceId = Guid.Parse(SourceUrl().Match(Page.Url).Groups[1].Value);
        await Page.WaitForCircuitAsync();

        // 2. From the source page, add the demo workspace as the destination.
        await Page.GetByTestId("add-destination").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/destinations/new\\?sourceId="));
        await Page.WaitForCircuitAsync();
        var form = new DestinationFormPage(Page);
        await form.UseDemo.ClickAsync();
        await Expect(form.SpaceId(0)).ToHaveValueAsync("spa_demo");
        await form.Name.FillAsync("Whole flow profiles");
        await form.Save.ClickAsync();
        await Expect(Page).ToHaveURLAsync(DestinationUrl());
        var destinationUrl = Page.Url;

        // 3. The source's Models tab → Create Model: Contact, a few fields, a filter that keeps a few hundred rows.
        var source = new SourcePage(Page);
        await source.GotoAsync(sourceId);
        await source.OpenTabAsync("Models");
        await source.CreateModel.ClickAsync();
        await Expect(Page).ToHaveURLAsync(Host.Url($"sources/{sourceId}/models/new"));
        await Page.WaitForCircuitAsync();
        var model = new ModelWizardPage(Page);
        await model.ChooseCollectionAsync("Contact");
        await model.NextAsync();
        foreach (var field in new[] { "Email", "FirstName", "LastName", "Title" })
        {
            await model.CheckFieldAsync(field);
        }

        await model.NextAsync();
        await model.AddConditionAsync("LeadSource", "Web");
        await model.AddConditionAsync("Salutation", "Dr.");
        await model.NextAsync();
        await Expect(model.MatchingRows).ToContainTextAsync("matching records");
        await model.NextAsync();
        await model.FillNameAsync("Web doctors");
        await model.SaveAsync();
        await Expect(Page).ToHaveURLAsync(ModelUrl());
        var details = new ModelDetailsPage(Page);
        await Expect(details.Name).ToHaveTextAsync("Web doctors");
        await Expect(details.PreviewRows.First).ToBeVisibleAsync();
        await ScreenshotAsync("sync-2");

        // The record to follow: the preview's first row, as the admin sees it.
        var first = details.PreviewRows.First;
        async Task<string?> CellAsync(string field)
            => JsonSerializer.Deserialize<string?>((await first.Locator($"td[data-field='{field}']").TextContentAsync())!.Trim());
        var record = new Dictionary<string, string?>();
        foreach (var field in new[] { "Id", "Email", "FirstName", "LastName", "Title" })
        {
            record[field] = await CellAsync(field);
        }

        var recordId = record["Id"]!;

        // 4. Model page → Add mapping → the destination; Identify, User ID ← Id, reserved traits.
        await Page.WaitForCircuitAsync();
        await details.AddMapping.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/add-mapping$"));
        await Page.WaitForCircuitAsync();
        await new AddMappingPage(Page).ChooseDestinationAsync("Whole flow profiles");
        var editor = new MappingEditorPage(Page);
        await Expect(editor.Title).ToContainTextAsync("Add mapping: Web doctors");
        await Page.WaitForCircuitAsync();
        await Expect(editor.IdentifyOption).ToBeCheckedAsync();
        await Expect(editor.Space).ToHaveValueAsync(new Regex("spa_demo"));
        await Page.Locator("#mapping-user-id").ClickAsync();
        await Page.GetByRole(AriaRole.Option).Filter(new() { HasTextRegex = IdOption() }).First.ClickAsync();
        await Expect(Page.Locator("#mapping-user-id")).ToHaveValueAsync("Id");
        foreach (var trait in new[] { "email", "firstName", "lastName", "title" })
        {
            await editor.AddReservedAsync(trait);
        }

        await Expect(editor.TraitRows).ToHaveCountAsync(4);
        await Expect(editor.Preview).ToContainTextAsync($"\"userId\": \"{recordId}\"");
        await editor.SaveAsync();
        await Expect(Page).ToHaveURLAsync(MappingUrl());

        // 5. The three switches: destination, mapping (on the destination's Overview), source (with the API warning).
        await Page.GotoAsync(destinationUrl);
        await Page.WaitForCircuitAsync();
        var destination = new DestinationSettingsPage(Page);
        await destination.SettingsTab.ClickAsync();
        await destination.EnableSwitch.ClickAsync();
        await Expect(destination.Blockers).ToContainTextAsync("No mapping to this destination is enabled");
        await destination.Form.Save.ClickAsync();
        await Expect(destination.State).ToHaveTextAsync("Enabled");
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Overview", Exact = true }).ClickAsync();
        var mappingRow = Page.GetByTestId("mappings-table").Locator("tr", new() { HasTextString = "Web doctors" });
        await mappingRow.GetByTestId("mapping-status-switch").ClickAsync();
        await Expect(mappingRow).ToContainTextAsync("Mapping Status: Enabled");
        await Expect(mappingRow.GetByTestId("mapping-blocker")).ToContainTextAsync("The source is disabled");
        await ScreenshotAsync("sync-3");

        await source.GotoAsync(sourceId);
        await source.OpenTabAsync("Settings");
        var settings = Page.GetByTestId("source-sync-settings");
        await settings.GetByTestId("enable-source").ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Syncing uses your Salesforce API allowance");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Enable source" }).ClickAsync();
        await Expect(settings).ToContainTextAsync("Source enabled");
        await Expect(settings.GetByTestId("source-blocker")).ToHaveCountAsync(0);
        await settings.GetByTestId("sync-now").ClickAsync();
        await Expect(Page.GetByText("Sync started")).ToBeVisibleAsync();

        // 6. The Sync runs page shows the run succeed; the profile carries the record's values.
        await Page.GetByTestId("nav").GetByRole(AriaRole.Link, new() { Name = "Sync runs", Exact = true }).ClickAsync();
        await Page.WaitForCircuitAsync();
        var runs = Page.GetByTestId("sync-runs").Locator("tbody tr").Filter(new() { Has = Page.GetByTestId("run-state") });
        await Expect(runs).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(runs.First.GetByTestId("run-state")).ToHaveTextAsync("succeeded", new() { Timeout = (float)SyncTimeout.TotalMilliseconds });
        var firstCounts = (await runs.First.GetByTestId("run-counts").TextContentAsync())!;
        var sent = int.Parse(firstCounts.Split('/')[0].Trim().Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(sent, 2, 2_000);
        await Expect(runs.First.GetByTestId("run-counts")).ToContainTextAsync($"{sent:N0} / {sent:N0} / 0");
        await ScreenshotAsync("sync-4");

        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("demo-access-token:")));
        var traits = await TraitsAsync(http, recordId);
        Assert.Equal(Expected(record), traits);

        // 7. The record changes in Salesforce; the next run sends just it, and the profile shows the new value.
        var newTitle = "Chief Journey Officer " + Guid.NewGuid().ToString("N")[..6];
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"demo/salesforce/_control/records/Contact/{recordId}")
        {
            Content = new StringContent(JsonSerializer.Serialize(new Dictionary<string, string> { ["Title"] = newTitle }), Encoding.UTF8, "application/json"),
        })
        {
            using var patched = await http.SendAsync(patch, TestContext.Current.CancellationToken);
            Assert.True(patched.IsSuccessStatusCode, $"The demo org refused the change: {(int)patched.StatusCode}");
        }

        await source.GotoAsync(sourceId);
        await source.OpenTabAsync("Settings");
        await Page.GetByTestId("sync-now").ClickAsync();
        await Expect(Page.GetByText("Sync started")).ToBeVisibleAsync();
        await ScreenshotAsync("sync-5");

        await Page.GotoAsync("sync-runs");
        await Page.WaitForCircuitAsync();
        await Expect(runs).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        var latest = runs.First;
        await Expect(latest).ToContainTextAsync("incremental");
        await Expect(latest.GetByTestId("run-state")).ToHaveTextAsync("succeeded", new() { Timeout = (float)SyncTimeout.TotalMilliseconds });
        await Expect(latest.GetByTestId("run-counts")).ToHaveTextAsync("1 / 1 / 0");
        await ScreenshotAsync("sync-6");

        record["Title"] = newTitle;
        await Eventually.TrueAsync(async () => (await TraitsAsync(http, recordId)).GetValueOrDefault("title") == newTitle, "the new title in the profile", TimeSpan.FromSeconds(30));
        Assert.Equal(Expected(record), await TraitsAsync(http, recordId));
    }

    private static Dictionary<string, string?> Expected(Dictionary<string, string?> record)
    {
        var expected = new Dictionary<string, string?>();
        foreach (var (field, trait) in new[] { ("Email", "email"), ("FirstName", "firstName"), ("LastName", "lastName"), ("Title", "title") })
        {
            // With "Send null values" off, an empty field leaves no trait.
            if (record[field] is { } value)
            {
                expected[trait] = value;
            }
        }

        return expected;
    }

    private static async Task<Dictionary<string, string?>> TraitsAsync(HttpClient http, string userId)
    {
        using var response = await http.GetAsync($"demo/segment-profiles/v1/spaces/spa_demo/collections/users/profiles/user_id:{userId}/traits?limit=200", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"Profile API answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("traits").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ToString());
    }
}
