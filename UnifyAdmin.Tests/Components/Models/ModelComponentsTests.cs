using Bunit;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Features.Models;

namespace UnifyAdmin.Tests.Components.Models;

public sealed class ModelFieldPickerTests : MudComponentTest
{
    private static readonly IReadOnlyList<ModelFieldOption> Options =
    [
        new("Id", "Contact ID", "id", true, null, []),
        new("SystemModstamp", "System Modstamp", "datetime", true, null, []),
        new("Email", "Email", "email", false, null, []),
        new("LastName", "Last Name", "string", false, null, []),
        new("Account.Name", "Account: Account Name", "string", false, "Account", []),
        new("Account.Industry", "Account: Industry", "picklist", false, "Account", ["Banking", "Retail"]),
    ];

    private readonly List<string> selected = [];

    private IRenderedComponent<ModelFieldPicker> RenderPicker() => Render<ModelFieldPicker>(p => p
        .Add(x => x.Options, Options)
        .Add(x => x.Selected, selected));

    private static AngleSharp.Dom.IElement Box(IRenderedComponent<ModelFieldPicker> picker, string path)
        => picker.Find($"[data-testid='field-{path}'] input");

    [Fact]
    public void Shows_label_api_name_and_type_and_groups_parent_fields_under_their_lookup()
    {
        var picker = RenderPicker();

        Assert.Contains("Through the Account lookup", picker.Markup);
        var row = picker.Find("[data-testid='field-Account.Industry']");
        Assert.Contains("Account: Industry", row.TextContent);
        Assert.Contains("Account.Industry", row.TextContent);
        Assert.Contains("picklist", row.TextContent);
        Assert.True(Box(picker, "Id").HasAttribute("disabled"));
        Assert.True(Box(picker, "SystemModstamp").HasAttribute("disabled"));
    }

    [Fact]
    public void Search_narrows_the_fields_by_label_or_api_name_and_says_so_when_nothing_matches()
    {
        var picker = RenderPicker();

        picker.Find("input[placeholder='Search fields by label or API name']").Input("industry");
        picker.WaitForAssertion(() => Assert.Empty(picker.FindAll("[data-testid='field-Email']")));
        Assert.Single(picker.FindAll("[data-testid='field-Account.Industry']"));
        Assert.Empty(picker.FindAll("[data-testid='field-Account.Name']"));

        picker.Find("input[placeholder='Search fields by label or API name']").Input("zzz");
        picker.WaitForAssertion(() => Assert.Contains("No field matches \"zzz\"", picker.Markup));
    }

    [Fact]
    public void All_picks_every_visible_field_and_None_keeps_only_Id_and_SystemModstamp()
    {
        var picker = RenderPicker();

        picker.Find("[data-testid=fields-all]").Click();
        Assert.Equal(["Id", "SystemModstamp", "Email", "LastName", "Account.Name", "Account.Industry"], selected);
        picker.Find("[data-testid=fields-none]").Click();

        Assert.Equal(["Id", "SystemModstamp"], selected);
    }

    [Fact]
    public void Ticking_a_parent_field_adds_its_path()
    {
        var picker = RenderPicker();

        Box(picker, "Account.Name").Change(true);

        Assert.Equal(["Account.Name"], selected);
    }
}

public sealed class ModelFilterEditorTests : MudComponentTest
{
    private static readonly IReadOnlyList<ModelFieldOption> Fields =
    [
        new("LastName", "Last Name", "string", false, null, []),
        new("Birthdate", "Birthdate", "date", false, null, []),
        new("CreatedDate", "Created Date", "datetime", false, null, []),
        new("HasOptedOutOfEmail", "Email Opt Out", "boolean", false, null, []),
        new("Lifetime_Value__c", "Lifetime Value", "currency", false, null, []),
        new("LeadSource", "Lead Source", "picklist", false, null, ["Web", "Phone Inquiry", "Other"]),
    ];

    private IRenderedComponent<ModelFilterEditor> RenderEditor(List<FilterRow> rows, IReadOnlyList<string>? errors = null) => Render<ModelFilterEditor>(p => p
        .Add(x => x.Rows, rows)
        .Add(x => x.Fields, Fields)
        .Add(x => x.Errors, errors ?? []));

    [Theory]
    [InlineData("Birthdate", "date")]
    [InlineData("CreatedDate", "date")]
    [InlineData("HasOptedOutOfEmail", "boolean")]
    [InlineData("Lifetime_Value__c", "number")]
    [InlineData("LeadSource", "picklist")]
    [InlineData("LastName", "text")]
    public void Each_row_gets_an_editor_fit_for_its_field_type(string field, string editor)
    {
        var editorUnderTest = RenderEditor([new FilterRow { Field = field, Operator = FilterOperator.Equals }]);

        var value = editorUnderTest.Find("[data-testid=filter-value-0]");
        Assert.Equal(editor, value.GetAttribute("data-editor"));
        switch (editor)
        {
            case "date":
                Assert.Contains("YYYY-MM-DD", value.InnerHtml);
                break;
            case "number":
                Assert.NotNull(value.QuerySelector("input[inputmode='decimal'], input[type='number'], input"));
                break;
        }
    }

