using Bunit;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Features.Sources;

namespace UnifyAdmin.Tests.Components.Sources;

public sealed class SourceFormTests : MudComponentTest
{
    private SourceConnectionInput? submitted;

    private IRenderedComponent<SourceForm> RenderForm(SourceConnectionInput input, SourceForm.DemoCredentials? demo = null, Func<string, Task<string?>>? checkName = null)
        => Render<SourceForm>(p => p
            .Add(f => f.Input, input)
            .Add(f => f.Demo, demo)
            .Add(f => f.CallbackUrl, "http://localhost/sources/oauth/callback")
            .Add(f => f.OnConnect, value => submitted = value)
            .Add(f => f.CheckName, checkName));

    [Fact]
    public void A_taken_name_is_said_next_to_the_name_before_connecting_and_a_new_name_connects()
    {
        var input = new SourceConnectionInput { Name = "Prod", ClientId = "3MVG9abc", ClientSecret = "s3cr3t" };
        var form = RenderForm(input, checkName: name => Task.FromResult(name == "Prod" ? "A source named \"Prod\" already exists. Choose another name." : null));

        form.Find("[data-testid=connect]").Click();

        form.WaitForAssertion(() => Assert.Contains("A source named \"Prod\" already exists. Choose another name.", form.Markup.Replace("&quot;", "\"")));
        Assert.Null(submitted);

        form.Find("input[data-testid=source-name], [data-testid=source-name] input").Input("Prod 2");
        form.Find("[data-testid=connect]").Click();

        form.WaitForAssertion(() => Assert.Equal("Prod 2", submitted?.Name));
        Assert.DoesNotContain("already exists", form.Markup);
    }

    [Fact]
    public void A_my_domain_outside_salesforce_warns_and_connects_only_once_the_admin_trusts_the_host()
    {
        var input = new SourceConnectionInput
        {
            Name = "Prod", LoginKind = SalesforceLoginKind.MyDomain, MyDomainUrl = "https://evil.example.com", ClientId = "abc", ClientSecret = "def",
        };
        var form = RenderForm(input);

        Assert.Contains("It is not one of Salesforce's domains.", form.Find("[data-testid=unknown-host]").TextContent);
        form.Find("[data-testid=connect]").Click();
        form.WaitForAssertion(() => Assert.Contains("evil.example.com is not a Salesforce address", form.Markup));
        Assert.Null(submitted);

        form.Find("input[data-testid=trust-host], [data-testid=trust-host] input").Change(true);
        form.Find("[data-testid=connect]").Click();

        form.WaitForAssertion(() => Assert.NotNull(submitted));
    }

    [Fact]
    public void A_salesforce_my_domain_connects_without_a_warning()
    {
        var form = RenderForm(new SourceConnectionInput
        {
            Name = "Prod", LoginKind = SalesforceLoginKind.MyDomain, MyDomainUrl = "https://acme.my.salesforce.com", ClientId = "abc", ClientSecret = "def",
        });

        Assert.Empty(form.FindAll("[data-testid=unknown-host]"));
        form.Find("[data-testid=connect]").Click();
        form.WaitForAssertion(() => Assert.NotNull(submitted));
    }

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
