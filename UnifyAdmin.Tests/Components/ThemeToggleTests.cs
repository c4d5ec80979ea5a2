using Bunit;
using UnifyAdmin.Components.Layout;

namespace UnifyAdmin.Tests.Components;

public sealed class ThemeToggleTests : MudComponentTest
{
    [Theory]
    [InlineData(false, true, "Switch to dark mode")]
    [InlineData(true, false, "Switch to light mode")]
    public void Clicking_asks_for_the_other_mode(bool current, bool expected, string label)
    {
        bool? requested = null;
        var toggle = Render<ThemeToggle>(p => p
            .Add(t => t.DarkMode, current)
            .Add(t => t.DarkModeChanged, value => requested = value));

        var button = toggle.Find("[data-testid=theme-toggle]");
        Assert.Equal(label, button.GetAttribute("aria-label"));
        button.Click();

        Assert.Equal(expected, requested);
    }
}
