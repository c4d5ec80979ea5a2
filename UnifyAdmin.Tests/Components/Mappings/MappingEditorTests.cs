using Bunit;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Segment;
using UnifyAdmin.Features.Mappings;
using UnifyAdmin.Tests.Core.Mappings;

namespace UnifyAdmin.Tests.Components.Mappings;

public sealed class MappingEditorTests : MudComponentTest
{
    private static readonly Guid SpaceId = Guid.NewGuid();
    private readonly List<MappingInput> saved = [];

    private static MappingEditorData Data(MappingInput input, params string[] sampleRows)
    {
        var destination = new DestinationDetails(Guid.NewGuid(), "Profiles", SegmentRegion.Us, null, null, null, null, false, Guid.NewGuid(), DateTimeOffset.UtcNow,
            [new ProfileSpaceDetails(SpaceId, "spa_demo", "Demo space", true, true, "••••••••", "••••••••")]);
        var model = new MappingModelInfo(Guid.NewGuid(), "Contacts", "Contact", Guid.NewGuid(), "Org", ["Id", "Email"]);
        var samples = sampleRows.Length == 0 ? [] : MappingRecords.Page("Contact", sampleRows);
        return new MappingEditorData(model, destination, MappingInputValidatorTests.Catalog(), null, input, 0, false, samples, null, null);
    }

    private const string Sample = "{\"Id\":\"003000000000001AAA\",\"SystemModstamp\":\"2024-03-05T17:03:29.000+0000\",\"External_Key__c\":\"ext-1\",\"Email\":\"ada@example.com\",\"FirstName\":\"Ada\",\"LastName\":\"Lovelace\"}";

    private static MappingInput NewInput() => new() { ProfileSpaceId = SpaceId };

    private IRenderedComponent<MappingEditor> RenderEditor(MappingEditorData data, bool readOnly = false)
        => Render<MappingEditor>(p => p
            .Add(e => e.Data, data)
            .Add(e => e.Library, MappingRecords.Library)
            .Add(e => e.ReadOnly, readOnly)
            .Add(e => e.OnSave, i =>
            {
                saved.Add(i);
                return Task.FromResult(OperationResult<SavedMapping>.Ok(new SavedMapping(i.Id, 1)));
            }));

    private static void Save(IRenderedComponent<MappingEditor> editor) => editor.Find("[data-testid=save-mapping]").Click();

    private static string Errors(IRenderedComponent<MappingEditor> editor) => editor.Find("[data-testid=form-errors]").TextContent;

    [Fact]
    public void Saving_without_user_id_or_anonymous_id_says_one_is_required_and_saves_nothing()
    {
        var editor = RenderEditor(Data(NewInput(), Sample));

        Save(editor);

        editor.WaitForAssertion(() => Assert.Contains("You must map either a User ID or Anonymous ID field.", Errors(editor)));
        Assert.Contains("Nothing was saved.", Errors(editor));
        Assert.Contains(editor.FindAll(".mud-input-helper-text"), e => e.TextContent.Contains("You must map either a User ID or Anonymous ID field.", StringComparison.Ordinal));
        Assert.Empty(saved);
    }

    [Fact]
    public void Send_group_without_a_group_id_is_refused()
    {
        var input = NewInput();
        input.UserIdField = "External_Key__c";
        input.Action = MappingAction.Group;
        var editor = RenderEditor(Data(input, Sample));

        Save(editor);

        editor.WaitForAssertion(() => Assert.Contains(MappingInputValidator.GroupIdRequiredMessage, Errors(editor)));
        Assert.Single(editor.FindAll("#mapping-group-id"));
        Assert.Empty(saved);
    }

    [Fact]
    public void Empty_and_duplicate_trait_names_are_marked_on_their_rows()
    {
        var input = NewInput();
        input.UserIdField = "External_Key__c";
        input.Traits = [new() { Trait = "email", Field = "Email" }, new() { Trait = "email", Field = "FirstName" }, new() { Trait = "", Field = "LastName" }];
        var editor = RenderEditor(Data(input, Sample));

        Save(editor);

        editor.WaitForAssertion(() => Assert.Contains("Trait 2: The trait `email` is already mapped above. Each trait name can be used once.", Errors(editor)));
        Assert.Contains("Trait 3: Enter a trait name.", Errors(editor));
        Assert.Equal(3, editor.FindAll("[data-testid=trait-row]").Count);
        Assert.Empty(saved);
    }

