using Microsoft.Playwright;

namespace UnifyAdmin.Tests.E2E.Pages;

/// <summary>The sign-in page.</summary>
public sealed class LoginPage(IPage page)
{
    public ILocator Errors => page.GetByTestId("form-errors");

    public Task GotoAsync() => page.GotoAsync("account/login");

    public async Task SignInAsync(string email, string password)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
