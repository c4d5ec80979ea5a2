using System.Net;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Tests.Core.Salesforce;

/// <summary>A demo org that tests change (records, tokens, faults); each test starts from a reset org.</summary>
public sealed class SalesforceFaultDemoFixture : SalesforceDemoFixture
{
    public override int ContactCount => 450;
}

public sealed class SalesforceClientFaultTests : IClassFixture<SalesforceFaultDemoFixture>
{
    private readonly SalesforceFaultDemoFixture demo;

    public SalesforceClientFaultTests(SalesforceFaultDemoFixture demo)
    {
        this.demo = demo;
        demo.Org.Reset();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Refreshes_token_once_when_session_expired()
    {
        var connection = await demo.ConnectAsync(Ct);
        var client = demo.Factory.Create(connection);
        demo.Org.ExpireAccessTokens();

        var count = await client.CountAsync("SELECT COUNT() FROM Contact", ct: Ct);

        Assert.Equal(demo.ContactCount, count);
        var stored = demo.Store.Get(connection.SourceId);
        Assert.Equal(1, stored.TokenSaves);
        Assert.NotEqual(connection.AccessToken, stored.AccessToken);
        Assert.Equal(client.InstanceUrl, stored.InstanceUrl);

        await client.CountAsync("SELECT COUNT() FROM Contact", ct: Ct);
        Assert.Equal(1, demo.Store.Get(connection.SourceId).TokenSaves);
    }

    [Fact]
    public async Task Refreshes_in_the_middle_of_a_stream_and_keeps_going()
    {
        var client = await demo.ConnectClientAsync(Ct);
        var rows = 0;

        await foreach (var _ in client.QueryAsync("SELECT Id FROM Contact", batchSize: 200, ct: Ct))
        {
            if (++rows == 1)
            {
                demo.Org.ExpireAccessTokens();
            }
        }

        Assert.Equal(demo.ContactCount, rows);
        Assert.Equal(1, demo.Store.Get(client.SourceId).TokenSaves);
    }

    [Fact]
    public async Task Marks_the_source_for_reconnect_when_the_refresh_token_is_refused()
    {
        var client = await demo.ConnectClientAsync(Ct);
        demo.Org.ExpireAccessTokens();
        demo.Org.ExpireRefreshTokens();

        var error = await Assert.ThrowsAsync<SalesforceReconnectRequiredException>(() => client.GetLimitsAsync(Ct));

        Assert.Equal(client.SourceId, error.SourceId);
        Assert.IsType<SalesforceOAuthException>(error.InnerException);
        Assert.True(((SalesforceOAuthException)error.InnerException!).IsInvalidGrant);
        Assert.Contains("invalid_grant", demo.Store.Get(client.SourceId).NeedsReconnectReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renews_a_refresh_less_session_with_a_new_JWT_grant()
    {
        var pem = demo.JwtKey.ExportPkcs8PrivateKeyPem();
        var token = await demo.OAuth.JwtBearerAsync(demo.LoginHost, SalesforceDemoFixture.ClientId, SalesforceDemoFixture.Username, pem, Ct);
        var connection = new SalesforceConnection(Guid.NewGuid(), demo.LoginHost, token.InstanceUrl, SalesforceDemoFixture.ClientId, null, token.AccessToken,
            JwtUsername: SalesforceDemoFixture.Username, JwtPrivateKeyPem: pem);
        var client = demo.Factory.Create(connection);
        demo.Org.ExpireAccessTokens();

        await client.GetLimitsAsync(Ct);

        Assert.Equal(1, demo.Store.Get(connection.SourceId).TokenSaves);
    }

    [Fact]
    public async Task Renews_a_client_credentials_session_with_a_new_grant()
    {
        var token = await demo.OAuth.ClientCredentialsAsync(demo.LoginHost, SalesforceDemoFixture.ClientId, SalesforceDemoFixture.ClientSecret, Ct);
        var connection = new SalesforceConnection(Guid.NewGuid(), demo.LoginHost, token.InstanceUrl, SalesforceDemoFixture.ClientId, SalesforceDemoFixture.ClientSecret, token.AccessToken);
        var client = demo.Factory.Create(connection);
        demo.Org.ExpireAccessTokens();

        await client.GetLimitsAsync(Ct);

        Assert.Equal(1, demo.Store.Get(connection.SourceId).TokenSaves);
    }

    [Fact]
    public async Task Stops_with_a_typed_error_when_the_daily_allowance_is_used_up()
    {
        var client = await demo.ConnectClientAsync(Ct);
        demo.Org.SetRemainingApiCalls(0);
        var before = demo.Org.ApiCallsUsed;

        var error = await Assert.ThrowsAsync<SalesforceApiLimitExceededException>(async () =>
        {
            await foreach (var _ in client.QueryAsync("SELECT Id FROM Contact", ct: Ct))
            {
            }
        });

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", error.ErrorCode);
        Assert.Equal("TotalRequests Limit exceeded.", error.SalesforceMessage);
        Assert.InRange(demo.Org.ApiCallsUsed - before, 0, 1);
    }

    [Fact]
    public async Task Stops_mid_stream_when_the_allowance_runs_out()
    {
        var client = await demo.ConnectClientAsync(Ct);
        demo.Org.SetRemainingApiCalls(2);
        var rows = 0;

        await Assert.ThrowsAsync<SalesforceApiLimitExceededException>(async () =>
        {
            await foreach (var _ in client.QueryAsync("SELECT Id FROM Contact", batchSize: 200, ct: Ct))
            {
                rows++;
            }
        });

        Assert.Equal(400, rows);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    public async Task Retries_transient_server_errors_and_succeeds(int status)
    {
        var client = await demo.ConnectClientAsync(Ct);
        demo.Org.InjectFaults(status, 2);

        var count = await client.CountAsync("SELECT COUNT() FROM Contact", ct: Ct);

        Assert.Equal(demo.ContactCount, count);
        Assert.Equal(2, demo.Org.FaultsServed);
    }

    [Fact]
    public async Task Retries_a_failing_page_in_the_middle_of_a_stream()
    {
        var client = await demo.ConnectClientAsync(Ct);
        var rows = 0;

        await foreach (var _ in client.QueryAsync("SELECT Id FROM Contact", batchSize: 200, ct: Ct))
        {
            if (++rows == 1)
            {
                demo.Org.InjectFaults(503, 1);
            }
        }

        Assert.Equal(demo.ContactCount, rows);
        Assert.Equal(1, demo.Org.FaultsServed);
    }

    [Fact]
    public async Task Gives_up_with_Salesforces_error_after_the_configured_retries()
    {
        var client = await demo.ConnectClientAsync(Ct);
        demo.Org.InjectFaults(503, 10);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => client.GetLimitsAsync(Ct));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal("SERVER_UNAVAILABLE", error.ErrorCode);
        // The first attempt and the three retries the fixture configures, then no more.
        Assert.Equal(4, demo.Org.FaultsServed);
        demo.Org.ClearFaults();
    }

    [Fact]
    public async Task Saves_a_rotated_refresh_token_and_renews_with_it_after_the_old_one_stopped_working()
    {
        demo.Org.SetRefreshTokenRotation(true);
        try
        {
            var connection = await demo.ConnectAsync(Ct);
            var client = demo.Factory.Create(connection);
            demo.Org.ExpireAccessTokens();

            await client.GetLimitsAsync(Ct);

            var rotated = demo.Store.Get(connection.SourceId).RefreshToken;
            Assert.NotNull(rotated);
            Assert.NotEqual(connection.RefreshToken, rotated);
            var old = await Assert.ThrowsAsync<SalesforceOAuthException>(() => demo.OAuth.RefreshAsync(
                demo.LoginHost, SalesforceDemoFixture.ClientId, SalesforceDemoFixture.ClientSecret, connection.RefreshToken!, Ct));
            Assert.True(old.IsInvalidGrant);

            // The client renews again with the token it saved, not the one it was created with.
            demo.Org.ExpireAccessTokens();
            await client.GetLimitsAsync(Ct);
            Assert.Equal(2, demo.Store.Get(connection.SourceId).TokenSaves);
            Assert.Null(demo.Store.Get(connection.SourceId).NeedsReconnectReason);
        }
        finally
        {
            demo.Org.SetRefreshTokenRotation(false);
        }
    }

    [Fact]
    public async Task Two_clients_of_one_source_renew_its_session_once_between_them()
    {
        demo.Org.SetRefreshTokenRotation(true);
        try
        {
            var connection = await demo.ConnectAsync(Ct);
            var first = demo.Factory.Create(connection);
            var second = demo.Factory.Create(connection);
            demo.Org.ExpireAccessTokens();
            var before = demo.Org.TokenRequests;

            // With rotation, a second refresh with the same refresh token would be refused.
            await Task.WhenAll(first.GetLimitsAsync(Ct), second.GetLimitsAsync(Ct), first.DescribeGlobalAsync(Ct), second.DescribeGlobalAsync(Ct));

            Assert.Equal(1, demo.Org.TokenRequests - before);
            Assert.Equal(1, demo.Store.Get(connection.SourceId).TokenSaves);
            Assert.Null(demo.Store.Get(connection.SourceId).NeedsReconnectReason);
        }
        finally
        {
            demo.Org.SetRefreshTokenRotation(false);
        }
    }

    [Fact]
    public async Task Never_sends_a_token_request_twice_even_when_the_token_endpoint_fails()
    {
        var client = await demo.ConnectClientAsync(Ct);
        demo.Org.ExpireAccessTokens();
        demo.Org.InjectTokenFaults(503, 5);
        var before = demo.Org.TokenRequests;

        var error = await Assert.ThrowsAsync<SalesforceHostException>(() => client.GetLimitsAsync(Ct));

        Assert.Contains("HTTP 503", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, demo.Org.TokenRequests - before);
        demo.Org.ClearFaults();
    }

    [Fact]
    public async Task A_database_that_cannot_save_api_usage_does_not_fail_the_read()
    {
        var connection = await demo.ConnectAsync(Ct);
        var store = new FailingUsageStore();
        await using var services = SalesforceDemoFixture.CreateClientServices(configure: s => s.AddSingleton<ISalesforceConnectionStore>(store));
        var client = services.GetRequiredService<ISalesforceClientFactory>().Create(connection);

        var count = await client.CountAsync("SELECT COUNT() FROM Contact", ct: Ct);

        Assert.Equal(demo.ContactCount, count);
        Assert.Equal(1, store.UsageAttempts);
        Assert.NotNull(services.GetRequiredService<ApiUsageMeter>().Get(connection.SourceId));
    }

    private sealed class FailingUsageStore : ISalesforceConnectionStore
    {
        public int UsageAttempts;

        public Task SaveTokensAsync(Guid sourceId, string accessToken, string? rotatedRefreshToken, Uri instanceUrl, CancellationToken ct) => Task.CompletedTask;

        public Task MarkNeedsReconnectAsync(Guid sourceId, string reason, CancellationToken ct) => Task.CompletedTask;

        public Task RecordApiUsageAsync(Guid sourceId, ApiUsage usage, CancellationToken ct)
        {
            Interlocked.Increment(ref UsageAttempts);
            throw new InvalidOperationException("The database is gone.");
        }
    }

    [Fact]
    public async Task Gives_up_on_a_host_too_slow_to_answer_with_a_host_error()
    {
        var connection = await demo.ConnectAsync(Ct);
        await using var services = SalesforceDemoFixture.CreateClientServices(new() { ["Salesforce:Timeout"] = "00:00:00.200", ["Salesforce:RetryCount"] = "1" });
        var client = services.GetRequiredService<ISalesforceClientFactory>().Create(connection);
        demo.Org.SetResponseDelay(TimeSpan.FromSeconds(5));
        try
        {
            var error = await Assert.ThrowsAsync<SalesforceHostException>(() => client.GetLimitsAsync(Ct));

            Assert.Contains("in time", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            demo.Org.ClearFaults();
        }
    }

    [Fact]
    public async Task Reports_an_org_without_API_access()
    {
        var client = await demo.ConnectClientAsync(Ct);
        demo.Org.SetApiEnabled(false);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => client.DescribeGlobalAsync(Ct));

        Assert.Equal((HttpStatusCode.Forbidden, "API_DISABLED_FOR_ORG"), (error.StatusCode, error.ErrorCode));
        Assert.IsNotType<SalesforceApiLimitExceededException>(error);
    }

    [Fact]
    public async Task Query_all_includes_soft_deleted_rows_and_query_does_not()
    {
        var client = await demo.ConnectClientAsync(Ct);
        var id = demo.Org.RecordId("Contact", 7);
        demo.Org.SoftDelete("Contact", id);
        var soql = $"SELECT Id, IsDeleted FROM Contact WHERE Id = {Soql.Literal(id)}";

        var live = await ToListAsync(client.QueryAsync(soql, ct: Ct));
        var all = await ToListAsync(client.QueryAllAsync(soql, ct: Ct));

        Assert.Empty(live);
        var row = Assert.Single(all);
        Assert.True(row.IsDeleted);
        Assert.Equal(demo.ContactCount - 1, await client.CountAsync("SELECT COUNT() FROM Contact", ct: Ct));
        Assert.Equal(demo.ContactCount, await client.CountAsync("SELECT COUNT() FROM Contact", includeDeleted: true, ct: Ct));
    }

    [Fact]
    public async Task Lists_updated_and_deleted_ids_in_a_window()
    {
        var client = await demo.ConnectClientAsync(Ct);
        var start = demo.Clock.GetUtcNow().AddMinutes(-1);
        var updated = demo.Org.RecordId("Contact", 3);
        var deleted = demo.Org.RecordId("Contact", 4);
        demo.Org.Update("Contact", updated, new Dictionary<string, object?> { ["Title"] = "Chief Tester" });
        demo.Org.SoftDelete("Contact", deleted);

        // Salesforce covers whole minutes only: move past the minute of the changes.
        demo.Clock.Advance(TimeSpan.FromMinutes(2));
        var end = demo.Clock.GetUtcNow();

        var changes = await client.GetUpdatedAsync("Contact", start, end, Ct);
        var deletions = await client.GetDeletedAsync("Contact", start, end, Ct);

        Assert.Contains(updated, changes.Ids);
        Assert.NotNull(changes.LatestDateCovered);
        var deletion = Assert.Single(deletions.DeletedRecords, d => d.Id == deleted);
        Assert.InRange(deletion.DeletedDate, start.AddMinutes(-1), end);
        Assert.NotNull(deletions.EarliestDateAvailable);
    }

    [Fact]
    public async Task Surfaces_a_window_Salesforce_refuses()
    {
        var client = await demo.ConnectClientAsync(Ct);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => client.GetUpdatedAsync("Contact", demo.Clock.GetUtcNow().AddDays(-40), demo.Clock.GetUtcNow(), Ct));

        Assert.Equal("INVALID_REPLICATION_DATE", error.ErrorCode);
    }

    [Fact]
    public async Task Sees_a_changed_record_in_the_next_incremental_read()
    {
        var client = await demo.ConnectClientAsync(Ct);
        var describe = await client.DescribeAsync("Contact", Ct);
        var cursor = demo.Clock.GetUtcNow();
        var id = demo.Org.RecordId("Contact", 11);
        demo.Org.Update("Contact", id, new Dictionary<string, object?> { ["Email"] = "o'brien@example.com" });

        var rows = await ToListAsync(client.QueryAsync(SoqlQuery.Incremental(describe, ["Email"], cursor, TimeSpan.FromMinutes(10)), ct: Ct));

        Assert.Contains(rows, r => r.Id == id && (string?)r["Email"] == "o'brien@example.com");
        var byEmail = await ToListAsync(client.QueryAsync(SoqlQuery.From(describe).Select("Id").Where(Soql.Equal("Email", "o'brien@example.com")), ct: Ct));
        Assert.Equal(id, Assert.Single(byEmail).Id);
    }

    private static async Task<List<SalesforceRecord>> ToListAsync(IAsyncEnumerable<SalesforceRecord> rows)
    {
        var list = new List<SalesforceRecord>();
        await foreach (var row in rows)
        {
            list.Add(row);
        }

        return list;
    }
}
