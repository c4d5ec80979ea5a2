using System.Net;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>Base type of every error the Salesforce client raises.</summary>
public abstract class SalesforceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A REST API error in Salesforce's own words: HTTP status, <c>errorCode</c> and <c>message</c>.</summary>
public class SalesforceApiException(HttpStatusCode statusCode, string errorCode, string salesforceMessage)
    : SalesforceException($"Salesforce answered {(int)statusCode} {errorCode}: {salesforceMessage}")
{
    /// <summary>The HTTP status of the response.</summary>
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>Salesforce's error code, e.g. <c>INVALID_FIELD</c> or <c>MALFORMED_QUERY</c>.</summary>
    public string ErrorCode { get; } = errorCode;

    /// <summary>Salesforce's message, unchanged.</summary>
    public string SalesforceMessage { get; } = salesforceMessage;
}

/// <summary>
/// The org's rolling 24-hour API allowance is used up (403 <c>REQUEST_LIMIT_EXCEEDED</c>). Not retried:
/// stop the run and resume from the saved cursor later.
/// </summary>
public sealed class SalesforceApiLimitExceededException(string salesforceMessage, ApiUsage? usage)
    : SalesforceApiException(HttpStatusCode.Forbidden, "REQUEST_LIMIT_EXCEEDED", salesforceMessage)
{
    /// <summary>The last usage Salesforce reported with the refusal, when it sent one.</summary>
    public ApiUsage? Usage { get; } = usage;
}

/// <summary>An OAuth endpoint refused a request: <c>{"error","error_description"}</c>.</summary>
public sealed class SalesforceOAuthException(HttpStatusCode statusCode, string error, string? description)
    : SalesforceException($"Salesforce OAuth error {error}: {description ?? "no description"}")
{
    /// <summary>The HTTP status of the response.</summary>
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The OAuth <c>error</c> code, e.g. <c>invalid_grant</c>.</summary>
    public string Error { get; } = error;

    /// <summary>The OAuth <c>error_description</c>, when sent.</summary>
    public string? Description { get; } = description;

    /// <summary>True for <c>invalid_grant</c>: the grant (code, refresh token, assertion) is no longer valid.</summary>
    public bool IsInvalidGrant => string.Equals(Error, "invalid_grant", StringComparison.Ordinal);
}

/// <summary>The source's credentials no longer work; an admin must connect it again.</summary>
public sealed class SalesforceReconnectRequiredException(Guid sourceId, string reason, Exception? inner = null)
    : SalesforceException($"The Salesforce source {sourceId} must be reconnected: {reason}", inner)
{
    /// <summary>The source that needs reconnecting.</summary>
    public Guid SourceId { get; } = sourceId;

    /// <summary>Why, in words an admin can act on.</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// A Salesforce host is malformed, could not be reached, timed out, or did not answer like Salesforce.
/// </summary>
public sealed class SalesforceHostException(string host, string message, Exception? inner = null)
    : SalesforceException(message, inner)
{
    /// <summary>The host (scheme, name and port) the client tried to use.</summary>
    public string Host { get; } = host;
}
