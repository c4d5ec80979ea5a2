using Microsoft.Playwright;

namespace UnifyAdmin.Tests.E2E.Pages;

/// <summary>The first-run setup page.</summary>
public sealed class SetupPage(IPage page)
{
    public ILocator Errors => page.GetByTestId("form-errors");

    public ILocator ValidationMessages => page.Locator(".validation-message");

    public async Task FillAsync(string email, string password, string confirm)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Confirm password").FillAsync(confirm);
    }

    public Task SubmitAsync() => page.GetByRole(AriaRole.Button, new() { Name = "Create Admin account" }).ClickAsync();
}
