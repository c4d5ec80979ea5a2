using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Tests.Core.Sources;

public sealed class SourceConnectionInputValidatorTests
{
    private static IReadOnlyList<string> Errors(SourceConnectionInput input)
        => new SourceConnectionInputValidator().Validate(input).Errors.Select(e => e.ErrorMessage).ToList();

    private static SourceConnectionInput MyDomain(string url) => new()
    {
        Name = "Org", LoginKind = SalesforceLoginKind.MyDomain, MyDomainUrl = url, ClientId = "3MVG9abc", ClientSecret = "secret",
    };

    [Theory]
    [InlineData("https://acme.my.salesforce.com")]
    [InlineData("http://localhost:5177")]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://[::1]:8080")]
    public void Accepts_https_and_http_only_on_a_loopback_host(string url)
    {
        Assert.Empty(Errors(MyDomain(url)));
        Assert.Equal(new Uri(url), SalesforceHosts.ValidateMyDomain(url));
    }

    [Theory]
    [InlineData("http://acme.my.salesforce.com")]
    [InlineData("http://localhost.example.com")]
    [InlineData("http://127.0.0.1.example.com")]
    public void Refuses_http_to_any_other_host(string url)
    {
        Assert.Contains("Enter a full https URL, like https://acme.my.salesforce.com.", Errors(MyDomain(url)));
        var error = Assert.Throws<SalesforceHostException>(() => SalesforceHosts.ValidateMyDomain(url));
        Assert.Contains("must use https", error.Message);
    }

    [Fact]
    public void The_app_hosted_org_needs_no_secret_from_the_browser()
    {
        var input = new SourceConnectionInput { Name = "Demo", LoginKind = SalesforceLoginKind.AppHosted, ClientId = "demo-client-id" };

        Assert.Empty(Errors(input));
        input.LoginKind = SalesforceLoginKind.Production;
        Assert.Contains("Enter the consumer secret (client secret).", Errors(input));
    }
}
