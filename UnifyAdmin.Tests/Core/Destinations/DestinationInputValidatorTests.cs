using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Tests.Core.Destinations;

public sealed class DestinationInputValidatorTests
{
    private static readonly DestinationInputValidator Validator = new();

    private static DestinationInput Valid() => new()
    {
        Name = "Profiles",
        Region = SegmentRegion.Us,
        Spaces = [new ProfileSpaceInput { SpaceId = "spa_demo", Name = "Demo space", WriteKey = "demo-write-key", AccessToken = "demo-access-token" }],
    };

    private static List<string> Messages(DestinationInput input, string path)
        => Validator.Validate(input).Errors.Where(e => e.PropertyName == path).Select(e => e.ErrorMessage).ToList();

    [Fact]
    public void The_demo_workspace_values_are_valid()
    {
        var result = Validator.Validate(Valid());

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Theory]
    [InlineData("spa_demo")]
    [InlineData("spa_9aQ1xzT3mKpL2vB7nC4dE")]
    [InlineData("spa_1")]
    public void Segment_style_space_ids_pass(string spaceId)
    {
        Assert.True(DestinationInputValidator.IsSpaceId(spaceId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("spa_")]
    [InlineData("demo")]
    [InlineData("SPA_demo")]
    [InlineData("spa-demo")]
    [InlineData("spa_demo space")]
    [InlineData(" spa_demo")]
    [InlineData("spa_démo")]
    [InlineData("spa_demo_2")]
    public void Anything_else_is_not_a_space_id(string spaceId)
    {
        Assert.False(DestinationInputValidator.IsSpaceId(spaceId));
    }

    [Fact]
    public void A_space_id_of_more_than_100_characters_is_refused()
    {
        Assert.True(DestinationInputValidator.IsSpaceId("spa_" + new string('a', 96)));
        Assert.False(DestinationInputValidator.IsSpaceId("spa_" + new string('a', 97)));
    }

    [Fact]
    public void A_write_key_is_required_on_a_new_space_but_may_stay_blank_when_one_is_saved()
    {
        var input = Valid();
        input.Spaces[0].WriteKey = "";

        Assert.Contains("Enter the write key of the space's internal source.", Messages(input, "Spaces[0].WriteKey"));

        input.Spaces[0].HasSavedWriteKey = true;
        Assert.Empty(Messages(input, "Spaces[0].WriteKey"));
    }

    [Theory]
    [InlineData("demo write key", "A write key has no spaces or line breaks: copy it again from Segment.")]
    [InlineData("abc", "A write key is 8 to 200 characters long: copy it again from Segment.")]
    public void A_malformed_write_key_says_what_is_wrong(string writeKey, string expected)
    {
        var input = Valid();
        input.Spaces[0].WriteKey = writeKey;

        Assert.Equal([expected], Messages(input, "Spaces[0].WriteKey"));
    }

    [Fact]
    public void The_access_token_is_optional_but_has_no_whitespace()
    {
        var input = Valid();
        input.Spaces[0].AccessToken = null;
        Assert.True(Validator.Validate(input).IsValid);

        input.Spaces[0].AccessToken = "token with\tspace";
        Assert.Equal(["An access token has no spaces or line breaks: copy it again from Segment."], Messages(input, "Spaces[0].AccessToken"));
    }

    [Fact]
    public void The_second_row_with_the_same_space_id_is_marked_as_a_duplicate()
    {
        var input = Valid();
        input.Spaces.Add(new ProfileSpaceInput { SpaceId = "spa_demo", Name = "Again", WriteKey = "another-write-key" });

        Assert.Empty(Messages(input, "Spaces[0].SpaceId"));
        Assert.Equal(["spa_demo is already in this destination: remove one of the two rows."], Messages(input, "Spaces[1].SpaceId"));
    }

    [Fact]
    public void A_destination_needs_a_name_of_at_most_100_characters_and_one_space()
    {
        var input = Valid();
        input.Name = "  ";
        input.Spaces.Clear();

        Assert.Equal(["Enter a name for the destination."], Messages(input, "Name"));
        Assert.Equal(["Add at least one profile space."], Messages(input, "Spaces"));

        input.Name = new string('n', 101);
        Assert.Equal(["Use at most 100 characters for the name."], Messages(input, "Name"));
    }

    [Theory]
    [InlineData("api.segment.io")]
    [InlineData("ftp://api.segment.io")]
    [InlineData("/demo/segment")]
    [InlineData("https://")]
    public void Endpoint_urls_must_be_absolute_http_or_https(string url)
    {
        var input = Valid();
        input.TrackingApiUrl = url;
        input.ProfileApiUrl = url;

        Assert.Single(Messages(input, "TrackingApiUrl"));
        Assert.Single(Messages(input, "ProfileApiUrl"));
    }

    [Fact]
    public void A_region_outside_us_and_eu_is_refused()
    {
        var input = Valid();
        input.Region = (SegmentRegion)7;

        Assert.Equal(["Choose the workspace's region: US or EU."], Messages(input, "Region"));
    }
}
