using Bunit;
using UnifyAdmin.Features.Sources;

namespace UnifyAdmin.Tests.Components.Sources;

public sealed class HistoricalRangeTests : MudComponentTest
{
    private readonly SelectiveSyncModel model = new();

    private IRenderedComponent<HistoricalRange> RenderRange() => Render<HistoricalRange>(p => p.Add(x => x.Model, model));

    private static void Choose(IRenderedComponent<HistoricalRange> range, string testId)
    {
        var radio = range.Find($"input[data-testid={testId}]");
        if (radio.HasAttribute("blazor:onclick"))
        {
            radio.Click();
        }
        else
        {
            radio.Change(true);
        }
    }

    [Fact]
    public void Changed_since_a_date_without_a_date_says_to_pick_one_and_is_not_saved_as_all_time()
    {
        var range = RenderRange();
        Assert.DoesNotContain(SelectiveSyncModel.MissingDateMessage, range.Markup);

        Choose(range, "range-since");

        range.WaitForAssertion(() => Assert.Contains(SelectiveSyncModel.MissingDateMessage, range.Markup));
        Assert.Equal(SelectiveSyncModel.MissingDateMessage, model.HistoricalRangeProblem);
    }

    [Fact]
    public void A_typed_date_clears_the_message_and_is_the_range_saved()
    {
        var range = RenderRange();
        Choose(range, "range-since");

        range.Find("input[data-testid=range-date], [data-testid=range-date] input").Change("2024-03-01");

        range.WaitForAssertion(() => Assert.DoesNotContain(SelectiveSyncModel.MissingDateMessage, range.Markup));
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), model.ToInput().HistoricalSince);
    }

    [Fact]
    public void Going_back_to_all_time_saves_all_time_even_after_a_date_was_picked()
    {
        model.AllTime = false;
        model.HistoricalSince = new DateTime(2024, 3, 1);
        var range = RenderRange();

        Choose(range, "range-all-time");

        range.WaitForAssertion(() => Assert.Empty(range.FindAll("[data-testid=range-date]")));
        Assert.Null(model.ToInput().HistoricalSince);
        Assert.Null(model.HistoricalRangeProblem);
    }
}
