using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Tests.Core.Sources;

public sealed class SetupProgressTests
{
    private static readonly Guid Source = Guid.NewGuid();
    private static readonly Guid Destination = Guid.NewGuid();
    private static readonly Guid Model = Guid.NewGuid();
    private static readonly Guid Mapping = Guid.NewGuid();

    private static string States(SetupFacts facts)
        => string.Join(" ", SetupProgress.Steps(facts).Select(s => s.State == SetupStepState.Waiting ? $"w{s.WaitsOn}" : s.State.ToString().ToLowerInvariant()));

    [Fact]
    public void A_fresh_install_has_the_source_next_and_the_rest_waiting_on_what_they_need()
        => Assert.Equal("next w1 w1 w2 w4", States(new SetupFacts(null, null, null, null, false)));

    [Fact]
    public void After_the_source_the_destination_is_next_and_the_model_waits_on_it_in_turn()
        => Assert.Equal("done next w2 w2 w4", States(new SetupFacts(Source, null, null, null, false)));

    [Fact]
    public void After_source_and_destination_Create_Model_is_next_and_links_to_the_sources_models_tab()
    {
        var steps = SetupProgress.Steps(new SetupFacts(Source, Destination, null, null, false));
        Assert.Equal("done done next w3 w4", States(new SetupFacts(Source, Destination, null, null, false)));
        Assert.Equal($"/sources/{Source}?tab=models", steps[2].Link);
    }

    [Fact]
    public void A_model_without_a_destination_makes_the_destination_next_and_the_mapping_wait_on_it()
        => Assert.Equal("done next done w2 w4", States(new SetupFacts(Source, null, Model, null, false)));

    [Fact]
    public void With_a_mapping_the_next_step_is_to_enable_the_flow_on_the_destinations_page()
    {
        var steps = SetupProgress.Steps(new SetupFacts(Source, Destination, Model, Mapping, false));
        Assert.Equal(SetupStepState.Next, steps[4].State);
        Assert.Equal($"/destinations/{Destination}", steps[4].Link);
    }

    [Fact]
    public void An_enabled_flow_finishes_the_setup()
        => Assert.Equal("done done done done done", States(new SetupFacts(Source, Destination, Model, Mapping, true)));
}
