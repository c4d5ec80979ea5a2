using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Core.Segment;

/// <summary>
/// Sends batches to the Tracking API (<c>POST {base}/v1/batch</c>) with Segment's retry rules:
/// 429 waits for Retry-After, 408, 5xx and network errors back off exponentially with jitter, 413 splits
/// the batch in halves and sends each, 400 and rejected write keys fail at once. Every message ends up
/// accepted or failed with a reason.
/// </summary>
public sealed class SegmentTrackingClient(
    HttpClient http,
    IOptions<SegmentOptions> options,
    TimeProvider time,
    SegmentMetrics metrics,
    ILogger<SegmentTrackingClient> logger)
{
    private readonly SegmentOptions settings = options.Value;

    /// <summary>The library written into each message's context.</summary>
    public SegmentLibrary Library => new(settings.LibraryName, settings.LibraryVersion);

    /// <summary>A batcher configured with this client's budget and library.</summary>
    public SegmentBatcher CreateBatcher() => new(Library, settings.MaxBatchBytes, settings.MaxMessagesPerBatch);

    /// <summary>Packs and sends a list of messages; refused messages are reported failed and not sent.</summary>
    public async Task<SegmentSendResult> SendAsync(
        Uri trackingBase, string writeKey, IEnumerable<SegmentMessage> messages, CancellationToken cancellationToken)
    {
        var results = new List<SegmentSendResult>();
        using var batcher = CreateBatcher();
        foreach (var message in messages)
        {
            if (batcher.Add(message) is { } full)
            {
                using (full)
                {
                    results.Add(await SendBatchAsync(trackingBase, writeKey, full, cancellationToken));
                }
            }
        }

        if (batcher.Flush() is { } last)
        {
            using (last)
            {
                results.Add(await SendBatchAsync(trackingBase, writeKey, last, cancellationToken));
            }
        }

        results.Add(new SegmentSendResult([], batcher.TakeRefused()));
        return SegmentSendResult.Combine(results);
    }

    /// <summary>Sends one packed batch, retrying as Segment's libraries do. The caller disposes the batch.</summary>
    public async Task<SegmentSendResult> SendBatchAsync(
        Uri trackingBase, string writeKey, SegmentBatch batch, CancellationToken cancellationToken)
    {
        var uri = SegmentEndpoints.Combine(trackingBase, "v1/batch");
        var authorization = BasicAuthorization(writeKey);
        string lastReason = "not sent";
        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            TimeSpan wait;
            // On the app's clock, so tests move time instead of waiting for it.
            using var deadline = new CancellationTokenSource(settings.RequestTimeout, time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, uri);
                request.Headers.Authorization = authorization;
                var body = batch.Frame(time.GetUtcNow());
                request.Content = new ByteArrayContent(body.Array!, body.Offset, body.Count);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                metrics.BytesSent(body.Count);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                metrics.Call(status);
                if (response.IsSuccessStatusCode)
                {
                    return Accepted(batch);
                }

                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    return FailedAll(batch, $"Segment rejected the write key ({status}); check the profile space's write key.");
                }

                if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge)
                {
                    return await SendHalvesAsync(trackingBase, writeKey, batch, cancellationToken);
                }

                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    wait = RetryAfter.Read(response, time) ?? Backoff(attempt);
                    lastReason = "Segment rate limited the request (429)";
                    if (wait > settings.MaxRetryAfter)
                    {
                        return FailedAll(batch, $"{lastReason} and asked to wait {wait.TotalSeconds:N0} s, longer than the configured maximum.");
                    }
                }
                else if (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
                {
                    wait = Backoff(attempt);
                    lastReason = $"Segment answered {status} {response.ReasonPhrase}";
                }
                else
                {
                    // 400 means the body itself is wrong: sending it again cannot help.
                    var message = await ReadErrorMessageAsync(response, timeout.Token);
                    return FailedAll(batch, $"Segment rejected the batch ({status}): {message}");
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException or IOException)
            {
                wait = Backoff(attempt);
                metrics.CallFailed(ex is OperationCanceledException ? "timeout" : "network");
                lastReason = ex is OperationCanceledException
                    ? $"Segment did not answer within {settings.RequestTimeout.TotalSeconds:N0} s"
                    : $"network error: {ex.Message}";
            }

            if (attempt < settings.MaxAttempts)
            {
                logger.LogWarning("Segment batch of {Count} messages: attempt {Attempt} failed ({Reason}); retrying in {Wait} ms",
                    batch.Count, attempt, lastReason, (int)wait.TotalMilliseconds);
                metrics.Retry();
                await Task.Delay(wait, time, cancellationToken);
            }
        }

        return FailedAll(batch, $"Gave up after {settings.MaxAttempts} attempts: {lastReason}.");
    }

    /// <summary>413: the request was too large for Segment after all; send each half on its own.</summary>
    private async Task<SegmentSendResult> SendHalvesAsync(Uri trackingBase, string writeKey, SegmentBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Count < 2)
        {
            return FailedAll(batch, "Segment refused the message as too large (413), even alone; make its traits smaller.");
        }

        logger.LogWarning("Segment refused a batch of {Count} messages ({Bytes} bytes) as too large; sending it in two halves", batch.Count, batch.ByteCount);
        var (first, second) = batch.Split();
        using (first)
        using (second)
        {
            var results = new[]
            {
                await SendBatchAsync(trackingBase, writeKey, first, cancellationToken),
                await SendBatchAsync(trackingBase, writeKey, second, cancellationToken),
            };
            return SegmentSendResult.Combine(results);
        }
    }

    /// <summary>
    /// Checks that the tracking endpoint answers without writing anything: an empty batch is a
    /// valid request that carries no message. Returns the HTTP status, or null when unreachable.
    /// </summary>
    public async Task<(HttpStatusCode? Status, string? Error)> ProbeAsync(Uri trackingBase, string writeKey, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, SegmentEndpoints.Combine(trackingBase, "v1/batch"));
            request.Headers.Authorization = BasicAuthorization(writeKey);
            var body = "{\"batch\":[],\"sentAt\":\"" + time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture) + "\"}";
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            // On the app's clock, so tests move time instead of waiting for it.
            using var deadline = new CancellationTokenSource(settings.RequestTimeout, time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            using var response = await http.SendAsync(request, timeout.Token);
            metrics.Call((int)response.StatusCode);
            return (response.StatusCode, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return (null, ex is OperationCanceledException ? "timed out" : ex.Message);
        }
    }

    internal static AuthenticationHeaderValue BasicAuthorization(string user)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":")));

    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(settings.MaxBackoff.TotalMilliseconds, settings.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1));

        // Half fixed, half random: spreads retries of parallel senders without ever retrying at once.
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    private static SegmentSendResult Accepted(SegmentBatch batch)
    {
        var ids = new string[batch.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = batch.Entries[i].MessageId;
        }

        return new SegmentSendResult(ids, []);
    }

    private static SegmentSendResult FailedAll(SegmentBatch batch, string reason)
    {
        var failed = new SegmentFailure[batch.Count];
        for (var i = 0; i < failed.Length; i++)
        {
            failed[i] = new SegmentFailure(batch.Entries[i].MessageId, batch.Entries[i].RecordKey, reason);
        }

        return new SegmentSendResult([], failed);
    }

    /// <summary>The error's message, read under the request's own timeout: a body that never ends cannot hold the sender.</summary>
    private static async Task<string> ReadErrorMessageAsync(HttpResponseMessage response, CancellationToken timeout)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(timeout);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            return response.ReasonPhrase ?? "no reason given";
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw text.
        }

        return string.IsNullOrWhiteSpace(text) ? response.ReasonPhrase ?? "no reason given" : text.Length > 300 ? text[..300] : text;
    }
}
