using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>The REST client of one connection; create it with <see cref="ISalesforceClientFactory"/>.</summary>
public sealed partial class SalesforceClient : ISalesforceClient
{
    private static readonly HashSet<string> ReconnectErrors = new(StringComparer.Ordinal)
    {
        "invalid_grant", "invalid_client", "invalid_client_id", "unauthorized_client", "inactive_user", "inactive_org",
    };

    private readonly HttpClient http;
    private readonly SalesforceConnection connection;
    private readonly SalesforceOAuthClient oauth;
    private readonly ISalesforceConnectionStore store;
    private readonly ApiUsageMeter meter;
    private readonly SalesforceSessions.Session session;
    private readonly SalesforceMetrics metrics;
    private readonly SalesforceOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly string apiVersion;

    internal SalesforceClient(
        HttpClient http,
        SalesforceConnection connection,
        SalesforceOAuthClient oauth,
        ISalesforceConnectionStore store,
        ApiUsageMeter meter,
        SalesforceSessions.Session session,
        SalesforceMetrics metrics,
        SalesforceOptions options,
        TimeProvider time,
        ILogger logger)
    {
        this.http = http;
        this.connection = connection;
        this.oauth = oauth;
        this.store = store;
        this.meter = meter;
        this.session = session;
        this.metrics = metrics;
        this.options = options;
        this.time = time;
        this.logger = logger;
        SalesforceHosts.Validate(connection.LoginHost);
        SalesforceHosts.Validate(connection.InstanceUrl);
        apiVersion = (connection.ApiVersion ?? options.ApiVersion).TrimStart('v', 'V');
    }

    public Guid SourceId => connection.SourceId;

    public Uri InstanceUrl => session.InstanceUrl;

    private string DataPath => $"services/data/v{apiVersion}/";

    public async Task<IReadOnlyList<SalesforceApiVersion>> GetVersionsAsync(CancellationToken ct = default)
        => await GetJsonAsync<List<SalesforceApiVersion>>("services/data/", ct);

    public Task<SalesforceDescribeGlobal> DescribeGlobalAsync(CancellationToken ct = default)
        => GetJsonAsync<SalesforceDescribeGlobal>(DataPath + "sobjects/", ct);

    public Task<SalesforceObjectDescribe> DescribeAsync(string objectName, CancellationToken ct = default)
        => GetJsonAsync<SalesforceObjectDescribe>(DataPath + $"sobjects/{CheckName(objectName)}/describe/", ct);

    public async Task<SalesforceDescribeRevalidation> DescribeIfModifiedAsync(string objectName, DateTimeOffset? ifModifiedSince, CancellationToken ct = default)
    {
        using var response = await SendAsync(DataPath + $"sobjects/{CheckName(objectName)}/describe/", null, ct, ifModifiedSince);
        var lastModified = response.Content.Headers.LastModified;
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new SalesforceDescribeRevalidation(null, lastModified ?? ifModifiedSince);
        }

