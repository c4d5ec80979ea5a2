using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Demo.Salesforce;

/// <summary>Streams a million-contact org end to end; explicit because it needs the machine to itself.</summary>
public sealed class DemoThroughputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Explicit = true)]
    public async Task Streams_a_million_contacts_at_50000_rows_a_second_or_more()
    {
        await using var host = await LoopbackHost.StartAsync(
            builder => builder.Services.AddSalesforceDemo(builder.Configuration),
            app => app.MapSalesforceDemo(),
            new Dictionary<string, string?> { ["Demo:Salesforce:ObjectSizes:Contact"] = "1000000", ["Demo:Salesforce:DailyApiLimit"] = "100000" });
        using var http = new HttpClient();
        using var tokenResponse = await http.PostAsync(host.Url("/demo/salesforce/services/oauth2/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "demo-client-id",
            ["client_secret"] = "demo-client-secret",
        }), Ct);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
        var soql = "SELECT Id, FirstName, LastName, Email, Phone, Title, AccountId, MailingCity, CreatedDate, SystemModstamp FROM Contact " +
            "WHERE SystemModstamp >= 2000-01-01T00:00:00Z ORDER BY SystemModstamp, Id";
        var next = $"/services/data/v64.0/query?q={Uri.EscapeDataString(soql)}";
        var rows = 0L;
        var clock = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var startMemory = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0L;
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, token.InstanceUrl + next);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            await using var stream = await response.Content.ReadAsStreamAsync(Ct);
            using var page = await JsonDocument.ParseAsync(stream, cancellationToken: Ct);
            rows += page.RootElement.GetProperty("records").GetArrayLength();
            next = page.RootElement.TryGetProperty("nextRecordsUrl", out var url) ? url.GetString() : null;
            peak = Math.Max(peak, GC.GetTotalMemory(false));
        }

        var rate = rows / clock.Elapsed.TotalSeconds;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{rows} rows in {clock.Elapsed.TotalSeconds:F1} s = {rate:F0} rows/s; client and server CPU {cpu.TotalSeconds:F1} s = {rows / cpu.TotalSeconds:F0} rows per CPU-second; heap {startMemory / 1e6:F0} MB -> peak {peak / 1e6:F0} MB");
        Assert.Equal(1_000_000, rows);
        Assert.True(rate >= 50_000, $"{rate:F0} rows/s");
        Assert.Empty(host.Services.GetRequiredService<SalesforceDemoOrg>().View().Object("Contact")!.Changes);
    }
}
