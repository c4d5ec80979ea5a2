using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace UnifyAdmin.Tests.Infrastructure;

public sealed class LoopbackHostTests
{
    [Fact]
    public async Task Serves_mapped_endpoints_on_a_loopback_port()
    {
        await using var host = await LoopbackHost.StartAsync(_ => { }, app => app.MapGet("/ping", () => Results.Text("pong")));
        using var http = new HttpClient();

        var body = await http.GetStringAsync(host.Url("/ping"), TestContext.Current.CancellationToken);

        Assert.Equal("pong", body);
        Assert.Equal("127.0.0.1", host.BaseAddress.Host);
    }
}
