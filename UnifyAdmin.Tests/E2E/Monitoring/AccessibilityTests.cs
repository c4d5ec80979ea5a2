using System.Reflection;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sync;
using UnifyAdmin.Tests.Core.Monitoring;
using UnifyAdmin.Tests.E2E.Pages;
using UnifyAdmin.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UnifyAdmin.Tests.E2E.Monitoring;

/// <summary>Every page of the app, found from its <c>@page</c> routes, checked with axe for serious and critical violations.</summary>
public sealed class AccessibilityTests(AppHost host, BrowserFixture browsers)
    : BrowserTest<AppHost>(host, browsers), IClassFixture<AppHost>
{
    /// <summary>
    /// Violations on pages other features own, reported to their owners and not yet fixed: (route, axe rule).
    /// Anything else, and anything on a monitoring page, fails the test.
    /// </summary>
    private static readonly HashSet<(string Route, string Rule)> KnownElsewhere = [];

    [Fact]
    public async Task No_page_has_serious_or_critical_accessibility_violations()
    {
        var flow = await MonitoringSeed.FlowAsync(Host.Services, "Accessible org");
        var run = await MonitoringSeed.RunAsync(Host.Services, flow, SyncRunState.Partial, 10, 2);
        await MonitoringSeed.ErrorsAsync(Host.Services, flow, run, [(MonitoringSeed.ContactId(1), "Message larger than 32 KB", "{}"), (MonitoringSeed.ContactId(2), "Message larger than 32 KB", null)]);
        var routes = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(r => r.Template)
            .Where(t => t is not "/error" and not "/setup")
            .Distinct().OrderBy(t => t).ToList();
        Assert.Contains("/sync-runs/{Id:guid}", routes);
        await SignInAsAdminAsync();

        var found = new List<string>();
        foreach (var route in routes)
        {
            var path = route
                .Replace("/sources/{Id:guid}", $"/sources/{flow.SourceId}")
                .Replace("/sources/{SourceId:guid}", $"/sources/{flow.SourceId}")
                .Replace("/models/{Id:guid}", $"/models/{flow.ModelId}")
                .Replace("/models/{ModelId:guid}", $"/models/{flow.ModelId}")
                .Replace("/destinations/{DestinationId:guid}/mappings/new", $"/destinations/{flow.DestinationId}/mappings/new?modelId={flow.ModelId}")
                .Replace("/destinations/{DestinationId:guid}/mappings/{MappingId:guid}", $"/destinations/{flow.DestinationId}/mappings/{flow.MappingId}")
                .Replace("/destinations/{Id:guid}", $"/destinations/{flow.DestinationId}")
                .Replace("/sync-runs/{Id:guid}", $"/sync-runs/{run}");
            Assert.DoesNotContain("{", path);
            await Page.GotoAsync(path.TrimStart('/'));
            if (route != "/account/login" && route != "/account/access-denied")
            {
                await Page.WaitForCircuitAsync();
            }

            await Expect(Page.Locator(".mud-progress-linear-indeterminate")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
            if (await Page.GetByTestId("friendly-error").CountAsync() > 0)
            {
                found.Add($"{route}: the page failed to render");
            }
            var result = await Page.RunAxe();
            foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
            {
                if (!KnownElsewhere.Contains((route, violation.Id)))
                {
                    found.Add($"{route}: {violation.Id} ({violation.Impact}) {violation.Help} at {string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Target?.ToString()))}");
                }
            }
        }

        Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
    }
}
