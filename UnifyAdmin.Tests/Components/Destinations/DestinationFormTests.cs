using Bunit;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Features.Destinations;

namespace UnifyAdmin.Tests.Components.Destinations;

public sealed class DestinationFormTests : MudComponentTest
{
    private readonly List<DestinationInput> saved = [];

    private IRenderedComponent<DestinationForm> RenderForm(
        DestinationInput? input = null, DestinationPreset? demo = null, bool readOnly = false, string? sourceName = null, bool showEnable = false, IReadOnlyList<string>? blockers = null)
        => Render<DestinationForm>(p => p
            .Add(f => f.Input, input ?? new DestinationInput())
            .Add(f => f.Demo, demo)
            .Add(f => f.SourceName, sourceName)
            .Add(f => f.ReadOnly, readOnly)
            .Add(f => f.ShowEnable, showEnable)
            .Add(f => f.EnableBlockers, blockers ?? [])
            .Add(f => f.OnSave, i =>
            {
                saved.Add(i);
                return Task.FromResult(OperationResult<Guid>.Ok(Guid.NewGuid()));
            }));

    private static void Type(IRenderedComponent<DestinationForm> form, string id, string value) => form.Find("#" + id).Input(value);

    private static void FillValid(IRenderedComponent<DestinationForm> form, int row = 0, string spaceId = "spa_demo")
    {
        Type(form, "destination-name", "Profiles");
        Type(form, $"space-{row}-id", spaceId);
        Type(form, $"space-{row}-name", "Demo space");
        Type(form, $"space-{row}-write-key", "demo-write-key");
    }

    private static void Save(IRenderedComponent<DestinationForm> form) => form.Find("[data-testid=save-destination]").Click();

    private static IReadOnlyList<string> FieldErrors(IRenderedComponent<DestinationForm> form)
        => form.FindAll(".mud-input-error .mud-input-helper-text, .mud-input-helper-text.mud-input-error").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();

    [Fact]
    public void An_empty_form_shows_what_to_fill_in_and_does_not_save()
    {
        var form = RenderForm();

        Save(form);

        form.WaitForAssertion(() => Assert.Contains("Enter a name for the destination.", FieldErrors(form)));
        var errors = FieldErrors(form);
        Assert.Contains("Enter the space id, like spa_demo.", errors);
        Assert.Contains("Enter the space's name.", errors);
        Assert.Contains("Enter the write key of the space's internal source.", errors);
        Assert.Contains("Nothing was saved.", form.Find("[data-testid=form-errors]").TextContent);
        Assert.Empty(saved);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("spa demo")]
    [InlineData("spa_demo-1")]
    public void A_malformed_space_id_is_explained_next_to_the_field_and_nothing_is_saved(string spaceId)
    {
        var form = RenderForm();
        FillValid(form, spaceId: spaceId);

        Save(form);

        form.WaitForAssertion(() => Assert.Contains(
            "A space id is spa_ followed by letters and digits only, like spa_9aQ1xz. Copy it from the space's settings in Segment.", FieldErrors(form)));
        Assert.Empty(saved);
    }

    [Fact]
    public void A_write_key_with_spaces_is_refused()
    {
        var form = RenderForm();
        FillValid(form);
        Type(form, "space-0-write-key", "demo write key");

        Save(form);

        form.WaitForAssertion(() => Assert.Contains("A write key has no spaces or line breaks: copy it again from Segment.", FieldErrors(form)));
        Assert.Empty(saved);
    }

    [Fact]
    public void The_same_space_id_twice_is_marked_on_the_second_row()
    {
        var form = RenderForm();
        FillValid(form);
        form.Find("[data-testid=add-space]").Click();
        FillValid(form, row: 1);

        Save(form);

        form.WaitForAssertion(() => Assert.Contains("spa_demo is already in this destination: remove one of the two rows.", FieldErrors(form)));
        Assert.Equal(2, form.FindAll("[data-testid=space-row]").Count);
        Assert.Empty(saved);
    }

    [Fact]
    public void An_endpoint_url_that_is_not_absolute_http_is_refused()
    {
        var form = RenderForm();
        FillValid(form);
        Type(form, "destination-tracking-url", "api.segment.io/v1");

        Save(form);

        form.WaitForAssertion(() => Assert.Contains(
            "Enter an absolute http(s) URL, like https://api.segment.io, or leave it blank to use the region's endpoint.", FieldErrors(form)));
        Assert.Empty(saved);
    }

    [Fact]
    public void A_valid_form_is_saved_once_with_what_was_typed()
    {
        var form = RenderForm();
        FillValid(form);

        Save(form);

        form.WaitForAssertion(() => Assert.Single(saved));
        Assert.Empty(FieldErrors(form));
        Assert.Equal("Profiles", saved[0].Name);
        Assert.Equal("spa_demo", saved[0].Spaces[0].SpaceId);
        Assert.Equal("demo-write-key", saved[0].Spaces[0].WriteKey);
    }

    [Fact]
    public void Removing_a_row_leaves_the_other_and_the_last_row_cannot_be_removed()
    {
        var form = RenderForm();
        form.Find("[data-testid=add-space]").Click();
        Type(form, "space-1-id", "spa_second");

        form.FindAll("[data-testid=remove-space]")[0].Click();

        Assert.Single(form.FindAll("[data-testid=space-row]"));
        Assert.Equal("spa_second", form.Find("#space-0-id").GetAttribute("value"));
        Assert.True(form.Find("[data-testid=remove-space]").HasAttribute("disabled"));
    }

