using Bunit;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Monitoring;
using UnifyAdmin.Features.Dashboard;

namespace UnifyAdmin.Tests.Components.Dashboard;

public sealed class FlowCardTests : MudComponentTest
{
    private static FlowSummary Flow(FlowState state, string stateText, DateTimeOffset? nextRun, string? notScheduled) => new(
        Guid.NewGuid(), Guid.NewGuid(), "Acme org", "Contacts", "Contact", MappingAction.Identify, "Acme profiles", "Main space",
        state, stateText, null, null, null, null, null, null, 0, 0, 0, 0, null, false, null, false, null, nextRun, notScheduled);

    [Fact]
    public void An_enabled_flow_shows_when_its_next_run_is_due_in_utc()
    {
        var card = Render<FlowCard>(p => p.Add(c => c.Flow, Flow(FlowState.Healthy, "Healthy.", new DateTimeOffset(2026, 12, 2, 9, 30, 0, TimeSpan.FromHours(1)), null)));

        Assert.Equal("2026-12-02 08:30 UTC", card.Find("[data-testid=flow-next-run]").TextContent.Trim());
    }

    [Fact]
    public void A_disabled_flow_says_it_is_not_scheduled_and_why()
    {
        var card = Render<FlowCard>(p => p.Add(c => c.Flow, Flow(FlowState.Disabled, "Disabled: the destination is switched off.", null, "the destination is switched off")));

        Assert.Equal("Not scheduled: the destination is switched off", card.Find("[data-testid=flow-next-run]").TextContent.Trim());
    }
}
