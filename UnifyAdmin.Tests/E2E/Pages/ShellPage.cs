using Microsoft.Playwright;

namespace UnifyAdmin.Tests.E2E.Pages;

/// <summary>The signed-in app shell: app bar, navigation drawer, theme toggle.</summary>
public sealed class ShellPage(IPage page)
{
    public ILocator SignedInUser => page.GetByTestId("signed-in-user");

    public ILocator Nav => page.GetByTestId("nav");

    public ILocator NavLink(string name) => Nav.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    public ILocator ThemeToggle => page.GetByTestId("theme-toggle");

    public ILocator AccessDenied => page.GetByTestId("access-denied");

    public async Task GotoAsync(string path)
    {
        await page.GotoAsync(path);
        await page.WaitForCircuitAsync();
    }

    public Task SignOutAsync() => page.GetByTestId("sign-out").ClickAsync();
}
