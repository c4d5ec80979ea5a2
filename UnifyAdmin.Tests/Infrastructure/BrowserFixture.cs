using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(UnifyAdmin.Tests.Infrastructure.BrowserFixture))]

namespace UnifyAdmin.Tests.Infrastructure;

/// <summary>
/// One headless Chromium for the whole test run. Browser tests fail (never skip) when no browser is found:
/// run <c>./test.sh</c>, which installs one, or set <c>CHROMIUM_PATH</c>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;
    private IBrowser? browser;
    private readonly SemaphoreSlim gate = new(1, 1);

    public static string ScreenshotDirectory { get; } = Path.Combine(FindRepositoryRoot(), "TestResults", "screenshots");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async Task<IBrowser> GetBrowserAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (browser is not null)
            {
                return browser;
            }

            var path = FindChromium() ?? throw new InvalidOperationException(
                "No Chromium found. Install one (Debian: apt-get install -y chromium) or set CHROMIUM_PATH; ./test.sh does this for you.");
            playwright = await Playwright.CreateAsync();
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                Args = ["--no-demo", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
            });
            return browser;
        }
        finally
        {
            gate.Release();
        }
    }

    public static string? FindChromium()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        string[] candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
        return candidates.FirstOrDefault(File.Exists);
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "UnifyAdmin.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? AppContext.BaseDirectory;
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}
