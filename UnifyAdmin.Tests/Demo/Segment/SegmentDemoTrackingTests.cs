using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using UnifyAdmin.Demo.Segment;
using UnifyAdmin.Tests.Core.Segment;

namespace UnifyAdmin.Tests.Core.Demo.Segment;

public sealed class SegmentDemoTrackingTests(SegmentDemoFixture demo) : IClassFixture<SegmentDemoFixture>, IDisposable
{
    private readonly HttpClient http = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => http.Dispose();

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json, string? writeKey = "demo-write-key")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, demo.Host.Url("/demo/segment" + path))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (writeKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        }

        using var response = await http.SendAsync(request, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private SegmentDemoMessage? Find(string messageId) => demo.Control.Messages("spa_demo", 10_000).LastOrDefault(m => m.MessageId == messageId);

    [Fact]
    public async Task Accepts_the_body_an_official_library_sends()
    {
        var messageId = TestMessages.Unique("lib");
        var body = $$$"""
            {"batch":[{"type":"identify","userId":"lib-user","traits":{"name":"Lib"},"messageId":"{{{messageId}}}","timestamp":"2024-03-05T17:03:29.000Z",
              "context":{"library":{"name":"analytics-python","version":"2.3.2"}},"integrations":{"All":false},"_metadata":{"nodeVersion":"x"}}],
             "sentAt":"2024-03-05T17:03:30.120Z","context":{"library":{"name":"analytics-python","version":"2.3.2"} } }
            """;

        var (status, response) = await PostAsync("/v1/batch", body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(response.GetProperty("success").GetBoolean());
        Assert.Null(Find(messageId)!.DroppedReason);
    }

    [Fact]
    public async Task Accepts_single_calls_the_import_alias_and_a_write_key_in_the_body()
    {
        var identifyId = TestMessages.Unique("single");
        var importId = TestMessages.Unique("import");
        var groupId = TestMessages.Unique("group");

        var identify = await PostAsync("/v1/identify", $$$"""{"userId":"single-user","messageId":"{{{identifyId}}}","traits":{}}""");
        var import = await PostAsync("/v1/import", $$$"""{"writeKey":"demo-write-key","batch":[{"type":"identify","anonymousId":"a-1","messageId":"{{{importId}}}"}]}""", writeKey: null);
        var group = await PostAsync("/v1/group", $$$"""{"userId":"single-user","groupId":"g-1","messageId":"{{{groupId}}}","traits":{"name":"G"}}""");

        Assert.Equal(HttpStatusCode.OK, identify.Status);
        Assert.Equal(HttpStatusCode.OK, import.Status);
        Assert.Equal(HttpStatusCode.OK, group.Status);
        Assert.Equal("identify", Find(identifyId)!.Type);
        Assert.Equal("identify", Find(importId)!.Type);
        Assert.Equal("group", Find(groupId)!.Type);
    }

    [Fact]
    public async Task Answers_400_for_invalid_json_and_for_an_oversized_request()
    {
        var invalid = await PostAsync("/v1/batch", "{\"batch\":[");
        var padding = new string('x', 30_000);
        var items = string.Join(',', Enumerable.Range(0, 18).Select(i => $$$"""{"type":"identify","userId":"u{{{i}}}","traits":{"p":"{{{padding}}}"}}"""));
        var oversized = await PostAsync("/v1/batch", $$$"""{"batch":[{{{items}}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.False(invalid.Body.GetProperty("success").GetBoolean());
        Assert.Equal("invalid_request", invalid.Body.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, oversized.Status);
        Assert.Contains("500 KB", oversized.Body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Answers_401_for_a_missing_or_unknown_write_key()
    {
        var missing = await PostAsync("/v1/batch", """{"batch":[]}""", writeKey: null);
        var unknown = await PostAsync("/v1/batch", """{"batch":[]}""", writeKey: "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
    }

    [Fact]
    public async Task Answers_200_but_drops_messages_segment_would_drop()
    {
        var noIds = TestMessages.Unique("noids");
        var wide = TestMessages.Unique("wide");
        var big = TestMessages.Unique("big");
        var traits = string.Join(',', Enumerable.Range(0, 300).Select(i => $"\"t{i}\":{i}"));
        var body = $$$"""
            {"batch":[
              {"type":"identify","messageId":"{{{noIds}}}","traits":{"name":"x"}},
              {"type":"identify","userId":"wide-user","messageId":"{{{wide}}}","traits":{ {{{traits}}} }},
              {"type":"identify","userId":"big-user","messageId":"{{{big}}}","traits":{"p":"{{{new string('x', 33_000)}}}"}}]}
            """;

        var (status, _) = await PostAsync("/v1/batch", body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("userId", Find(noIds)!.DroppedReason);
        Assert.Contains("300", Find(wide)!.DroppedReason);
        Assert.Contains("32 KB", Find(big)!.DroppedReason);
        Assert.Null(await demo.Profiles.GetTraitsPageAsync(demo.Space, UnifyAdmin.Core.Segment.SegmentProfileId.UserId("wide-user"), cancellationToken: Token));
    }

    [Fact]
    public async Task Answers_429_with_retry_after_when_a_rate_limit_is_injected()
    {
        demo.Control.InjectFaults(new SegmentDemoFault("429", RetryAfterSeconds: 7));
        using var request = new HttpRequestMessage(HttpMethod.Post, demo.Host.Url("/demo/segment/v1/batch")) { Content = new StringContent("""{"batch":[]}""") };

        using var response = await http.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task Lists_the_spaces_an_access_token_can_read()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, demo.Host.Url("/demo/segment-profiles/v1/spaces"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("demo-access-token:"u8.ToArray()));

        using var response = await http.SendAsync(request, Token);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));

        Assert.Equal("spa_demo", document.RootElement.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.Equal("Demo space", document.RootElement.GetProperty("data")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Answers_404_in_segments_shape_for_an_unknown_profile()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, demo.Host.Url("/demo/segment-profiles/v1/spaces/spa_demo/collections/users/profiles/user_id:nobody-here/traits"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("demo-access-token:"u8.ToArray()));

        using var response = await http.SendAsync(request, Token);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", document.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("Profile was not found.", document.RootElement.GetProperty("error").GetProperty("message").GetString());
    }
}
