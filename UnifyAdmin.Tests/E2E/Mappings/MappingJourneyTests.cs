using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Tests.Core.Mappings;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E.Mappings;

public sealed partial class MappingJourneyTests(MappingAppHost host, BrowserFixture browsers)
    : BrowserTest<MappingAppHost>(host, browsers), IClassFixture<MappingAppHost>
{
    [GeneratedRegex("/destinations/[0-9a-f-]{36}/mappings/[0-9a-f-]{36}$")]
    private static partial Regex SavedMappingUrl();

    [Fact]
    public async Task An_admin_maps_a_model_tests_it_with_three_real_records_reads_the_profiles_back_and_saves_it_disabled()
    {
        var ct = TestContext.Current.CancellationToken;
        var lastName = "Journey" + Guid.NewGuid().ToString("N")[..8];
        var keys = Enumerable.Range(0, 3).Select(i => $"jrn-{lastName}-{i}".ToLowerInvariant()).ToArray();
        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            Host.Org.Insert("Contact", new Dictionary<string, object?>
            {
                ["LastName"] = lastName, ["FirstName"] = $"Grace{i}", ["Email"] = $"{key}@example.com", ["External_Key__c"] = key, ["MailingCity"] = "Bristol", ["Title"] = "Engineer",
            });
        }

        var source = await Host.CreateSourceAsync("Journey org", ct);
        var model = await Host.CreateModelAsync(source, "Journey contacts", ct,
            filter: new ModelFilter(FilterJoin.And, [new FilterCondition("LastName", FilterOperator.Equals, lastName)]));
        await Host.CreateDestinationAsync("Journey profiles", ct);
        await SignInAsAdminAsync();

        // Model → Add mapping → destination.
        var add = new AddMappingPage(Page);
        await add.GotoAsync(model);
        await ScreenshotAsync("mapping-1");
        await add.ChooseDestinationAsync("Journey profiles");

        // Identify (the default) in the only space; User ID from a field the admin picks.
        var editor = new MappingEditorPage(Page);
        await Expect(editor.Title).ToContainTextAsync("Add mapping: Journey contacts");
        await Page.WaitForCircuitAsync();
        await Expect(editor.IdentifyOption).ToBeCheckedAsync();
        await Expect(editor.Space).ToHaveValueAsync("Demo space (spa_demo)");
        await Expect(Page.GetByTestId("id-suggestion").First).ToContainTextAsync("External_Key__c");
        await editor.ChooseFieldAsync("mapping-user-id", "External_Key__c");
        await Expect(Page.Locator("#mapping-user-id")).ToHaveValueAsync("External_Key__c");

        // Reserved traits, then every other field.
        await editor.AddReservedAsync("firstName");
        await editor.AddReservedAsync("email");
        await editor.AddReservedAsync("address.");
        await editor.AddAllFieldsAsync();
        await Expect(editor.TraitRows.Nth(0).Locator("input").Last).ToHaveValueAsync("firstName");
        await Expect(editor.TraitRows).ToHaveCountAsync(MappingAppHost.ContactFields.Length);
        await ScreenshotAsync("mapping-2");

        // The payload preview is the first record's message.
        await Expect(editor.Preview).ToContainTextAsync($"\"userId\": \"{keys[0]}\"");
        await Expect(editor.Preview).ToContainTextAsync("\"firstName\": \"Grace0\"");
        await Expect(editor.Preview).ToContainTextAsync("\"city\": \"Bristol\"");
        await Expect(editor.Preview).ToContainTextAsync("\"All\": false");
        await ScreenshotAsync("mapping-3");

        // Test with three real records: sent, accepted, and each profile read back.
        await Expect(editor.RealSendWarning).ToContainTextAsync("real send");
        await Expect(editor.TestRecords).ToHaveCountAsync(3);
        for (var i = 0; i < 3; i++)
        {
            await editor.PickTestRecordAsync(i);
        }

        await editor.SendTestAsync();
        await Expect(editor.TestResults).ToHaveCountAsync(3, new() { Timeout = 30_000 });
        await Expect(Page.GetByTestId("test-summary")).ToContainTextAsync("Segment accepted all");
        var first = editor.TestResults.First;
        await Expect(first.GetByTestId("test-outcome")).ToHaveTextAsync("Accepted by Segment");
        await Expect(first.GetByTestId("segment-id")).ToContainTextAsync("segment_id");
        await Expect(first.GetByTestId("identifiers")).ToContainTextAsync($"user_id: {keys[0]}");
        await Expect(first.GetByTestId("read-back-trait").Filter(new() { HasTextString = "firstName" })).ToContainTextAsync("\"Grace0\"");
        await ScreenshotAsync("mapping-4");

        // Save: disabled until the Mapping Status is switched on; the destination's Overview lists it.
        await editor.SaveAsync();
        await Expect(Page).ToHaveURLAsync(SavedMappingUrl());
        await Expect(editor.Status).ToHaveTextAsync("Mapping Status: Disabled");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Journey profiles" }).ClickAsync();
        var row = Page.GetByTestId("mappings-table").Locator("tr", new() { HasTextString = "Journey contacts" });
        await Expect(row).ToContainTextAsync("Send Identify");
        await Expect(row).ToContainTextAsync("Mapping Status: Disabled");
        await ScreenshotAsync("mapping-5");
        Assert.DoesNotContain("demo-write-key", await Page.ContentAsync());
    }
}
