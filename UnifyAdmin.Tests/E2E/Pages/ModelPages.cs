using Microsoft.Playwright;

namespace UnifyAdmin.Tests.E2E.Pages;

/// <summary>A source page's tabs.</summary>
public sealed class SourcePage(IPage page)
{
    public ILocator CreateModel => page.GetByTestId("create-model");

    public ILocator ModelsTable => page.GetByTestId("models-table");

    public async Task GotoAsync(Guid sourceId, string? tab = null)
    {
        await page.GotoAsync($"sources/{sourceId}" + (tab is null ? "" : "?tab=" + tab));
        await page.WaitForCircuitAsync();
    }

    public Task OpenTabAsync(string name) => page.GetByRole(AriaRole.Tab, new() { Name = name, Exact = true }).ClickAsync();
}

/// <summary>The Create Model wizard (and Edit, which is the same stepper).</summary>
public sealed class ModelWizardPage(IPage page)
{
    public ILocator Preview => page.GetByTestId("model-preview");

    public ILocator PreviewRows => page.Locator("[data-testid=preview-table] tr[data-testid=preview-row]");

    public ILocator MatchingRows => page.GetByTestId("matching-rows");

    public ILocator SaveErrors => page.GetByTestId("save-error");

    public ILocator Cells(string field) => page.Locator($"[data-testid=preview-table] td[data-field='{field}']");

    public Task ChooseCollectionAsync(string name) => page.GetByTestId($"collection-{name}").ClickAsync();

    public Task NextAsync() => page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();

    public Task CheckFieldAsync(string path) => page.Locator($"[data-testid='field-picker'] input[aria-label='{path}']").CheckAsync();

    public async Task AddConditionAsync(string field, string option)
    {
        var index = await page.Locator("[data-testid^='filter-row-']").CountAsync();
        await page.GetByTestId("filter-add").ClickAsync();
        await page.GetByTestId($"filter-field-{index}").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = field, Exact = true }).ClickAsync();
        await page.Locator($"[data-testid=filter-value-{index}] .mud-select").First.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    public Task FillNameAsync(string name) => page.GetByLabel("Model name").FillAsync(name);

    public Task SaveAsync() => page.GetByTestId("save-model").ClickAsync();
}

/// <summary>A saved model's page.</summary>
public sealed class ModelDetailsPage(IPage page)
{
    public ILocator Name => page.GetByTestId("model-name");

    public ILocator Soql => page.Locator("textarea[data-testid=model-soql], [data-testid=model-soql] textarea");

    public ILocator PreviewRows => page.Locator("[data-testid=preview-table] tr[data-testid=preview-row]");

    public ILocator SchemaStatus => page.GetByTestId("model-schema-status");

    public ILocator AddMapping => page.GetByTestId("add-mapping");
}
