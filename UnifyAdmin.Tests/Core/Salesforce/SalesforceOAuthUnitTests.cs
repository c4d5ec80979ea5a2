using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Tests.Core.Salesforce;

public sealed class SalesforceOAuthUnitTests
{
    [Fact]
    public void Pkce_challenge_is_the_S256_of_the_verifier()
    {
        // RFC 7636 appendix B.
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        var verifier = Pkce.CreateVerifier();
        Assert.Equal(43, verifier.Length);
        Assert.NotEqual(verifier, Pkce.CreateVerifier());
    }

    [Fact]
    public void Authorize_url_asks_for_a_code_with_PKCE_and_the_callers_state()
    {
        var authorization = SalesforceOAuthClient.BuildAuthorizeUrl(
            new Uri("https://acme.my.salesforce.com"), "client id", new Uri("https://admin.example.com/oauth/callback"), "state+1/2");

        var url = authorization.Url.AbsoluteUri;
        Assert.StartsWith("https://acme.my.salesforce.com/services/oauth2/authorize?response_type=code&client_id=client%20id&", url, StringComparison.Ordinal);
        Assert.Contains("&redirect_uri=https%3A%2F%2Fadmin.example.com%2Foauth%2Fcallback&", url, StringComparison.Ordinal);
        Assert.Contains("&scope=api%20refresh_token&state=state%2B1%2F2&", url, StringComparison.Ordinal);
        Assert.Contains("&code_challenge=" + Pkce.Challenge(authorization.CodeVerifier) + "&code_challenge_method=S256", url, StringComparison.Ordinal);
        Assert.DoesNotContain(authorization.CodeVerifier, authorization.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Jwt_assertion_is_RS256_signed_with_the_expected_claims()
    {
        using var rsa = RSA.Create(2048);
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

        var jwt = SalesforceOAuthClient.CreateJwtAssertion(new Uri("https://login.salesforce.com/"), "cid", "admin@acme.com", rsa.ExportPkcs8PrivateKeyPem(), now);

        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        using var header = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        using var claims = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        Assert.Equal("cid", claims.RootElement.GetProperty("iss").GetString());
        Assert.Equal("admin@acme.com", claims.RootElement.GetProperty("sub").GetString());
        Assert.Equal("https://login.salesforce.com", claims.RootElement.GetProperty("aud").GetString());
        Assert.Equal(now.AddMinutes(3).ToUnixTimeSeconds(), claims.RootElement.GetProperty("exp").GetInt64());
    }

    [Fact]
    public void Jwt_assertion_refuses_a_bad_key_without_echoing_it()
    {
        const string pem = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----";

        var error = Assert.Throws<ArgumentException>(() => SalesforceOAuthClient.CreateJwtAssertion(SalesforceHosts.Production, "cid", "u", pem, DateTimeOffset.UtcNow));

        Assert.DoesNotContain("c2VjcmV0", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("login.salesforce.com")]
    [InlineData("ftp://login.salesforce.com")]
    [InlineData("https://login.salesforce.com/?x=1")]
    [InlineData("")]
    [InlineData("not a url")]
    public void Refuses_a_malformed_login_host_with_a_typed_error(string host)
    {
        Assert.Throws<SalesforceHostException>(() => SalesforceHosts.Validate(host));
    }

    [Theory]
    [InlineData("https://login.salesforce.com")]
    [InlineData("https://test.salesforce.com/")]
    [InlineData("https://acme.my.salesforce.com")]
    [InlineData("http://127.0.0.1:5000/demo/salesforce")]
    public void Accepts_production_demo_my_domain_and_demo_hosts(string host)
    {
        var uri = SalesforceHosts.Validate(host);

        Assert.Equal(host.TrimEnd('/') + "/services/oauth2/token", SalesforceHosts.Combine(uri, "services/oauth2/token").AbsoluteUri);
    }

    [Fact]
    public void Connection_and_token_text_never_show_secrets()
    {
        var connection = new SalesforceConnection(Guid.NewGuid(), SalesforceHosts.Production, new Uri("https://x.my.salesforce.com"), "cid", "the-secret", "the-access", "the-refresh", JwtPrivateKeyPem: "the-key");
        var token = new SalesforceToken("the-access", "the-refresh", new Uri("https://x.my.salesforce.com"), null, "Bearer", null, "sig", "api");

        foreach (var text in new[] { connection.ToString(), token.ToString() })
        {
            Assert.DoesNotContain("the-", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Options_validator_names_the_bad_key()
    {
        var result = new SalesforceOptionsValidator().Validate(null, new SalesforceOptions { ApiVersion = "v64", QueryBatchSize = 50 });

        Assert.True(result.Failed);
        Assert.Contains("Salesforce:ApiVersion", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Salesforce:QueryBatchSize", result.FailureMessage, StringComparison.Ordinal);
    }
}
