using Bunit;
using UnifyAdmin.Components.Layout;
using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Tests.Components;

public sealed class NavMenuTests : MudComponentTest
{
    private IReadOnlyList<string> LinksFor(string role)
    {
        Auth.SetAuthorized("someone@example.com").SetRoles(role);
        var nav = Render<NavMenu>();
        return nav.FindAll("a").Select(a => a.TextContent.Trim()).ToList();
    }

    [Fact]
    public void An_admin_sees_every_section_including_users()
        => Assert.Equal(["Dashboard", "Sources", "Destinations", "Models", "Mappings", "Sync runs", "Record trace", "Discrepancies", "Alerts", "Audit log", "Users"], LinksFor(Roles.Admin));

    [Fact]
    public void A_viewer_does_not_see_users()
    {
        var links = LinksFor(Roles.Viewer);

        Assert.DoesNotContain("Users", links);
        Assert.Contains("Sync runs", links);
    }
}
