using Microsoft.Playwright;

namespace UnifyAdmin.Tests.E2E.Destinations;

/// <summary>The destination form, on the add page and the settings page.</summary>
public sealed class DestinationFormPage(IPage page)
{
    public ILocator Name => page.Locator("#destination-name");

    public ILocator SpaceId(int row) => page.Locator($"#space-{row}-id");

    public ILocator WriteKey(int row) => page.Locator($"#space-{row}-write-key");

    public ILocator AccessToken(int row) => page.Locator($"#space-{row}-access-token");

    public ILocator UseDemo => page.GetByTestId("use-demo");

    public ILocator TestConnection => page.GetByTestId("test-connection");

    public ILocator ConnectionResults => page.GetByTestId("connection-result");

    public ILocator Save => page.GetByTestId("save-destination");

    public ILocator Errors => page.GetByTestId("form-errors");
}

/// <summary>A destination's page: its state chip, the Settings tab with Enable destination and Save, Delete.</summary>
public sealed class DestinationSettingsPage(IPage page)
{
    public DestinationFormPage Form { get; } = new(page);

    public ILocator Title => page.GetByTestId("destination-name");

    public ILocator State => page.GetByTestId("destination-state");

    /// <summary>The Settings tab's Enable destination switch; it takes effect with the form's Save.</summary>
    public ILocator EnableSwitch => page.GetByTestId("enable-destination");

    /// <summary>Why records would not flow yet, under the switch while it is on.</summary>
    public ILocator Blockers => page.GetByTestId("destination-blocker");

    public ILocator Delete => page.GetByTestId("delete-destination");

    /// <summary>The Settings tab (the page opens on Overview).</summary>
    public ILocator SettingsTab => page.Locator(".mud-tab", new() { HasTextString = "Settings" });
}

/// <summary>The destinations list.</summary>
public sealed class DestinationsListPage(IPage page)
{
    public ILocator Table => page.GetByTestId("destinations-table");

    public ILocator Row(string name) => Table.Locator("tr", new() { HasText = name });

    public ILocator EmptyState => page.GetByTestId("empty-state");

    public ILocator AddDestination => page.GetByTestId("add-destination");
}
