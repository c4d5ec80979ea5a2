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

    [Theory]
    [InlineData("https://acme.my.salesforce.com")]
    [InlineData("https://acme--dev.sandbox.my.salesforce.com")]
    [InlineData("https://acme.lightning.force.com")]
    [InlineData("https://acme.my.salesforce.mil")]
    [InlineData("https://acme.my.sfcrmproducts.cn")]
    [InlineData("https://ACME.My.Salesforce.com")]
    public void Salesforce_domains_need_no_confirmation(string url)
        => Assert.Empty(Errors(MyDomain(url)));

    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData("https://salesforce.com.evil.example")]
    [InlineData("https://evilsalesforce.com")]
    public void Another_host_is_refused_until_the_admin_trusts_it(string url)
    {
        Assert.Contains(Errors(MyDomain(url)), e => e.Contains("is not a Salesforce address") && e.Contains("I trust this host"));

        var trusted = MyDomain(url);
        trusted.TrustUnknownHost = true;
        Assert.Empty(Errors(trusted));
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
