using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Core.Sync;
using UnifyAdmin.Tests.Core.Monitoring;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Sources;

/// <summary>Deleting a source: its models, mappings and history go; its destinations stay, unlinked and named beforehand.</summary>
public sealed class SourceDeletionTests(AppHost host) : IClassFixture<AppHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity([new Claim(ClaimTypes.Role, Roles.Admin)], "test"));

    private async Task<T> WithAsync<T>(Func<SourceService, Task<T>> action)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<SourceService>());
    }

    [Fact]
    public async Task The_confirmation_learns_the_models_mappings_and_the_destinations_that_are_kept()
    {
        var flow = await MonitoringSeed.FlowAsync(host.Services, "Impact org");

        var impact = await WithAsync(s => s.DeletionImpactAsync(flow.SourceId, Ct));

        Assert.NotNull(impact);
        Assert.Equal(1, impact.ModelCount);
        Assert.Equal(1, impact.MappingCount);
        Assert.Equal(["Segment Profiles of Impact org"], impact.KeptDestinations);
    }

    [Fact]
    public async Task Deleting_a_source_with_a_mapping_and_history_removes_them_and_keeps_its_destination_unlinked()
    {
        var flow = await MonitoringSeed.FlowAsync(host.Services, "Doomed org");
        var run = await MonitoringSeed.RunAsync(host.Services, flow, SyncRunState.Succeeded, accepted: 3, failed: 1);
        await MonitoringSeed.ErrorsAsync(host.Services, flow, run, [(MonitoringSeed.ContactId(1), "Rejected", null)]);

        var deleted = await WithAsync(s => s.DeleteAsync(Admin, flow.SourceId, Ct));

        Assert.True(deleted.Succeeded, deleted.ErrorText);
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct);
        Assert.False(await db.Sources.AnyAsync(s => s.Id == flow.SourceId, Ct));
        Assert.False(await db.Models.AnyAsync(m => m.Id == flow.ModelId, Ct));
        Assert.False(await db.Mappings.AnyAsync(m => m.Id == flow.MappingId, Ct));
        Assert.False(await db.SyncRuns.AnyAsync(r => r.Id == run, Ct));
        Assert.False(await db.RecordErrors.AnyAsync(e => e.MappingId == flow.MappingId, Ct));
        var destination = await db.Destinations.AsNoTracking().SingleAsync(d => d.Id == flow.DestinationId, Ct);
        Assert.Null(destination.SourceId);
    }

    [Fact]
    public async Task A_taken_name_is_found_before_connecting_whatever_its_case()
    {
        var flow = await MonitoringSeed.FlowAsync(host.Services, "Taken org");

        Assert.Equal("A source named \"taken ORG\" already exists. Choose another name.", await WithAsync(s => s.CheckNewNameAsync(" taken ORG ", Ct)));
        Assert.Null(await WithAsync(s => s.CheckNewNameAsync("Free org " + flow.SourceId.ToString("N")[..6], Ct)));
        Assert.NotNull(await WithAsync(s => s.CheckNewNameAsync("   ", Ct)));
    }
}
