using Microsoft.Playwright;

namespace UnifyAdmin.Tests.E2E.Pages;

/// <summary>Helpers every page object shares.</summary>
public static class BlazorPage
{
    /// <summary>Waits until the Blazor circuit is connected, so clicks reach the server.</summary>
    public static async Task WaitForCircuitAsync(this IPage page)
    {
        await page.WaitForFunctionAsync(
            "() => !!window.Blazor && document.documentElement.getAttribute('data-circuit') === 'up' && !document.querySelector('#components-reconnect-modal[open]')");
    }
}
