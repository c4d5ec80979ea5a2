using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Core.Monitoring;

/// <summary>What a webhook receives: Slack-compatible <c>text</c> plus structured fields.</summary>
public sealed record WebhookMessage(string Text, string Title, string Message, string? Link, string State, string Kind, DateTimeOffset At);

/// <summary>A webhook as the settings page shows it (never its URL).</summary>
public sealed record WebhookSummary(Guid Id, string Name, string DisplayHost, bool Enabled, DateTimeOffset? LastDeliveredAt, string? LastError);

public sealed record WebhookResult(bool Succeeded, string Message);

/// <summary>
/// Alerts waiting for delivery. Enqueueing never waits: a full queue drops its oldest message, so a
/// slow or dead endpoint can never hold up a sync or an evaluation.
/// </summary>
public sealed class WebhookQueue
{
    private readonly Channel<(Guid EndpointId, WebhookMessage Message)> channel =
        Channel.CreateBounded<(Guid, WebhookMessage)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });

    public bool Enqueue(Guid endpointId, WebhookMessage message) => channel.Writer.TryWrite((endpointId, message));

    internal ChannelReader<(Guid EndpointId, WebhookMessage Message)> Reader => channel.Reader;
}

/// <summary>Posts one message to one URL, once, within the timeout.</summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<MonitoringOptions> options)
{
    public const string HttpClientName = "Monitoring.Webhooks";

    public async Task<WebhookResult> SendOnceAsync(string url, WebhookMessage message, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.WebhookTimeout);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).PostAsJsonAsync(url, message, timeout.Token);
            return response.IsSuccessStatusCode
                ? new WebhookResult(true, $"Delivered ({(int)response.StatusCode}).")
                : new WebhookResult(false, $"The endpoint answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new WebhookResult(false, $"The endpoint did not answer within {options.Value.WebhookTimeout.TotalSeconds:0} seconds.");
        }
        catch (HttpRequestException ex)
        {
            return new WebhookResult(false, $"The endpoint could not be reached ({ex.HttpRequestError}).");
        }
    }
}

/// <summary>Delivers queued alerts in the background, retrying with exponential backoff; a few deliveries run at once.</summary>
public sealed class WebhookDispatcher(
    WebhookQueue queue,
    WebhookSender sender,
    IDbContextFactory<AppDbContext> contexts,
    SecretProtector secrets,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim parallel = new(4);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (endpointId, message) in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await parallel.WaitAsync(stoppingToken);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await DeliverAsync(endpointId, message, stoppingToken);
                    }
                    finally
                    {
                        parallel.Release();
                    }
                }, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(Guid endpointId, WebhookMessage message, CancellationToken ct)
    {
        try
        {
            string? url;
            await using (var db = await contexts.CreateDbContextAsync(ct))
            {
                var endpoint = await db.Set<WebhookEndpoint>().AsNoTracking().FirstOrDefaultAsync(w => w.Id == endpointId && w.Enabled, ct);
                url = endpoint is null ? null : secrets.Unprotect(endpoint.UrlProtected);
            }

            if (url is null)
            {
                return;
            }

            var settings = options.Value;
            var delay = settings.WebhookFirstRetryDelay;
            WebhookResult result = new(false, "Not sent.");
            for (var attempt = 1; attempt <= settings.WebhookAttempts; attempt++)
            {
                result = await sender.SendOnceAsync(url, message, ct);
                if (result.Succeeded || attempt == settings.WebhookAttempts)
                {
                    break;
                }

                await Task.Delay(delay, time, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(5).Ticks));
            }

            await using (var db = await contexts.CreateDbContextAsync(ct))
            {
                var endpoint = await db.Set<WebhookEndpoint>().FirstOrDefaultAsync(w => w.Id == endpointId, ct);
                if (endpoint is not null)
                {
                    if (result.Succeeded)
                    {
                        endpoint.LastDeliveredAt = time.GetUtcNow();
                        endpoint.LastError = null;
                    }
                    else
                    {
                        endpoint.LastError = $"{time.GetUtcNow():u}: {result.Message}";
                    }

                    await db.SaveChangesAsync(ct);
                }
            }

            if (!result.Succeeded)
            {
                // The URL is a credential: name the endpoint by id, never by address.
                logger.LogWarning("Webhook {WebhookId} gave up after {Attempts} attempts: {Error}", endpointId, settings.WebhookAttempts, result.Message);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Delivering to webhook {WebhookId} failed", endpointId);
        }
    }
}

