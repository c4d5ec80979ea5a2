using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E.Destinations;

/// <summary>The Destinations list on a fresh app: one story for where destinations come from, and what an unlinked one shows.</summary>
public sealed class DestinationsListTests(AppHost host, BrowserFixture browsers)
    : BrowserTest<AppHost>(host, browsers), IClassFixture<AppHost>
{
    [Fact]
    public async Task The_empty_state_offers_add_destination_and_a_destination_without_a_source_reads_not_linked()
    {
        await SignInAsAdminAsync();
        var shell = new ShellPage(Page);
        await shell.GotoAsync("destinations");
        var empty = Page.GetByTestId("empty-state");
        await Expect(empty).ToContainTextAsync("Add one here, or from a source's page");
        await empty.GetByTestId("empty-add-destination").ClickAsync();
        await Expect(Page).ToHaveURLAsync(Host.Url("destinations/new"));

        await using (var db = await Host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            db.Destinations.Add(new Destination { Id = Guid.NewGuid(), Name = "Orphaned profiles", Version = Guid.NewGuid() });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await shell.GotoAsync("destinations");
        await Expect(Page.GetByTestId("destinations-table").Locator("tr", new() { HasText = "Orphaned profiles" })).ToContainTextAsync("Not linked");
    }

    [Fact]
    public async Task At_390_pixels_wide_a_source_page_does_not_scroll_sideways()
    {
        var sourceId = Guid.NewGuid();
        await using (var db = await Host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            db.Sources.Add(new Source { Id = sourceId, Name = "A source with a rather long name", LoginHost = Host.Url("demo/salesforce"), ClientId = "client", Version = Guid.NewGuid() });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await Page.SetViewportSizeAsync(390, 844);
        await SignInAsAdminAsync();
        var shell = new ShellPage(Page);
        foreach (var path in new[] { $"sources/{sourceId}", "sources", "destinations", "users" })
        {
            await shell.GotoAsync(path);
            await Expect(Page.Locator("h1").First).ToBeVisibleAsync();
            var overflow = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"/{path} scrolls {overflow} px sideways at 390 px wide.");
        }

        await shell.GotoAsync($"sources/{sourceId}");
        await Expect(Page.GetByTestId("delete-source")).ToBeInViewportAsync();
        await ScreenshotAsync("source-390px");
    }
}
