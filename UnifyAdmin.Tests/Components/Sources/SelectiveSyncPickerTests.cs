using Bunit;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Features.Sources;

namespace UnifyAdmin.Tests.Components.Sources;

public sealed class SelectiveSyncPickerTests : MudComponentTest
{
    private static readonly IReadOnlyList<CollectionInfo> Collections =
    [
        new("Account", "Account", false),
        new("Contact", "Contact", false),
        new("Subscription__c", "Subscription", true),
    ];

    private static readonly IReadOnlyList<ColumnInfo> ContactColumns =
    [
        new("Id", "Contact ID", "id", true, false),
        new("SystemModstamp", "System Modstamp", "datetime", true, false),
        new("Email", "Email", "email", false, false),
        new("FirstName", "First Name", "string", false, false),
        new("Full_Name__c", "Full Name", "string", false, true),
    ];

    private readonly SelectiveSyncModel model = new();
    private int counted;
    private int described;

    public SelectiveSyncPickerTests()
    {
        // As once the circuit is up; the prerendering test sets its own.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    private IRenderedComponent<SelectiveSyncPicker> RenderPicker() => Render<SelectiveSyncPicker>(p => p
        .Add(x => x.Model, model)
        .Add(x => x.LoadCollections, _ =>
        {
            described++;
            return Task.FromResult(Collections);
        })
        .Add(x => x.LoadColumns, (name, _) => Task.FromResult(name == "Contact" ? ContactColumns : (IReadOnlyList<ColumnInfo>)[]))
        .Add(x => x.CountRecords, (_, _) =>
        {
            counted++;
            return Task.FromResult(1234L);
        }));

    private static void Open(IRenderedComponent<SelectiveSyncPicker> picker, string collection)
        => picker.Find($"[data-testid=collection-{collection}]").Click();

    private static AngleSharp.Dom.IElement CheckBox(IRenderedComponent<SelectiveSyncPicker> picker, string column)
        => picker.Find($"input[aria-label={column}], [data-testid=column-{column}] input");

    [Fact]
    public void The_org_is_described_once_the_circuit_is_up_and_not_while_prerendering()
    {
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", isInteractive: false));
        var prerendered = RenderPicker();
        Assert.Equal(0, described);
        Assert.DoesNotContain("Subscription", prerendered.Markup);

        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        var live = RenderPicker();

        live.WaitForAssertion(() => Assert.Contains("Subscription", live.Markup));
        Assert.Equal(1, described);
    }

    [Fact]
    public void Search_narrows_the_collections_by_label_or_api_name()
    {
        var picker = RenderPicker();

        picker.Find("input[placeholder='Search by label or API name']").Input("__c");

        picker.WaitForAssertion(() =>
        {
            Assert.Single(picker.FindAll("[data-testid^=collection-]"), e => e.GetAttribute("data-testid") != "collection-search");
            Assert.Contains("Subscription", picker.Markup);
        });
    }

    [Fact]
    public void Id_and_SystemModstamp_are_always_included_and_cannot_be_unticked()
    {
        var picker = RenderPicker();
        Open(picker, "Contact");

        picker.WaitForAssertion(() => Assert.True(CheckBox(picker, "Id").HasAttribute("disabled")));
        Assert.True(CheckBox(picker, "SystemModstamp").HasAttribute("disabled"));
        Assert.Contains("formula", picker.Markup);
    }

    [Fact]
    public void Picking_columns_records_them_with_the_always_included_ones()
    {
        var picker = RenderPicker();
        Open(picker, "Contact");
        picker.WaitForAssertion(() => CheckBox(picker, "Email"));

        CheckBox(picker, "Email").Change(true);

        var input = model.ToInput();
        var contact = Assert.Single(input.Collections);
        Assert.Equal("Contact", contact.Name);
        Assert.Equal(["Id", "SystemModstamp", "Email"], contact.Columns);
    }

    [Fact]
    public void All_and_none_select_and_clear_the_collection()
    {
        var picker = RenderPicker();
        Open(picker, "Contact");
        picker.WaitForAssertion(() => CheckBox(picker, "Email"));

        picker.Find("[data-testid=columns-all]").Click();
        Assert.Equal(5, model.ColumnsOf("Contact").Count);

        picker.Find("[data-testid=columns-none]").Click();
        Assert.False(model.IsPicked("Contact"));
        Assert.Empty(model.ToInput().Collections);
    }

    [Fact]
    public void Record_count_is_fetched_only_on_demand()
    {
        var picker = RenderPicker();
        Open(picker, "Contact");
        Assert.Equal(0, counted);

        picker.Find("[data-testid=count-records]").Click();

        picker.WaitForAssertion(() => Assert.Contains("1,234 records", picker.Markup));
        Assert.Equal(1, counted);
    }

    [Fact]
    public void An_empty_selective_sync_is_refused_with_what_to_do()
    {
        var errors = new SelectiveSyncInputValidator().Validate(model.ToInput()).Errors.Select(e => e.ErrorMessage);

        Assert.Contains("Pick at least one collection, and the columns to read from it.", errors);
    }
}