        return new SalesforceDescribeRevalidation(await ReadJsonAsync<SalesforceObjectDescribe>(response, ct), lastModified);
    }

    public async Task<IReadOnlyDictionary<string, SalesforceLimit>> GetLimitsAsync(CancellationToken ct = default)
        => await GetJsonAsync<Dictionary<string, SalesforceLimit>>(DataPath + "limits/", ct);

    public Task<SalesforceUpdatedResult> GetUpdatedAsync(string objectName, DateTimeOffset start, DateTimeOffset end, CancellationToken ct = default)
        => GetJsonAsync<SalesforceUpdatedResult>(DataPath + $"sobjects/{CheckName(objectName)}/updated/?start={Instant(start)}&end={Instant(end)}", ct);

    public Task<SalesforceDeletedResult> GetDeletedAsync(string objectName, DateTimeOffset start, DateTimeOffset end, CancellationToken ct = default)
        => GetJsonAsync<SalesforceDeletedResult>(DataPath + $"sobjects/{CheckName(objectName)}/deleted/?start={Instant(start)}&end={Instant(end)}", ct);

    public IAsyncEnumerable<SalesforceRecord> QueryAsync(string soql, int? batchSize = null, CancellationToken ct = default)
        => Flatten(QueryPagesAsync(soql, includeDeleted: false, batchSize, ct), ct);

    public IAsyncEnumerable<SalesforceRecord> QueryAllAsync(string soql, int? batchSize = null, CancellationToken ct = default)
        => Flatten(QueryPagesAsync(soql, includeDeleted: true, batchSize, ct), ct);

    public async Task<long> CountAsync(string soql, bool includeDeleted = false, CancellationToken ct = default)
    {
        await foreach (var page in QueryPagesAsync(soql, includeDeleted, null, ct))
        {
            return page.TotalSize;
        }

        return 0;
    }

    public async IAsyncEnumerable<SalesforceQueryPage> QueryPagesAsync(
        string soql, bool includeDeleted = false, int? batchSize = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        var size = batchSize ?? options.QueryBatchSize;
        if (size is { } n && (n < 200 || n > 2000))
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), n, "Salesforce accepts a batch size between 200 and 2000.");
        }

        var path = DataPath + (includeDeleted ? "queryAll" : "query") + "?q=" + Uri.EscapeDataString(soql);
        if (path.Length > SoqlQuery.MaxRequestPathLength)
        {
            throw new SoqlTooLongException($"The query URL would be {path.Length} bytes; Salesforce accepts at most about {SoqlQuery.MaxRequestPathLength}. Select fewer fields or split the query.");
        }

        await foreach (var page in StreamPagesAsync(path, size, ct))
        {
            yield return page;
        }
    }

    public IAsyncEnumerable<SalesforceQueryPage> QueryMoreAsync(string nextRecordsUrl, int? batchSize = null, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(nextRecordsUrl) || !nextRecordsUrl.StartsWith("/services/data/", StringComparison.Ordinal) || nextRecordsUrl.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException("A query locator looks like /services/data/vNN.0/query/01g…-2000.", nameof(nextRecordsUrl));
        }

        return StreamPagesAsync(nextRecordsUrl, batchSize ?? options.QueryBatchSize, ct);
    }

    private async IAsyncEnumerable<SalesforceQueryPage> StreamPagesAsync(string path, int? size, [EnumeratorCancellation] CancellationToken ct)
    {
        var parser = new SalesforceQueryPageParser();
        using var prefetch = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // One buffer is enough: a page is fully parsed into records before the next fetch reuses it.
        using var buffer = new PageBuffer();
        Task<PageBuffer> fetch = FetchPageAsync(path, size, buffer, prefetch.Token);
        try
        {
            while (true)
            {
                var bytes = await fetch;
                SalesforceQueryPage page;
                try
                {
                    page = parser.Parse(bytes.Span);
                }
                catch (JsonException e)
                {
                    throw new SalesforceHostException(SalesforceHosts.Display(session.InstanceUrl), $"Salesforce sent a query page that could not be read: {e.Message}", e);
                }

                // Fetch the next page while the caller works through this one.
                var hasNext = !page.Done && page.NextRecordsUrl is not null;
                if (hasNext)
                {
                    fetch = FetchPageAsync(page.NextRecordsUrl!, size, buffer, prefetch.Token);
                }

                yield return page;
                if (!hasNext)
                {
                    break;
                }
            }
        }
        finally
        {
            if (fetch.IsFaulted)
            {
                _ = fetch.Exception; // observed: the caller stopped before needing this page
            }
            else if (!fetch.IsCompleted)
            {
                prefetch.Cancel();
                try
                {
                    await fetch;
                }
                catch (Exception)
                {
                    // The caller stopped reading; the unfinished prefetch no longer matters.
                }
            }
        }
    }

    private static async IAsyncEnumerable<SalesforceRecord> Flatten(IAsyncEnumerable<SalesforceQueryPage> pages, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var page in pages.WithCancellation(ct))
        {
            foreach (var record in page.Records)
            {
                yield return record;
            }
        }
    }

    private async Task<PageBuffer> FetchPageAsync(string pathOrLocator, int? batchSize, PageBuffer buffer, CancellationToken ct)
    {
        using var response = await SendAsync(pathOrLocator, batchSize, ct);
        using var bodyTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bodyTimeout.CancelAfter(options.Timeout);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(bodyTimeout.Token);
            await buffer.FillAsync(stream, bodyTimeout.Token);
            metrics.BytesReceived(buffer.Span.Length);
            return buffer;
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new SalesforceHostException(SalesforceHosts.Display(session.InstanceUrl), "Salesforce did not finish sending a query page in time.", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new SalesforceHostException(SalesforceHosts.Display(session.InstanceUrl), $"The connection to Salesforce broke while reading a query page: {e.Message}", e);
        }
    }

    private async Task<T> GetJsonAsync<T>(string path, CancellationToken ct)
    {
        using var response = await SendAsync(path, null, ct);
        return await ReadJsonAsync<T>(response, ct);
    }

    private async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        // The pipeline's timeout ends when the headers arrive; the body gets a deadline of its own.
        using var bodyTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bodyTimeout.CancelAfter(options.Timeout);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(bodyTimeout.Token);
            var counted = new CountingStream(stream);
            var value = await JsonSerializer.DeserializeAsync<T>(counted, SalesforceJson.Options, bodyTimeout.Token)
                ?? throw new JsonException("empty body");
            metrics.BytesReceived(counted.BytesRead);
            return value;
        }
        catch (JsonException e)
        {
            throw new SalesforceHostException(SalesforceHosts.Display(session.InstanceUrl), $"Salesforce sent an answer to {typeof(T).Name} that could not be read: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new SalesforceHostException(SalesforceHosts.Display(session.InstanceUrl), "Salesforce did not finish sending its answer in time.", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new SalesforceHostException(SalesforceHosts.Display(session.InstanceUrl), $"The connection to Salesforce broke while reading its answer: {e.Message}", e);
        }
    }

    /// <summary>Sends a GET; reports API usage; refreshes and retries once on 401; maps errors. The caller disposes the answer.</summary>
    private async Task<HttpResponseMessage> SendAsync(string pathOrLocator, int? batchSize, CancellationToken ct, DateTimeOffset? ifModifiedSince = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var token = session.AccessToken;
            var instance = session.InstanceUrl;
            using var request = new HttpRequestMessage(HttpMethod.Get, SalesforceHosts.Combine(instance, pathOrLocator));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.IfModifiedSince = ifModifiedSince;
            if (batchSize is { } size)
            {
                request.Headers.TryAddWithoutValidation("Sforce-Query-Options", "batchSize=" + size.ToString(CultureInfo.InvariantCulture));
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            }
            catch (HttpRequestException e)
            {
                metrics.CallFailed(SalesforceServiceCollectionExtensions.IsCertificateError(e) ? "certificate" : "network");
                throw UnreachableError(instance, e);
            }
            catch (BrokenCircuitException e)
            {
                metrics.CallFailed("circuit_open");
                throw new SalesforceHostException(SalesforceHosts.Display(instance), $"Salesforce at {SalesforceHosts.Display(instance)} failed repeatedly; calls pause for a moment before trying again.", e);
            }
            catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                metrics.CallFailed("timeout");
                throw new SalesforceHostException(SalesforceHosts.Display(instance), $"Salesforce at {SalesforceHosts.Display(instance)} did not answer in time.", e);
            }

            var handedOver = false;
            try
            {
                metrics.Call((int)response.StatusCode);
                var usage = await ReportUsageAsync(response);
                if (response.IsSuccessStatusCode || (ifModifiedSince is not null && response.StatusCode == HttpStatusCode.NotModified))
                {
                    handedOver = true;
                    return response;
                }

                var body = await ReadErrorBodyAsync(response, ct);
                SalesforceErrors.TryParseApiError(body, out var errorCode, out var message);
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
                {
                    LogSessionExpired(logger, connection.SourceId, errorCode ?? "401");
                    await RefreshAsync(token, ct);
                    continue;
                }

                if ((response.StatusCode == HttpStatusCode.Forbidden && errorCode == "REQUEST_LIMIT_EXCEEDED") || response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    metrics.LimitRefused();
                    throw new SalesforceApiLimitExceededException(message ?? "TotalRequests Limit exceeded.", usage);
                }

                throw new SalesforceApiException(
                    response.StatusCode,
                    errorCode ?? response.StatusCode.ToString(),
                    message ?? $"HTTP {(int)response.StatusCode} without a Salesforce error body.");
            }
            finally
            {
                if (!handedOver)
                {
                    response.Dispose();
                }
            }
        }
    }

    /// <summary>"Could not reach", or for a TLS failure the sentence that says what is wrong with the certificate.</summary>
    internal static SalesforceHostException UnreachableError(Uri host, HttpRequestException e)
    {
        var display = SalesforceHosts.Display(host);
        if (SalesforceServiceCollectionExtensions.IsCertificateError(e))
        {
            var reason = e.InnerException is { } inner && !inner.Message.Contains("inner exception", StringComparison.OrdinalIgnoreCase)
                ? " (" + inner.Message.TrimEnd('.') + ")"
                : "";
            return new SalesforceHostException(host.GetLeftPart(UriPartial.Authority),
                $"The certificate of {display} is not trusted{reason}. Check the URL, or install the certificate's authority on this server.", e);
        }

        var detail = e.InnerException is System.Net.Sockets.SocketException socket ? socket.Message : e.Message;
        return new SalesforceHostException(host.GetLeftPart(UriPartial.Authority), $"Could not reach Salesforce at {display}: {detail}", e);
    }

    private async Task<string> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using var bodyTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bodyTimeout.CancelAfter(options.Timeout);
        try
        {
            return await response.Content.ReadAsStringAsync(bodyTimeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // The status alone still says what happened.
            return "";
        }
    }

    /// <summary>
    /// Records the usage a response reports: always in memory, in the database at most every
    /// <see cref="SalesforceOptions.ApiUsageSaveInterval"/> per source. A failing database never fails the read.
    /// </summary>
    private async Task<ApiUsage?> ReportUsageAsync(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(ApiUsage.HeaderName, out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            if (ApiUsage.TryParse(value, out var usage))
            {
                meter.Record(connection.SourceId, usage);
                if (connection.SourceId != Guid.Empty && meter.TryClaimSave(connection.SourceId, time.GetUtcNow(), options.ApiUsageSaveInterval))
                {
                    try
                    {
                        // Not the caller's token: a cancelled read should still leave the usage it saw.
                        await store.RecordApiUsageAsync(connection.SourceId, usage, CancellationToken.None);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        LogUsageNotSaved(logger, connection.SourceId, e);
                    }
                }

                return usage;
            }
        }

        return null;
    }

    /// <summary>
    /// Gets a new access token, unless another call (of any client of this source) already replaced the one
    /// that failed. One renewal at a time per source; a rotated refresh token is saved before it is used.
    /// </summary>
    private async Task RefreshAsync(string failedToken, CancellationToken ct)
    {
        await session.RefreshLock.WaitAsync(ct);
        try
        {
            if (!string.Equals(session.AccessToken, failedToken, StringComparison.Ordinal))
            {
                return;
            }

            SalesforceToken token;
            try
            {
                token = await RequestNewTokenAsync(ct);
            }
            catch (SalesforceOAuthException e) when (ReconnectErrors.Contains(e.Error))
            {
                var reason = $"Salesforce refused to renew the session ({e.Error}: {e.Description ?? "no description"}).";
                LogNeedsReconnect(logger, connection.SourceId, e.Error);
                await store.MarkNeedsReconnectAsync(connection.SourceId, reason, CancellationToken.None);
                throw new SalesforceReconnectRequiredException(connection.SourceId, reason, e);
            }

            var instance = SalesforceHosts.Validate(token.InstanceUrl);
            var rotated = token.RefreshToken is { Length: > 0 } fresh && !string.Equals(fresh, session.RefreshToken, StringComparison.Ordinal) ? fresh : null;
            if (connection.SourceId != Guid.Empty)
            {
                // Saved before anyone uses it: when the org voids the old refresh token, this is the only valid one.
                await store.SaveTokensAsync(connection.SourceId, token.AccessToken, rotated, instance, CancellationToken.None);
            }

            if (rotated is not null)
            {
                session.RefreshToken = rotated;
            }

            session.InstanceUrl = instance;
            session.AccessToken = token.AccessToken;
            LogRefreshed(logger, connection.SourceId, rotated is not null);
        }
        finally
        {
            session.RefreshLock.Release();
        }
    }

    private Task<SalesforceToken> RequestNewTokenAsync(CancellationToken ct)
    {
        if (session.RefreshToken is { Length: > 0 } refreshToken)
        {
            return oauth.RefreshAsync(connection.LoginHost, connection.ClientId, connection.ClientSecret, refreshToken, ct);
        }

        if (!string.IsNullOrEmpty(connection.JwtUsername) && !string.IsNullOrEmpty(connection.JwtPrivateKeyPem))
        {
            return oauth.JwtBearerAsync(connection.LoginHost, connection.ClientId, connection.JwtUsername, connection.JwtPrivateKeyPem, ct);
        }

        if (!string.IsNullOrEmpty(connection.ClientSecret))
        {
            return oauth.ClientCredentialsAsync(connection.LoginHost, connection.ClientId, connection.ClientSecret, ct);
        }

        throw new SalesforceReconnectRequiredException(connection.SourceId, "The session expired and the source has no refresh token, JWT key or client secret to renew it.");
    }

    private static string CheckName(string objectName)
        => ObjectName().IsMatch(objectName) ? objectName : throw new ArgumentException($"\"{objectName}\" is not a Salesforce object name.", nameof(objectName));

    private static string Instant(DateTimeOffset value)
        => Uri.EscapeDataString(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,79}$", RegexOptions.CultureInvariant)]
    private static partial Regex ObjectName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Salesforce session of source {SourceId} expired ({ErrorCode}); renewing it once")]
    private static partial void LogSessionExpired(ILogger logger, Guid sourceId, string errorCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renewed the Salesforce session of source {SourceId} (new refresh token: {Rotated})")]
    private static partial void LogRefreshed(ILogger logger, Guid sourceId, bool rotated);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the API usage of source {SourceId}; the read goes on")]
    private static partial void LogUsageNotSaved(ILogger logger, Guid sourceId, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Salesforce source {SourceId} needs reconnecting: renewal refused with {Error}")]
    private static partial void LogNeedsReconnect(ILogger logger, Guid sourceId, string error);

    /// <summary>Counts the bytes a deserializer reads, for the bytes-received metric.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Counted(int read)
        {
            BytesRead += read;
            return read;
        }
    }

    /// <summary>A pooled, growable byte buffer holding one page's response body.</summary>
    private sealed class PageBuffer : IDisposable
    {
        private byte[] bytes = [];
        private int length;

        public ReadOnlySpan<byte> Span => bytes.AsSpan(0, length);

        public async Task FillAsync(Stream stream, CancellationToken ct)
        {
            length = 0;
            if (bytes.Length == 0)
            {
                bytes = ArrayPool<byte>.Shared.Rent(1 << 20);
            }

            while (true)
            {
                if (length == bytes.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(bytes.Length * 2);
                    bytes.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(bytes);
                    bytes = bigger;
                }

                var read = await stream.ReadAsync(bytes.AsMemory(length), ct);
                if (read == 0)
                {
                    return;
                }

                length += read;
            }
        }

        public void Dispose()
        {
            if (bytes.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(bytes);
                bytes = [];
            }
        }
    }
}