/// <summary>Adds, lists, removes and tests webhooks. Changes need an Admin.</summary>
public sealed class WebhookService(
    IDbContextFactory<AppDbContext> contexts,
    SecretProtector secrets,
    WebhookSender sender,
    TimeProvider time)
{
    public async Task<IReadOnlyList<WebhookSummary>> ListAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Set<WebhookEndpoint>().AsNoTracking().ToListAsync(ct);
        return rows.OrderBy(w => w.Name).Select(w => new WebhookSummary(w.Id, w.Name, w.DisplayHost, w.Enabled, w.LastDeliveredAt, w.LastError)).ToList();
    }

    /// <summary>Null when the URL can be used; otherwise why not.</summary>
    public static string? ValidateUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "Enter the webhook's URL.";
        }

        if (url.Length > 2000 || url.Any(char.IsWhiteSpace))
        {
            return "The URL must be a single address without spaces, at most 2,000 characters.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
        {
            return "The URL must be an absolute http:// or https:// address, e.g. https://hooks.example.com/alerts.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Put credentials in the URL's path or query, not before the host.";
        }

        return null;
    }

    public async Task<WebhookResult> AddAsync(string name, string url, CancellationToken ct)
    {
        if (!CurrentUser.Current.IsAdmin)
        {
            return new WebhookResult(false, "Only an Admin can add webhooks.");
        }

        if (ValidateUrl(url) is { } problem)
        {
            return new WebhookResult(false, problem);
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            return new WebhookResult(false, "Give the webhook a name of at most 100 characters.");
        }

        var uri = new Uri(url);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Add(new WebhookEndpoint
        {
            Id = Guid.NewGuid(),
            Name = name.Trim(),
            UrlProtected = secrets.Protect(url.Trim())!,
            DisplayHost = $"{uri.Scheme}://{uri.Authority}",
            CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        return new WebhookResult(true, "Webhook added.");
    }

    public async Task<WebhookResult> RemoveAsync(Guid id, CancellationToken ct)
    {
        if (!CurrentUser.Current.IsAdmin)
        {
            return new WebhookResult(false, "Only an Admin can remove webhooks.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var endpoint = await db.Set<WebhookEndpoint>().FirstOrDefaultAsync(w => w.Id == id, ct);
        if (endpoint is null)
        {
            return new WebhookResult(false, "This webhook no longer exists.");
        }

        db.Remove(endpoint);
        await db.SaveChangesAsync(ct);
        return new WebhookResult(true, "Webhook removed.");
    }

    /// <summary>Sends a test message now (once, no retries) and says what happened.</summary>
    public async Task<WebhookResult> TestAsync(Guid id, CancellationToken ct)
    {
        if (!CurrentUser.Current.IsAdmin)
        {
            return new WebhookResult(false, "Only an Admin can test webhooks.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var endpoint = await db.Set<WebhookEndpoint>().FirstOrDefaultAsync(w => w.Id == id, ct);
        if (endpoint is null)
        {
            return new WebhookResult(false, "This webhook no longer exists.");
        }

        var now = time.GetUtcNow();
        var message = new WebhookMessage(
            $"UnifyAdmin test message from {CurrentUser.Current.Name}: alerts reach this channel.",
            "Test message", "Alerts reach this channel.", null, "test", nameof(AlertKind.Test), now);
        var result = await sender.SendOnceAsync(secrets.Unprotect(endpoint.UrlProtected)!, message, ct);
        if (result.Succeeded)
        {
            endpoint.LastDeliveredAt = now;
            endpoint.LastError = null;
        }
        else
        {
            endpoint.LastError = $"{now:u}: {result.Message}";
        }

        await db.SaveChangesAsync(ct);
        return result;
    }
}
