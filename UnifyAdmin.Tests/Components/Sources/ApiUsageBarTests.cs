using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Features.Sources;

namespace UnifyAdmin.Tests.Components.Sources;

public sealed class ApiUsageBarTests : MudComponentTest
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 3, 5, 12, 0, 0, TimeSpan.Zero));

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(clock);
        // Without a SourceId the bar shows what it is given and never reads the database.
        services.AddSingleton<IDbContextFactory<AppDbContext>, NoDatabase>();
    }

    [Fact]
    public void The_figure_says_how_old_it_is_and_names_the_progress_bar()
    {
        var bar = Render<ApiUsageBar>(p => p
            .Add(b => b.Used, 43)
            .Add(b => b.Allowed, 15_000)
            .Add(b => b.At, clock.GetUtcNow().AddMinutes(-7)));

        Assert.Contains("43 / 15,000 API calls (24 h) · 7 min ago", bar.Markup);
        Assert.Equal("43 / 15,000 API calls (24 h)", bar.Find("[role=progressbar]").GetAttribute("aria-label"));
    }

    [Fact]
    public void Without_a_reading_it_says_so()
    {
        var bar = Render<ApiUsageBar>();

        Assert.Contains("API usage not reported yet", bar.Markup);
    }

    private sealed class NoDatabase : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => throw new InvalidOperationException("The bar read the database without a SourceId.");
    }
}
