using Microsoft.Playwright;

namespace UnifyAdmin.Tests.E2E.Pages;

/// <summary>The "Add Salesforce source" wizard step.</summary>
public sealed class AddSourcePage(IPage page)
{
    public ILocator ConnectError => page.GetByTestId("connect-error");

    public ILocator ConnectedOrg => page.GetByTestId("connected-org");

    public async Task GotoAsync()
    {
        await page.GotoAsync("sources/new");
        await page.WaitForCircuitAsync();
    }

    public async Task ChooseDemoOrgAsync()
    {
        await page.GetByTestId("login-kind").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Demo org (served by this app)" }).ClickAsync();
        // The server fills in the demo credentials; wait for them before anything else is typed or clicked.
        await Assertions.Expect(page.GetByLabel("Client id (consumer key)")).ToHaveValueAsync("demo-client-id");
    }

    public Task FillNameAsync(string name) => page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);

    public Task FillClientSecretAsync(string secret) => page.GetByLabel("Client secret (consumer secret)").FillAsync(secret);

    public Task ConnectAsync() => page.GetByTestId("connect").ClickAsync();

    public async Task OpenCollectionAsync(string apiName)
    {
        await page.GetByPlaceholder("Search by label or API name").FillAsync(apiName);
        await page.GetByTestId($"collection-{apiName}").ClickAsync();
        // Wait until the columns shown are this collection's, not the previous one's.
        await page.Locator($"[data-testid='columns'][data-collection='{apiName}']").WaitForAsync();
    }

    public ILocator Column(string column) => page.Locator($"[data-testid='columns'] input[aria-label='{column}']");

    public Task CheckColumnAsync(string column) => Column(column).CheckAsync();

    public Task SaveAsync() => page.GetByTestId("save-source").ClickAsync();
}

/// <summary>The demo org's own sign-in and consent pages (what Salesforce shows).</summary>
public sealed class SalesforceLoginPage(IPage page)
{
    public async Task SignInAsync(string username, string password)
    {
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log In" }).ClickAsync();
    }

    public Task AllowAsync() => page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();

    public Task DenyAsync() => page.GetByRole(AriaRole.Button, new() { Name = "Deny" }).ClickAsync();
}
