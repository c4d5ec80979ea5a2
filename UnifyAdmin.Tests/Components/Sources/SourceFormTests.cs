using Bunit;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Features.Sources;

namespace UnifyAdmin.Tests.Components.Sources;

public sealed class SourceFormTests : MudComponentTest
{
    private SourceConnectionInput? submitted;

    private IRenderedComponent<SourceForm> RenderForm(SourceConnectionInput input, SourceForm.DemoCredentials? demo = null)
        => Render<SourceForm>(p => p
            .Add(f => f.Input, input)
            .Add(f => f.Demo, demo)
            .Add(f => f.CallbackUrl, "http://localhost/sources/oauth/callback")
            .Add(f => f.OnConnect, value => submitted = value));

    [Fact]
    public void Connecting_with_an_empty_form_says_what_to_fill_in_and_does_not_connect()
    {
        var form = RenderForm(new SourceConnectionInput());

        form.Find("[data-testid=connect]").Click();

        form.WaitForAssertion(() =>
        {
            Assert.Contains("Name the source", form.Markup);
            Assert.Contains("Enter the consumer key (client id)", form.Markup);
            Assert.Contains("Enter the consumer secret (client secret).", form.Markup);
        });
        Assert.Null(submitted);
    }

    [Fact]
    public void A_malformed_my_domain_url_is_refused()
    {
        var form = RenderForm(new SourceConnectionInput
        {
            Name = "Prod", LoginKind = SalesforceLoginKind.MyDomain, MyDomainUrl = "acme.my.salesforce", ClientId = "abc", ClientSecret = "def",
        });

        form.Find("[data-testid=connect]").Click();

        form.WaitForAssertion(() => Assert.Contains("Enter a full https URL, like https://acme.my.salesforce.com.", form.Markup));
        Assert.Null(submitted);
    }

    [Fact]
    public void A_complete_form_connects_and_shows_the_callback_url_to_register()
    {
        var form = RenderForm(new SourceConnectionInput { Name = "Prod", ClientId = "3MVG9abc", ClientSecret = "s3cr3t" });

        Assert.Contains("http://localhost/sources/oauth/callback", form.Markup);
        form.Find("[data-testid=connect]").Click();

        form.WaitForAssertion(() => Assert.NotNull(submitted));
        Assert.Equal("Prod", submitted!.Name);
    }

    [Fact]
    public void Choosing_the_demo_org_fills_its_client_id_and_connects_without_a_secret_in_the_page()
    {
        var input = new SourceConnectionInput { Name = "Demo", ClientSecret = "typed-before" };
        var form = RenderForm(input, new SourceForm.DemoCredentials("demo-client-id"));

        form.Find("[data-testid=login-kind] .mud-input-control-input-container, [data-testid=login-kind]").MouseDown();
        Popovers.WaitForAssertion(() => Assert.Contains("Demo org (served by this app)", Popovers.Markup));
        Popovers.FindAll(".mud-list-item").First(e => e.TextContent.Contains("Demo org (served by this app)")).Click();
        form.WaitForAssertion(() => Assert.Equal(SalesforceLoginKind.AppHosted, input.LoginKind));
        form.Find("[data-testid=connect]").Click();

        form.WaitForAssertion(() => Assert.NotNull(submitted));
        Assert.Equal("demo-client-id", submitted!.ClientId);
        Assert.Equal("", submitted.ClientSecret);
        Assert.Contains("the server supplies the demo org's secret", form.Markup);
    }
}
