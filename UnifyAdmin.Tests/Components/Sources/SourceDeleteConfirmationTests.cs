using UnifyAdmin.Core.Sources;
using UnifyAdmin.Features.Sources;

namespace UnifyAdmin.Tests.Components.Sources;

/// <summary>The text of the source page's delete confirmation: what goes, and which destinations stay.</summary>
public sealed class SourceDeleteConfirmationTests
{
    [Fact]
    public void Names_the_models_and_mappings_removed_and_the_destination_kept()
    {
        var text = SourceDetailsPage.DeleteConfirmation("Acme org", new SourceDeletionImpact(2, 1, ["Acme profiles"]));

        Assert.Contains("\"Acme org\", its Selective Sync, 2 models with 1 mapping, and its sync history will be removed", text);
        Assert.Contains("Destination \"Acme profiles\" is kept, no longer linked to a source", text);
    }

    [Fact]
    public void Lists_every_kept_destination_and_says_nothing_of_models_when_there_are_none()
    {
        var text = SourceDetailsPage.DeleteConfirmation("Acme org", new SourceDeletionImpact(0, 0, ["EU profiles", "US profiles"]));

        Assert.DoesNotContain("model", text);
        Assert.Contains("Destinations \"EU profiles\", \"US profiles\" are kept", text);
    }

    [Fact]
    public void Says_no_destination_is_kept_when_none_is_linked()
        => Assert.DoesNotContain("kept", SourceDetailsPage.DeleteConfirmation("Acme org", new SourceDeletionImpact(1, 0, [])));
}
