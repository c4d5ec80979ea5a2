using Microsoft.Playwright;

namespace UnifyAdmin.Tests.Infrastructure;

/// <summary>
/// Base class for Playwright journeys: a fresh browser context per test against the class's app host,
/// and a screenshot of the journey's end.
/// </summary>
public abstract class BrowserTest<THost>(THost host, BrowserFixture browsers) : IAsyncLifetime
    where THost : AppHost
{
    private IBrowserContext? context;

    protected THost Host { get; } = host;

    protected IPage Page { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var browser = await browsers.GetBrowserAsync();
        context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
        });
        context.SetDefaultTimeout(15_000);
        Page = await context.NewPageAsync();
    }

    /// <summary>Signs in as the host's Admin (creating it when needed) and waits for the dashboard's circuit.</summary>
    protected async Task SignInAsAdminAsync()
    {
        await Host.EnsureAdminAsync();
        var login = new E2E.Pages.LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAsync(AppHost.AdminEmail, AppHost.AdminPassword);
        await Assertions.Expect(Page).ToHaveURLAsync(Host.Url(""));
        await E2E.Pages.BlazorPage.WaitForCircuitAsync(Page);
    }

    /// <summary>Saves the page as it looks now, named after the journey.</summary>
    protected async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (context is not null)
        {
            await context.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
