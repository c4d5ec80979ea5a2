using System.Reflection;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Sync;
using UnifyAdmin.Tests.Core.Mappings;
using UnifyAdmin.Tests.Core.Monitoring;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E.Monitoring;

/// <summary>
/// Every page of the app, with real data behind it, checked in the light and the dark theme: no critical, serious
/// or moderate axe violation, and on a 390 px wide phone no sideways scrolling and no button cut off.
/// </summary>
public sealed class AccessibilityTests(MappingAppHost host, BrowserFixture browsers)
    : BrowserTest<MappingAppHost>(host, browsers), IClassFixture<MappingAppHost>
{
    private const int PhoneWidth = 390;

    private static readonly string[] Impacts = ["critical", "serious", "moderate"];

    /// <summary>
    /// Routes the sweep cannot show, because once an Admin exists they lead elsewhere, and the test that checks them.
    /// </summary>
    private static readonly Dictionary<string, string> CheckedOnAFreshInstall = new()
    {
        ["/setup"] = nameof(The_first_run_setup_page_and_an_empty_install_pass_axe_and_fit_a_phone),
    };

    /// <summary>One stop of the sweep: the route it covers and the address that shows it filled with data.</summary>
    private sealed record Stop(string Route, string Path, bool Interactive = true);

    private sealed record Seed(Guid SourceId, Guid ModelId, Guid DestinationId, Guid MappingId, Guid RunId, string RecordId, string ModelName = "");

    private static IReadOnlyList<Stop> Stops(Seed s) =>
    [
        new("/", "/"),
        new("/sources", "/sources"),
        new("/sources/new", "/sources/new"),
        new("/sources/{Id:guid}", $"/sources/{s.SourceId}"),
        new("/sources/{Id:guid}", $"/sources/{s.SourceId}?tab=models"),
        new("/sources/{Id:guid}", $"/sources/{s.SourceId}?tab=settings"),
        new("/sources/{SourceId:guid}/models/new", $"/sources/{s.SourceId}/models/new"),
        new("/destinations", "/destinations"),
        new("/destinations/new", "/destinations/new"),
        new("/destinations/{Id:guid}", $"/destinations/{s.DestinationId}"),
        new("/destinations/{Id:guid}", $"/destinations/{s.DestinationId}?tab=settings"),
        new("/destinations/{DestinationId:guid}/mappings/new", $"/destinations/{s.DestinationId}/mappings/new"),
        new("/destinations/{DestinationId:guid}/mappings/new", $"/destinations/{s.DestinationId}/mappings/new?modelId={s.ModelId}"),
        new("/destinations/{DestinationId:guid}/mappings/{MappingId:guid}", $"/destinations/{s.DestinationId}/mappings/{s.MappingId}"),
        new("/models", "/models"),
        new("/models/{Id:guid}", $"/models/{s.ModelId}"),
        new("/models/{Id:guid}/edit", $"/models/{s.ModelId}/edit"),
        new("/models/{ModelId:guid}/add-mapping", $"/models/{s.ModelId}/add-mapping"),
        new("/mappings", "/mappings"),
        new("/sync-runs", "/sync-runs"),
        new("/sync-runs/{Id:guid}", $"/sync-runs/{s.RunId}"),
        new("/monitoring/records", $"/monitoring/records?id={s.RecordId}"),
        new("/monitoring/discrepancies", "/monitoring/discrepancies"),
        new("/monitoring/alerts", "/monitoring/alerts"),
        new("/monitoring/audit", "/monitoring/audit"),
        new("/monitoring/notifications", "/monitoring/notifications"),
        new("/users", "/users"),
        new("/account/access-denied", "/account/access-denied"),
        new("/not-found", "/no-such-page"),
        new("/account/login", "/account/login", Interactive: false),
        new("/error", "/error", Interactive: false),
    ];

    [Fact]
    public void The_sweep_visits_every_page_of_the_app()
    {
        var routes = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(r => r.Template)
            .Except(CheckedOnAFreshInstall.Keys)
            .ToHashSet();
        var visited = Stops(new Seed(Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, "")).Select(s => s.Route).ToHashSet();

        Assert.True(routes.SetEquals(visited),
            $"Pages not in the sweep: {string.Join(", ", routes.Except(visited))}. Stops for pages that no longer exist: {string.Join(", ", visited.Except(routes))}.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_page_passes_axe_and_fits_a_phone(bool dark)
    {
        var seed = await SeedAsync(dark ? "Dark org" : "Light org");
        await SignInAsAdminAsync();
        await UseThemeAsync(dark);

        var found = new List<string>();
        foreach (var stop in Stops(seed))
        {
            await Page.SetViewportSizeAsync(1280, 860);
            await OpenAsync(stop);
            if (await Page.GetByTestId("friendly-error").CountAsync() > 0)
            {
                found.Add($"{stop.Path}: the page failed to render");
            }

            if (stop.Interactive)
            {
                // The theme the user chose follows them from page to page.
                await Expect(new ShellPage(Page).ThemeToggle).ToHaveAttributeAsync("aria-label", dark ? "Switch to light mode" : "Switch to dark mode");
            }

            found.AddRange(await ProblemsAsync(stop.Path));
        }

        // The schema notice of the seed shows on its model page and, summed up, on the dashboard.
        await Page.SetViewportSizeAsync(1280, 860);
        await OpenAsync(new Stop("/models/{Id:guid}", $"/models/{seed.ModelId}"));
        await Expect(Page.GetByTestId("schema-notice")).ToContainTextAsync("`Loyalty_Tier__c` was added to Contact");
        await ScreenshotAsync(dark ? "schema-notices-dark" : "schema-notices-light");
        await OpenAsync(Stops(seed)[0]);
        await Expect(Page.GetByTestId("dashboard-schema-notices").Filter(new() { HasText = seed.ModelName })).ToContainTextAsync("a schema change in Salesforce to review");
        await Page.SetViewportSizeAsync(PhoneWidth, 844);
        await ScreenshotAsync(dark ? "accessibility-dashboard-phone-dark" : "accessibility-dashboard-phone-light");
        Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
    }

    [Fact]
    public async Task The_first_run_setup_page_and_an_empty_install_pass_axe_and_fit_a_phone()
    {
        await using var fresh = new AppHost();
        await fresh.InitializeAsync();

        await Page.GotoAsync(fresh.Url("setup"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to UnifyAdmin" })).ToBeVisibleAsync();

        var found = await ProblemsAsync("/setup");

        // The same install right after setup: every list in its empty state, and pages of things that do not exist.
        await Page.SetViewportSizeAsync(1280, 860);
        var setup = new SetupPage(Page);
        await setup.FillAsync(AppHost.AdminEmail, AppHost.AdminPassword, AppHost.AdminPassword);
        await setup.SubmitAsync();
        await Expect(Page).ToHaveURLAsync(fresh.Url(""));
        var gone = Guid.NewGuid();
        string[] empty =
        [
            "/", "/sources", "/destinations", "/models", "/mappings", "/sync-runs", "/monitoring/discrepancies",
            "/monitoring/alerts", "/monitoring/audit", "/monitoring/notifications", "/monitoring/records",
            $"/models/{gone}", $"/models/{gone}/edit", $"/models/{gone}/add-mapping", $"/sync-runs/{gone}",
            $"/sources/{gone}/models/new", $"/destinations/{gone}/mappings/{Guid.NewGuid()}",
        ];
        foreach (var path in empty)
        {
            await Page.SetViewportSizeAsync(1280, 860);
            await Page.GotoAsync(fresh.Url(path));
            await Page.WaitForCircuitAsync();
            await Expect(Page.Locator(".mud-progress-linear-indeterminate")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
            try
            {
                await Expect(Page.Locator("h1")).ToHaveCountAsync(1);
            }
            catch (PlaywrightException)
            {
                found.Add($"{path} (empty install): {await Page.Locator("h1").CountAsync()} h1 headings, not one: {string.Join(" | ", await Page.Locator("h1").AllInnerTextsAsync())}");
            }

            found.AddRange(await ProblemsAsync(path + " (empty install)"));
        }

        Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
    }

    /// <summary>What axe finds on the page as it is now (desktop width), then what a phone user would run into.</summary>
    private async Task<List<string>> ProblemsAsync(string path)
    {
        var result = await Page.RunAxe();
        var found = result.Violations
            .Where(v => Impacts.Contains(v.Impact))
            .Select(v => $"{path}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}")
            .ToList();

        await Page.SetViewportSizeAsync(PhoneWidth, 844);
        found.AddRange((await PhoneProblemsAsync()).Select(p => $"{path} at {PhoneWidth} px: {p}"));
        return found;
    }

    private async Task OpenAsync(Stop stop)
    {
        await Page.GotoAsync(stop.Path.TrimStart('/'));
        if (stop.Interactive)
        {
            await Page.WaitForCircuitAsync();
        }

        await Expect(Page.Locator(".mud-progress-linear-indeterminate")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
    }

    /// <summary>
    /// Sideways scrolling and buttons a phone user cannot fully see. A button inside a scrolling container
    /// (a wide table) can be scrolled to, so it counts as reachable. The layout settles after the resize, so
    /// the check waits a few seconds for it to pass before reporting.
    /// </summary>
    private async Task<IReadOnlyList<string>> PhoneProblemsAsync()
    {
        const string Script = """
            () => {
              const problems = [];
              const root = document.documentElement;
              if (root.scrollWidth > root.clientWidth) {
                // Name the innermost elements that stick out, so the failure says what to fix.
                const wide = [...document.body.querySelectorAll('*')]
                  .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
                  .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > root.clientWidth + 1))
                  .slice(0, 3)
                  .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
                problems.push(`scrolls sideways (${root.scrollWidth} px wide in ${root.clientWidth} px) at ${wide.join(', ')}`);
              }
              const buttons = document.querySelectorAll('button, a.mud-button-root, [role=button], input[type=submit]');
              for (const button of buttons) {
                if (button.closest('.mud-drawer:not(.mud-drawer--open), [aria-hidden=true]')) continue;
                const box = button.getBoundingClientRect();
                if (box.width === 0 || box.height === 0 || getComputedStyle(button).visibility === 'hidden') continue;
                let left = 0, right = root.clientWidth, scrolls = false;
                for (let el = button.parentElement; el && el !== document.body; el = el.parentElement) {
                  const overflow = getComputedStyle(el).overflowX;
                  if (overflow === 'auto' || overflow === 'scroll') { scrolls = true; break; }
                  if (overflow === 'hidden' || overflow === 'clip') {
                    const clip = el.getBoundingClientRect();
                    left = Math.max(left, clip.left);
                    right = Math.min(right, clip.right);
                  }
                }
                if (!scrolls && (box.left < left - 1 || box.right > right + 1)) {
                  const name = (button.getAttribute('aria-label') || button.textContent || button.outerHTML.slice(0, 60)).trim();
                  problems.push(`button "${name}" is cut off`);
                }
              }
              return problems;
            }
            """;
        try
        {
            await Page.WaitForFunctionAsync($"() => ({Script})().length === 0", null, new() { Timeout = 3_000 });
            return [];
        }
        catch (TimeoutException)
        {
            return await Page.EvaluateAsync<string[]>(Script);
        }
    }

    /// <summary>Switches the theme with the app bar toggle, as a user would, and waits until it is saved.</summary>
    private async Task UseThemeAsync(bool dark)
    {
        var toggle = new ShellPage(Page).ThemeToggle;
        var wanted = dark ? "Switch to light mode" : "Switch to dark mode";
        if (await toggle.GetAttributeAsync("aria-label") != wanted)
        {
            await toggle.ClickAsync();
            await Expect(toggle).ToHaveAttributeAsync("aria-label", wanted);
        }

        // What the user sees: the page itself turns dark (or light), not just the toggle's icon.
        await Page.WaitForFunctionAsync(
            "dark => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return (r + g + b) / 3 < 128 === dark; }",
            dark);

        await using var scope = Host.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(AppHost.AdminEmail);
        var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        await Eventually.TrueAsync(async () => (await users.GetThemeAsync(admin!.Id, CancellationToken.None) ?? false) == dark, "the theme choice is saved");
    }

    /// <summary>A source on the demo org, a model, a destination on the demo workspace, a mapping, and a partly failed run.</summary>
    private async Task<Seed> SeedAsync(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var sourceId = await Host.CreateSourceAsync(name, ct);
        var modelId = await Host.CreateModelAsync(sourceId, $"{name} contacts", ct);
        await using var scope = Host.Services.CreateAsyncScope();
        var destinations = scope.ServiceProvider.GetRequiredService<DestinationService>();
        var created = await destinations.CreateAsync(MappingAppHost.Admin, new DestinationInput
        {
            Name = $"{name} profiles",
            SourceId = sourceId,
            TrackingApiUrl = Host.Url("demo/segment"),
            ProfileApiUrl = Host.Url("demo/segment-profiles"),
            Spaces = [new ProfileSpaceInput { SpaceId = "spa_demo", Name = "Demo space", WriteKey = "demo-write-key", AccessToken = "demo-access-token" }],
        }, ct);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors));
        var destination = (await destinations.GetAsync(created.Value, ct))!;
        var mapping = await scope.ServiceProvider.GetRequiredService<MappingService>().SaveAsync(MappingAppHost.Admin, new MappingInput
        {
            ModelId = modelId,
            DestinationId = destination.Id,
            ProfileSpaceId = destination.Spaces[0].Id,
            UserIdField = "External_Key__c",
            Traits = [new TraitRowInput { Trait = "email", Field = "Email" }, new TraitRowInput { Trait = "firstName", Field = "FirstName" }],
        }, ct);
        Assert.True(mapping.Succeeded, string.Join("; ", mapping.Errors));

        var flow = new MonitoringSeed.SeededFlow(sourceId, modelId, destination.Id, destination.Spaces[0].Id, mapping.Value.Id, name);
        var run = await MonitoringSeed.RunAsync(Host.Services, flow, SyncRunState.Partial, 10, 2);
        var recordId = MonitoringSeed.ContactId(1);
        await MonitoringSeed.ErrorsAsync(Host.Services, flow, run, [(recordId, "Message larger than 32 KB", "{}"), (MonitoringSeed.ContactId(2), "Message larger than 32 KB", null)]);
        // A schema change the sync noticed, so the model page and the dashboard show their notices too.
        await using (var db = await Host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct))
        {
            db.SchemaNotices.Add(new SchemaNotice { SourceId = sourceId, ModelId = modelId, Collection = "Contact", Message = $"Model \"{name}\": field `Loyalty_Tier__c` was added to Contact.", At = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(ct);
        }

        return new Seed(sourceId, modelId, destination.Id, mapping.Value.Id, run, recordId, $"{name} contacts");
    }
}
