using Microsoft.Playwright;

namespace UnifyAdmin.Tests.E2E.Pages;

/// <summary>"Add mapping" from a model: the destination choice.</summary>
public sealed class AddMappingPage(IPage page)
{
    public async Task GotoAsync(Guid modelId)
    {
        await page.GotoAsync($"models/{modelId}/add-mapping");
        await page.WaitForCircuitAsync();
    }

    public Task ChooseDestinationAsync(string name) => page.GetByTestId($"choose-{name}").ClickAsync();
}

/// <summary>The mapping editor with its payload preview and test panel.</summary>
public sealed class MappingEditorPage(IPage page)
{
    public ILocator Title => page.GetByTestId("mapping-title");

    public ILocator Status => page.GetByTestId("mapping-status");

    public ILocator IdentifyOption => page.GetByRole(AriaRole.Radio).First;

    public ILocator Space => page.Locator("#mapping-space");

    public ILocator Preview => page.GetByTestId("payload-preview");

    public ILocator TraitRows => page.GetByTestId("trait-row");

    public ILocator TestRecords => page.GetByTestId("test-record");

    public ILocator TestResults => page.GetByTestId("test-result");

    public ILocator RealSendWarning => page.GetByTestId("real-send-warning");

    public ILocator Errors => page.GetByTestId("form-errors");

    public async Task ChooseFieldAsync(string selectId, string field)
    {
        await page.Locator($"#{selectId}").ClickAsync();
        await page.GetByRole(AriaRole.Option).Filter(new() { HasTextString = field + " ·" }).First.ClickAsync();
    }

    public Task AddReservedAsync(string trait) => page.GetByTestId("reserved-trait").Filter(new() { HasTextString = trait }).ClickAsync();

    public Task AddAllFieldsAsync() => page.GetByTestId("add-all-fields").ClickAsync();

    public Task PickTestRecordAsync(int index) => page.Locator("[data-testid=test-record] input, input[data-testid=test-record]").Nth(index).CheckAsync();

    public Task SendTestAsync() => page.GetByTestId("send-test").ClickAsync();

    public Task SaveAsync() => page.GetByTestId("save-mapping").ClickAsync();
}
