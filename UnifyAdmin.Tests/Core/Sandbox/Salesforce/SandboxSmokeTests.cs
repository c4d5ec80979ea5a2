namespace UnifyAdmin.Tests.Core.Sandbox.Salesforce;

public sealed class SandboxSmokeTests(SandboxHostFixture sandbox) : IClassFixture<SandboxHostFixture>
{
    [Fact]
    public async Task Serves_a_query_page_with_a_client_credentials_token()
    {
        var ct = TestContext.Current.CancellationToken;
        var token = await sandbox.ClientCredentialsAsync(ct);

        var page = await sandbox.QueryAsync("SELECT Id, Name, Email, Account.Name, MailingAddress, CreatedDate, Birthdate FROM Contact LIMIT 3", token.AccessToken, ct);

        Assert.Equal(3, page.GetProperty("totalSize").GetInt32());
    }
}