    [Fact]
    public void A_field_removed_from_the_org_is_flagged_in_red()
    {
        var input = NewInput();
        input.UserIdField = "External_Key__c";
        input.Traits = [new() { Trait = "score", Field = "Legacy_Score__c" }];
        input.Version = Guid.NewGuid();
        var editor = RenderEditor(Data(input, Sample));

        Assert.Contains("Legacy_Score__c", editor.Find("[data-testid=drift]").TextContent);
        Save(editor);
        editor.WaitForAssertion(() => Assert.Contains("Trait 1: `Legacy_Score__c` was removed from Salesforce since the model was saved.", Errors(editor)));
        Assert.Empty(saved);
    }

    [Fact]
    public void The_payload_preview_shows_the_exact_json_and_follows_edits_live()
    {
        var input = NewInput();
        input.UserIdField = "External_Key__c";
        input.Traits = [new() { Trait = "email", Field = "Email" }];
        var editor = RenderEditor(Data(input, Sample));

        var preview = editor.Find("[data-testid=payload-preview]").TextContent;
        Assert.Contains("\"userId\": \"ext-1\"", preview);
        Assert.Contains("\"email\": \"ada@example.com\"", preview);
        Assert.Contains("\"All\": false", preview);

        editor.Find("#trait-0-name").Input("contact.email");

        editor.WaitForAssertion(() => Assert.Contains("\"contact\": {", editor.Find("[data-testid=payload-preview]").TextContent));
    }

    [Fact]
    public void Reserved_traits_and_add_all_fields_fill_rows_in_the_chosen_naming()
    {
        var input = NewInput();
        input.Naming = TraitNaming.SnakeCase;
        var editor = RenderEditor(Data(input, Sample));

        editor.FindAll("[data-testid=reserved-trait]").First(c => c.TextContent.Contains("firstName", StringComparison.Ordinal)).Click();
        editor.Find("[data-testid=add-all-fields]").Click();

        Assert.Equal("firstName", input.Traits[0].Trait);
        Assert.Contains(input.Traits, t => t.Trait == "last_name" && t.Field == "LastName");
        Assert.Contains(input.Traits, t => t.Trait == "external_key" && t.Field == "External_Key__c");
        Assert.DoesNotContain(input.Traits, t => t.Field == "Legacy_Score__c");
        Assert.Single(input.Traits, t => t.Field == "FirstName");
    }

    [Fact]
    public void A_suggested_id_field_is_offered_never_chosen()
    {
        var input = NewInput();
        var editor = RenderEditor(Data(input, Sample));

        Assert.Null(input.UserIdField);
        editor.FindAll("[data-testid=id-suggestion]").First(c => c.TextContent.Contains("External_Key__c", StringComparison.Ordinal)).Click();

        Assert.Equal("External_Key__c", input.UserIdField);
    }

    [Fact]
    public void A_valid_mapping_is_saved_once()
    {
        var input = NewInput();
        input.UserIdField = "External_Key__c";
        input.Traits = [new() { Trait = "email", Field = "Email" }];
        var editor = RenderEditor(Data(input, Sample));

        Save(editor);

        editor.WaitForAssertion(() => Assert.Single(saved));
        Assert.Empty(editor.FindAll("[data-testid=form-errors]"));
    }

    [Fact]
    public void A_record_too_large_for_segment_is_warned_about_with_its_id()
    {
        var input = NewInput();
        input.UserIdField = "External_Key__c";
        input.Traits = [new() { Trait = "first", Field = "FirstName" }];
        var huge = "{\"Id\":\"003000000000002AAA\",\"SystemModstamp\":\"2024-03-05T17:03:29.000+0000\",\"External_Key__c\":\"ext-2\",\"FirstName\":\"" + new string('a', 40_000) + "\"}";
        var editor = RenderEditor(Data(input, Sample, huge));

        Assert.Contains("Record 003000000000002AAA would be", editor.Find("[data-testid=mapping-warnings]").TextContent);
        Assert.Contains("32 KB", editor.Find("[data-testid=mapping-warnings]").TextContent);
    }

    [Fact]
    public void A_viewer_sees_the_mapping_without_a_save_button()
    {
        var input = NewInput();
        input.UserIdField = "External_Key__c";
        var editor = RenderEditor(Data(input, Sample), readOnly: true);

        Assert.Empty(editor.FindAll("[data-testid=save-mapping]"));
        Assert.Empty(editor.FindAll("[data-testid=add-all-fields]"));
        Assert.Equal(MessageIds.Rule, editor.Find("input[value^='sf-']").GetAttribute("value"));
    }
}
