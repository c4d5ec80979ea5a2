using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Salesforce;

/// <summary>The two HTTP policies: what a person waiting in the wizard sees, and what background calls count.</summary>
public sealed class SalesforceHttpPolicyTests : IClassFixture<SalesforceFaultDemoFixture>
{
    private readonly SalesforceFaultDemoFixture demo;

    public SalesforceHttpPolicyTests(SalesforceFaultDemoFixture demo)
    {
        this.demo = demo;
        demo.Org.Reset();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_untrusted_certificate_is_named_at_once_and_never_retried()
    {
        await using var server = await UntrustedTlsServer.StartAsync();
        var connection = await demo.ConnectAsync(Ct) with { InstanceUrl = server.Url };
        var client = demo.Factory.Create(connection, SalesforceCallKind.Interactive);

        var error = await Assert.ThrowsAsync<SalesforceHostException>(() => client.DescribeGlobalAsync(Ct));

        Assert.StartsWith($"The certificate of {server.Url.GetLeftPart(UriPartial.Authority)} is not trusted", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("inner exception", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_wizard_call_to_an_org_that_does_not_answer_gives_up_within_the_interactive_deadline()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var connection = await demo.ConnectAsync(Ct);
        await using var services = SalesforceDemoFixture.CreateClientServices(new() { ["Salesforce:Timeout"] = "00:02:00" }, clock);
        var client = services.GetRequiredService<ISalesforceClientFactory>().Create(connection, SalesforceCallKind.Interactive);
        demo.Org.SetResponseDelay(TimeSpan.FromMinutes(5));
        try
        {
            var call = client.DescribeGlobalAsync(Ct);
            await Eventually.TrueAsync(() => demo.Org.ResponsesDelayed > 0, "the call reaches the org");

            clock.Advance(TimeSpan.FromSeconds(9.5));
            await Task.WhenAny(call, Task.Delay(300, Ct));
            Assert.False(call.IsCompleted, "gave up before the interactive deadline");
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(10), Ct));

            Assert.True(call.IsCompleted, "still waiting after the interactive deadline");
            var error = await Assert.ThrowsAsync<SalesforceHostException>(() => call);
            Assert.Contains("did not answer in time", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            demo.Org.ClearFaults();
        }
    }

    [Fact]
    public async Task Counts_calls_retries_limit_refusals_and_bytes_on_its_meter()
    {
        var connection = await demo.ConnectAsync(Ct);
        await using var services = SalesforceDemoFixture.CreateClientServices(clock: demo.Clock);
        using var counters = new MeterCounters(services.GetRequiredService<IMeterFactory>(), SalesforceMetrics.MeterName);
        var client = services.GetRequiredService<ISalesforceClientFactory>().Create(connection);
        demo.Org.InjectFaults(503, 2);

        await client.GetLimitsAsync(Ct);
        demo.Org.SetRemainingApiCalls(0);
        await Assert.ThrowsAsync<SalesforceApiLimitExceededException>(() => client.DescribeGlobalAsync(Ct));

        Assert.Equal(2, demo.Org.FaultsServed);
        Assert.Equal(2, counters.Sum("unifyadmin.salesforce.retries"));
        // A call is what the client asked for; the two failed attempts inside it show as retries.
        Assert.Equal(1, counters.Sum("unifyadmin.salesforce.calls", ("http.response.status_code", 200)));
        Assert.Equal(1, counters.Sum("unifyadmin.salesforce.calls", ("http.response.status_code", 403)));
        Assert.Equal(1, counters.Sum("unifyadmin.salesforce.limit_refusals"));
        Assert.InRange(counters.Sum("unifyadmin.salesforce.bytes_received"), 100, 100_000);
    }

    /// <summary>A TLS endpoint whose certificate nobody trusts; counts the connections it accepted.</summary>
    private sealed class UntrustedTlsServer : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private readonly X509Certificate2 certificate;
        private int connections;
        private Task? loop;

        private UntrustedTlsServer()
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=untrusted.example", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        }

        public Uri Url => new($"https://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

        public int Connections => Volatile.Read(ref connections);

        public static Task<UntrustedTlsServer> StartAsync()
        {
            var server = new UntrustedTlsServer();
            server.listener.Start();
            server.loop = server.AcceptAsync();
            return Task.FromResult(server);
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient tcp;
                try
                {
                    tcp = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                Interlocked.Increment(ref connections);
                _ = Task.Run(async () =>
                {
                    using (tcp)
                    {
                        await using var tls = new SslStream(tcp.GetStream());
                        try
                        {
                            await tls.AuthenticateAsServerAsync(certificate);
                        }
                        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
                        {
                            // The client refused the certificate, as it should.
                        }
                    }
                });
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            if (loop is not null)
            {
                await loop;
            }

            certificate.Dispose();
            stop.Dispose();
        }
    }
}

/// <summary>Sums the long counters of one meter of one service provider (parallel tests have meters of their own).</summary>
public sealed class MeterCounters : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly List<(string Name, long Value, KeyValuePair<string, object?>[] Tags)> measurements = [];

    public MeterCounters(IMeterFactory factory, string meterName)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (measurements)
            {
                measurements.Add((instrument.Name, value, tags.ToArray()));
            }
        });
        listener.Start();
    }

    public long Sum(string name, params (string Key, object Value)[] tags)
    {
        lock (measurements)
        {
            return measurements
                .Where(m => m.Name == name && tags.All(t => m.Tags.Any(kv => kv.Key == t.Key && Equals(kv.Value, t.Value))))
                .Sum(m => m.Value);
        }
    }

    public void Dispose() => listener.Dispose();
}