    [Fact]
    public void Use_demo_workspace_fills_the_spaces_and_the_demo_endpoints()
    {
        var demo = new DestinationPreset("http://app.test/demo/segment", "http://app.test/demo/segment-profiles",
            [new PresetSpace("spa_demo", "Demo space", "demo-write-key", "demo-access-token")]);
        var input = new DestinationInput();
        var form = RenderForm(input, demo);

        form.Find("[data-testid=use-demo]").Click();
        Type(form, "destination-name", "Demo profiles");
        Save(form);

        form.WaitForAssertion(() => Assert.Single(saved));
        Assert.Equal("spa_demo", input.Spaces.Single().SpaceId);
        Assert.Equal("demo-access-token", input.Spaces.Single().AccessToken);
        Assert.Equal("http://app.test/demo/segment", input.TrackingApiUrl);
        Assert.Equal("http://app.test/demo/segment-profiles", input.ProfileApiUrl);
    }

    [Fact]
    public void Use_demo_workspace_names_the_destination_too_but_keeps_a_name_already_typed()
    {
        var demo = new DestinationPreset("http://app.test/demo/segment", "http://app.test/demo/segment-profiles",
            [new PresetSpace("spa_demo", "Demo space", "demo-write-key", "demo-access-token")], "Demo workspace 2");
        var input = new DestinationInput();
        var form = RenderForm(input, demo);

        form.Find("[data-testid=use-demo]").Click();
        Save(form);

        form.WaitForAssertion(() => Assert.Single(saved));
        Assert.Equal("Demo workspace 2", input.Name);

        var typed = new DestinationInput { Name = "Marketing profiles" };
        var second = RenderForm(typed, demo);
        second.Find("[data-testid=use-demo]").Click();
        Assert.Equal("Marketing profiles", typed.Name);
    }

    [Fact]
    public void A_saved_secret_is_shown_masked_with_a_hint_and_may_stay_blank()
    {
        var input = new DestinationInput
        {
            Name = "Profiles",
            Version = Guid.NewGuid(),
            Spaces = [new ProfileSpaceInput { Id = Guid.NewGuid(), SpaceId = "spa_demo", Name = "Demo space", HasSavedWriteKey = true, HasSavedAccessToken = true }],
        };
        var form = RenderForm(input);

        Assert.Equal("••••••••", form.Find("#space-0-write-key").GetAttribute("placeholder"));
        Assert.Equal("", form.Find("#space-0-write-key").GetAttribute("value") ?? "");
        Assert.Contains("Saved. Leave blank to keep it.", form.Markup);
        Save(form);
        form.WaitForAssertion(() => Assert.Single(saved));
    }

    [Fact]
    public void A_read_only_form_has_no_save_test_or_demo_buttons()
    {
        var demo = new DestinationPreset("http://a.test/t", "http://a.test/p", []);
        var form = RenderForm(demo: demo, readOnly: true);

        Assert.Empty(form.FindAll("[data-testid=save-destination]"));
        Assert.Empty(form.FindAll("[data-testid=use-demo]"));
        Assert.Empty(form.FindAll("[data-testid=add-space]"));
    }

    [Fact]
    public void The_source_it_is_added_from_is_named_and_nothing_is_said_without_one()
    {
        Assert.Equal("Added from source Acme org.", RenderForm(sourceName: "Acme org").Find("[data-testid=destination-source]").TextContent.Trim());
        Assert.Empty(RenderForm().FindAll("[data-testid=destination-source]"));
    }

    [Fact]
    public void Enable_destination_takes_effect_with_save_and_says_why_records_would_not_flow_yet()
    {
        var form = RenderForm(showEnable: true, blockers: ["No mapping to this destination is enabled: switch on its Mapping Status on the Overview tab."]);
        FillValid(form);
        Assert.Contains("Disabled: nothing is sent to it.", form.Find("[data-testid=destination-enable]").TextContent);
        Assert.Empty(form.FindAll("[data-testid=destination-blocker]"));

        form.Find("[data-testid=destination-enable] input").Change(true);

        form.WaitForAssertion(() => Assert.Contains("Not saved yet: choose Save.", form.Find("[data-testid=destination-enable]").TextContent));
        Assert.Contains("Records do not flow yet: No mapping to this destination is enabled", form.Find("[data-testid=destination-blocker]").TextContent);
        Assert.Empty(saved);

        Save(form);

        form.WaitForAssertion(() => Assert.True(Assert.Single(saved).Enabled));
    }

    [Fact]
    public void The_add_form_has_no_enable_switch_and_a_viewer_sees_it_switched_off_for_good()
    {
        var add = RenderForm();
        var viewer = RenderForm(new DestinationInput { Name = "Profiles", Enabled = true }, readOnly: true, showEnable: true);

        Assert.Empty(add.FindAll("[data-testid=enable-destination]"));
        Assert.True(viewer.Find("[data-testid=destination-enable] input").HasAttribute("disabled"));
        Assert.Contains("Data flows to it", viewer.Find("[data-testid=destination-enable]").TextContent);
    }
}