    [Fact]
    public void Is_one_of_gets_a_multi_choice_for_picklists_a_line_per_value_for_text_and_no_value_for_is_empty()
    {
        var editor = RenderEditor(
        [
            new FilterRow { Field = "LeadSource", Operator = FilterOperator.In },
            new FilterRow { Field = "LastName", Operator = FilterOperator.NotIn },
            new FilterRow { Field = "LastName", Operator = FilterOperator.IsNull },
        ]);

        Assert.Equal("picklist-many", editor.Find("[data-testid=filter-value-0]").GetAttribute("data-editor"));
        Assert.Equal("text-many", editor.Find("[data-testid=filter-value-1]").GetAttribute("data-editor"));
        Assert.Contains("one per line", editor.Find("[data-testid=filter-value-1]").TextContent);
        Assert.Equal("none", editor.Find("[data-testid=filter-value-2]").GetAttribute("data-editor"));
        Assert.Contains("Match all conditions (AND)", editor.Markup);
        Assert.Contains("Match any condition (OR)", editor.Markup);
    }

    [Fact]
    public void Only_operators_that_apply_to_a_checkbox_are_offered_and_choosing_a_field_resets_the_row()
    {
        var row = new FilterRow { Field = "LastName", Operator = FilterOperator.Contains, Value = "x" };
        var editor = RenderEditor([row]);

        Assert.Equal([FilterOperator.Equals, FilterOperator.NotEquals], ModelFilterCompiler.OperatorsFor("boolean"));
        var fieldSelect = editor.FindComponents<MudBlazor.MudSelect<string>>()[0].Instance;
        editor.InvokeAsync(() => fieldSelect.ValueChanged.InvokeAsync("HasOptedOutOfEmail"));

        editor.WaitForAssertion(() => Assert.Equal("boolean", editor.Find("[data-testid=filter-value-0]").GetAttribute("data-editor")));
        Assert.Equal(FilterOperator.Equals, row.Operator);
        Assert.Null(row.Value);
    }

    [Fact]
    public void Rows_can_be_added_and_removed_and_compile_errors_are_shown()
    {
        var rows = new List<FilterRow>();
        var editor = RenderEditor(rows, ["Filter row 1: `Birthdate` is a date; enter it as YYYY-MM-DD (got \"soon\")."]);

        Assert.Contains("No filter: the model reads every record", editor.Markup);
        Assert.Contains("start with a subset of data", editor.Find("[data-testid=subset-hint]").TextContent);
        editor.Find("[data-testid=filter-add]").Click();
        Assert.Single(rows);
        editor.Find("[data-testid=filter-remove-0]").Click();
        Assert.Empty(rows);
        Assert.Contains("is a date; enter it as YYYY-MM-DD", editor.Find("[data-testid=filter-error]").TextContent);
    }
}

public sealed class ModelPreviewPanelTests : MudComponentTest
{
    [Fact]
    public void Shows_the_count_the_api_calls_the_marks_and_each_cell_as_json()
    {
        var preview = new ModelPreview(
            ["Id", "Email", "HasOptedOutOfEmail", "Tags__c"],
            [new Dictionary<string, object?> { ["Id"] = "003A", ["Email"] = "ada@example.com", ["HasOptedOutOfEmail"] = true, ["Tags__c"] = new List<object?> { "a", "b" } }],
            1234, "SELECT Id FROM Contact",
            [
                new FieldMark("Secret__c", FieldMarkLevel.Error, "`Secret__c` is encrypted (Shield Platform Encryption); its value cannot be synced. Remove it from the model."),
                new FieldMark("Full_Name__c", FieldMarkLevel.Warning, "`Full_Name__c` is a formula field."),
                new FieldMark("Title", FieldMarkLevel.Hint, "`Title` is empty in every preview row."),
            ],
            []);

        var panel = Render<ModelPreviewPanel>(p => p.Add(x => x.Preview, preview).Add(x => x.ApiCalls, 7));

        Assert.Contains("1,234 matching records", panel.Find("[data-testid=matching-rows]").TextContent);
        Assert.Contains("7 Salesforce API calls", panel.Find("[data-testid=api-calls]").TextContent);
        Assert.Contains("encrypted", panel.Find("[data-testid=mark-error]").TextContent);
        Assert.Contains("formula", panel.Find("[data-testid=mark-warning]").TextContent);
        Assert.Contains("empty in every preview row", panel.Find("[data-testid=mark-hint]").TextContent);
        Assert.Equal("\"ada@example.com\"", panel.Find("td[data-field=Email]").TextContent);
        Assert.Equal("true", panel.Find("td[data-field=HasOptedOutOfEmail]").TextContent);
        Assert.Equal("[\"a\",\"b\"]", panel.Find("td[data-field=Tags__c]").TextContent);
    }

    [Fact]
    public void A_source_that_needs_reconnecting_gets_a_reconnect_link_and_no_table()
    {
        var preview = new ModelPreview(["Id"], [], null, null, [], ["This source must be reconnected before the org can be read: invalid_grant"], NeedsReconnect: true);

        var panel = Render<ModelPreviewPanel>(p => p.Add(x => x.Preview, preview).Add(x => x.ReconnectHref, "/sources/1?tab=settings"));

        Assert.Contains("must be reconnected", panel.Find("[data-testid=preview-error]").TextContent);
        Assert.Equal("/sources/1?tab=settings", panel.Find("[data-testid=reconnect-link]").GetAttribute("href"));
        Assert.Empty(panel.FindAll("[data-testid=preview-table]"));
    }

    [Fact]
    public void No_match_says_what_to_do_next()
    {
        var panel = Render<ModelPreviewPanel>(p => p.Add(x => x.Preview, new ModelPreview(["Id"], [], 0, "SELECT Id FROM Contact", [], [])));

        Assert.Contains("Widen the filter", panel.Find("[data-testid=preview-empty]").TextContent);
    }
}
