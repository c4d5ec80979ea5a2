using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>Creates per-connection <see cref="SalesforceClient"/>s over the resilient <c>Salesforce.Api</c> HttpClient.</summary>
public sealed class SalesforceClientFactory(
    IHttpClientFactory httpClientFactory,
    ISalesforceConnectionStore store,
    ApiUsageMeter meter,
    IOptions<SalesforceOptions> options,
    TimeProvider time,
    ILoggerFactory loggerFactory) : ISalesforceClientFactory
{
    /// <summary>Name of the HttpClient REST calls use.</summary>
    public const string HttpClientName = "Salesforce.Api";

    public ISalesforceClient Create(SalesforceConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var oauth = new SalesforceOAuthClient(httpClientFactory.CreateClient(SalesforceOAuthClient.HttpClientName), time);
        return new SalesforceClient(
            httpClientFactory.CreateClient(HttpClientName),
            connection,
            oauth,
            store,
            meter,
            options.Value,
            loggerFactory.CreateLogger<SalesforceClient>());
    }
}
