using System.Net;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Tests.Core.Sources;

public sealed class SourceConnectorMessageTests
{
    [Fact]
    public void A_salesforce_error_reads_as_one_sentence_without_a_repeated_prefix()
    {
        var message = SourceConnector.Describe(new SalesforceApiException(HttpStatusCode.NotFound, "NOT_FOUND", "The requested resource does not exist"));

        Assert.Equal("Salesforce answered 404 NOT_FOUND: The requested resource does not exist", message);
    }

    [Fact]
    public void The_limit_and_the_missing_permission_get_different_advice()
    {
        var limit = SourceConnector.Describe(new SalesforceApiLimitExceededException("TotalRequests Limit exceeded.", null));
        var disabled = SourceConnector.Describe(new SalesforceApiException(HttpStatusCode.Forbidden, "API_DISABLED_FOR_ORG", "The REST API is not enabled for this Organization."));

        Assert.Contains("REQUEST_LIMIT_EXCEEDED", limit);
        Assert.Contains("API_DISABLED_FOR_ORG", disabled);
        Assert.Contains("\"API Enabled\"", disabled);
    }
}
