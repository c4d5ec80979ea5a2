using System.Net;
using System.Net.Http.Json;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Demo.Salesforce;

public sealed class DemoStateFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sf-demo-state-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private Task<LoopbackHost> StartAsync() => LoopbackHost.StartAsync(
        builder => builder.Services.AddSalesforceDemo(builder.Configuration),
        app => app.MapSalesforceDemo(),
        new Dictionary<string, string?> { ["Demo:Salesforce:StatePath"] = Path.Combine(directory, "org.json") });

    private static async Task<TokenResponse> ClientCredentialsAsync(HttpClient http, LoopbackHost host)
    {
        using var response = await http.PostAsync(host.Url("/demo/salesforce/services/oauth2/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "demo-client-id",
            ["client_secret"] = "demo-client-secret",
        }), Ct);
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
    }

    [Fact]
    public async Task Keeps_changed_records_schema_and_token_state_across_a_restart()
    {
        string inserted;
        string updated;
        string deleted;
        string oldToken;
        string firstCreatedDate;
        using var http = new HttpClient();
        await using (var first = await StartAsync())
        {
            var org = first.Services.GetRequiredService<SalesforceDemoOrg>();
            inserted = org.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "Persistent", ["Birthdate"] = new DateOnly(1985, 5, 17) });
            updated = org.RecordId("Contact", 42);
            org.Update("Contact", updated, new Dictionary<string, object?> { ["Email"] = "kept@example.com" });
            deleted = org.RecordId("Contact", 43);
            org.SoftDelete("Contact", deleted);
            org.AddField("Contact", new DemoFieldDefinition("Favourite_Colour__c", "string"));
            oldToken = (await ClientCredentialsAsync(http, first)).AccessToken;
            org.ExpireAccessTokens();
            firstCreatedDate = await CreatedDateAsync(http, first, (await ClientCredentialsAsync(http, first)).AccessToken);
        }

        await using var second = await StartAsync();
        var token = (await ClientCredentialsAsync(http, second)).AccessToken;
        var soql = $"SELECT Id, LastName, Email, Birthdate, IsDeleted, Favourite_Colour__c FROM Contact WHERE Id IN ('{inserted}', '{updated}', '{deleted}') ORDER BY Id";
        using var request = new HttpRequestMessage(HttpMethod.Get, second.Url($"/demo/salesforce/services/data/v64.0/queryAll?q={Uri.EscapeDataString(soql)}"));
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request, Ct);
        var records = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("records").EnumerateArray().ToList();
        using var stale = new HttpRequestMessage(HttpMethod.Get, second.Url("/demo/salesforce/services/data/v64.0/limits"));
        stale.Headers.Authorization = new("Bearer", oldToken);
        using var staleResponse = await http.SendAsync(stale, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, records.Count);
        Assert.Equal("kept@example.com", records[0].GetProperty("Email").GetString());
        Assert.True(records[1].GetProperty("IsDeleted").GetBoolean());
        Assert.Equal("Persistent", records[2].GetProperty("LastName").GetString());
        Assert.Equal("1985-05-17", records[2].GetProperty("Birthdate").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, staleResponse.StatusCode);
        Assert.Equal(firstCreatedDate, await CreatedDateAsync(http, second, token));
    }

    /// <summary>Generated timestamps hang off an anchor saved with the state, so they do not move on restart.</summary>
    private static async Task<string> CreatedDateAsync(HttpClient http, LoopbackHost host, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, host.Url("/demo/salesforce/services/data/v64.0/query?q=" + Uri.EscapeDataString("SELECT CreatedDate FROM Account ORDER BY Id LIMIT 1")));
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request, Ct);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("records")[0].GetProperty("CreatedDate").GetString()!;
    }
}
