using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Demo.Salesforce;

public sealed class DemoControlApiTests : IClassFixture<DemoHostFixture>
{
    private readonly DemoHostFixture demo;

    public DemoControlApiTests(DemoHostFixture demo)
    {
        this.demo = demo;
        demo.Org.Reset();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null) =>
        demo.Http.SendAsync(new HttpRequestMessage(method, demo.Url("_control/" + path))
        {
            Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
        }, Ct);

    private async Task<JsonElement> RecordAsync(string token, string soql) =>
        (await demo.QueryAsync(soql, token, Ct, all: true)).GetProperty("records").EnumerateArray().Single();

    [Fact]
    public async Task Inserts_updates_and_deletes_records_over_http()
    {
        var token = (await demo.ClientCredentialsAsync(Ct)).AccessToken;

        using var insert = await SendAsync(HttpMethod.Post, "records/Contact", """{"FirstName":"Grace","LastName":"Demo","Email":"grace@example.com","Birthdate":"1990-12-09"}""");
        var id = (await insert.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        using var update = await SendAsync(HttpMethod.Patch, $"records/Contact/{id}", """{"Title":"Rear Admiral","Lifetime_Value__c":12.5}""");
        var updated = await RecordAsync(token, $"SELECT Id, Name, Full_Name__c, Title, Birthdate, Lifetime_Value__c, IsDeleted FROM Contact WHERE Id = '{id}'");
        using var delete = await SendAsync(HttpMethod.Delete, $"records/Contact/{id}");
        var deleted = await RecordAsync(token, $"SELECT Id, IsDeleted FROM Contact WHERE Id = '{id}'");
        using var purge = await SendAsync(HttpMethod.Delete, $"records/Contact/{id}?hard=true");
        var gone = await demo.QueryAsync($"SELECT Id FROM Contact WHERE Id = '{id}'", token, Ct, all: true);

        Assert.Equal(HttpStatusCode.Created, insert.StatusCode);
        Assert.StartsWith("003", id, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, update.StatusCode);
        Assert.Equal("Grace Demo", updated.GetProperty("Name").GetString());
        Assert.Equal("Grace Demo", updated.GetProperty("Full_Name__c").GetString());
        Assert.Equal("Rear Admiral", updated.GetProperty("Title").GetString());
        Assert.Equal("1990-12-09", updated.GetProperty("Birthdate").GetString());
        Assert.Equal(12.5, updated.GetProperty("Lifetime_Value__c").GetDouble());
        Assert.True(deleted.GetProperty("IsDeleted").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, purge.StatusCode);
        Assert.Equal(0, gone.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Refuses_unknown_fields_with_a_salesforce_style_error()
    {
        using var response = await SendAsync(HttpMethod.Post, "records/Contact", """{"Shoe_Size__c":44}""");
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct))[0];

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_FIELD", error.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Adds_retypes_and_removes_fields_of_a_describe()
    {
        var token = (await demo.ClientCredentialsAsync(Ct)).AccessToken;

        using var add = await SendAsync(HttpMethod.Post, "schema/Contact/fields", """{"name":"Tier__c","type":"picklist","label":"Tier","picklistValues":["Gold","Silver"]}""");
        var added = await demo.QueryAsync("SELECT Id, Tier__c FROM Contact LIMIT 1", token, Ct);
        using var retype = await SendAsync(HttpMethod.Put, "schema/Contact/fields/Tier__c/type", """{"type":"double"}""");
        var describe = await demo.GetJsonAsync("services/data/v64.0/sobjects/Contact/describe", token, Ct);
        using var remove = await SendAsync(HttpMethod.Delete, "schema/Contact/fields/Tier__c");
        using var query = await demo.GetAsync($"services/data/v64.0/query?q={Uri.EscapeDataString("SELECT Id, Tier__c FROM Contact")}", token, Ct);

        Assert.Equal(HttpStatusCode.NoContent, add.StatusCode);
        Assert.Equal(JsonValueKind.Null, added.GetProperty("records")[0].GetProperty("Tier__c").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, retype.StatusCode);
        Assert.Equal("double", describe.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "Tier__c").GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, query.StatusCode);
        Assert.Equal("INVALID_FIELD", (await query.Content.ReadFromJsonAsync<JsonElement>(Ct))[0].GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Controls_tokens_allowance_api_access_and_faults_over_http()
    {
        var token = (await demo.ClientCredentialsAsync(Ct)).AccessToken;

        using (var limit = await SendAsync(HttpMethod.Put, "limits", """{"remaining":0}"""))
        using (var spent = await demo.GetAsync("services/data/v64.0/limits", token, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, limit.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, spent.StatusCode);
        }

        using (await SendAsync(HttpMethod.Put, "limits", """{"remaining":100}"""))
        using (await SendAsync(HttpMethod.Put, "api-enabled", """{"enabled":false}"""))
        using (var disabled = await demo.GetAsync("services/data/v64.0/limits", token, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, disabled.StatusCode);
        }

        using (await SendAsync(HttpMethod.Put, "api-enabled", """{"enabled":true}"""))
        using (await SendAsync(HttpMethod.Post, "faults", """{"statusCode":503,"count":1}"""))
        using (var unavailable = await demo.GetAsync("services/data/v64.0/limits", token, Ct))
        using (var fine = await demo.GetAsync("services/data/v64.0/limits", token, Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
            Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        }

        using (await SendAsync(HttpMethod.Post, "tokens/expire-access"))
        using (var expired = await demo.GetAsync("services/data/v64.0/limits", token, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        }
    }

    [Theory]
    [InlineData("false", "Testing")]
    [InlineData("true", "Production")]
    public async Task Leaves_the_control_api_unmapped_unless_enabled_outside_production(string enabled, string environment)
    {
        await using var host = await LoopbackHost.StartAsync(
            builder =>
            {
                builder.Services.AddSalesforceDemo(builder.Configuration);
                // The loopback host always starts as Testing; the demo reads the environment from DI when it maps.
                builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment
                {
                    EnvironmentName = environment,
                    ApplicationName = builder.Environment.ApplicationName,
                    ContentRootPath = builder.Environment.ContentRootPath,
                    ContentRootFileProvider = builder.Environment.ContentRootFileProvider,
                });
            },
            app => app.MapSalesforceDemo(),
            new Dictionary<string, string?> { ["Demo:Salesforce:ControlApiEnabled"] = enabled });
        using var http = new HttpClient();

        using var control = await http.PostAsync(host.Url("/demo/salesforce/_control/reset"), null, Ct);
        using var versions = await http.GetAsync(host.Url("/demo/salesforce/services/data/"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, control.StatusCode);
        Assert.Equal(HttpStatusCode.OK, versions.StatusCode);
    }
}
