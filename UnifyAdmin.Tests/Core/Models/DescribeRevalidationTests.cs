using System.Net;
using System.Net.Http.Headers;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Tests.Core.Models;

/// <summary>The demo org's describe honours If-Modified-Since on the wire, as Salesforce does.</summary>
public sealed class DescribeRevalidationTests(ModelsAppHost host) : IClassFixture<ModelsAppHost>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Describe_answers_304_with_no_body_until_the_object_changes_then_200_with_a_later_date()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<SalesforceOAuthClient>()
            .ClientCredentialsAsync(host.DemoLoginHost, "demo-client-id", "demo-client-secret", Cancel);
        using var http = new HttpClient();
        async Task<HttpResponseMessage> DescribeAsync(DateTimeOffset? since)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(token.InstanceUrl.ToString().TrimEnd('/') + "/services/data/v64.0/sobjects/Lead/describe/"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
            request.Headers.IfModifiedSince = since;
            return await http.SendAsync(request, Cancel);
        }

        using var first = await DescribeAsync(null);
        var lastModified = first.Content.Headers.LastModified;
        using var unchanged = await DescribeAsync(lastModified);
        await host.ControlAsync(HttpMethod.Post, "schema/Lead/fields", new { name = "Score_" + Guid.NewGuid().ToString("N")[..6] + "__c", type = "int" });
        using var changed = await DescribeAsync(lastModified);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(lastModified);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.True(changed.Content.Headers.LastModified > lastModified);
        Assert.Contains("Score_", await changed.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }
}
