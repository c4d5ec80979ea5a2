using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>Creates per-connection <see cref="SalesforceClient"/>s over the resilient HttpClient of the call kind.</summary>
public sealed class SalesforceClientFactory(
    IHttpClientFactory httpClientFactory,
    ISalesforceConnectionStore store,
    ApiUsageMeter meter,
    SalesforceSessions sessions,
    SalesforceMetrics metrics,
    IOptions<SalesforceOptions> options,
    TimeProvider time,
    ILoggerFactory loggerFactory) : ISalesforceClientFactory
{
    public ISalesforceClient Create(SalesforceConnection connection, SalesforceCallKind kind = SalesforceCallKind.Background)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var oauth = new SalesforceOAuthClient(httpClientFactory.CreateClient(SalesforceOAuthClient.HttpClientName), time);
        var name = kind == SalesforceCallKind.Interactive
            ? SalesforceServiceCollectionExtensions.InteractiveClientName
            : SalesforceServiceCollectionExtensions.BackgroundClientName;
        return new SalesforceClient(
            httpClientFactory.CreateClient(name),
            connection,
            oauth,
            store,
            meter,
            sessions.For(connection),
            metrics,
            options.Value,
            time,
            loggerFactory.CreateLogger<SalesforceClient>());
    }
}
