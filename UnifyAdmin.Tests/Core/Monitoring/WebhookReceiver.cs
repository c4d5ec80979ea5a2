using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Monitoring;

/// <summary>A loopback endpoint that records what webhooks post to it; it can answer 500 or answer slowly.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly LoopbackHost host;

    private WebhookReceiver(LoopbackHost host) => this.host = host;

    public ConcurrentQueue<JsonElement> Received { get; } = new();

    /// <summary>Attempts of every kind, delivered or not.</summary>
    public int Attempts => attempts;

    public int FailWith { get; set; }

    public TimeSpan Delay { get; set; }

    private int attempts;

    public string Url => host.Url("/hook/secret-path-token");

    public static async Task<WebhookReceiver> StartAsync()
    {
        WebhookReceiver? receiver = null;
        var host = await LoopbackHost.StartAsync(_ => { }, app => app.MapPost("/hook/{token}", async (HttpContext context) =>
        {
            var self = receiver!;
            Interlocked.Increment(ref self.attempts);
            if (self.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(self.Delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return Results.StatusCode(499);
                }
            }

            if (self.FailWith != 0)
            {
                return Results.StatusCode(self.FailWith);
            }

            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
            self.Received.Enqueue(body);
            return Results.Ok();
        }));
        receiver = new WebhookReceiver(host);
        return receiver;
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();
}
