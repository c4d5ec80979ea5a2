namespace UnifyAdmin.Core.Salesforce;

/// <summary>
/// The REST API of one connected org. Calls go to the token's instance URL; expired sessions are
/// refreshed once, API usage is reported to the <see cref="ISalesforceConnectionStore"/>, and errors
/// surface as <see cref="SalesforceException"/>s.
/// </summary>
public interface ISalesforceClient
{
    /// <summary>The source this client works for.</summary>
    Guid SourceId { get; }

    /// <summary>The instance URL calls currently go to.</summary>
    Uri InstanceUrl { get; }

    /// <summary>The REST API versions the org offers.</summary>
    Task<IReadOnlyList<SalesforceApiVersion>> GetVersionsAsync(CancellationToken ct = default);

    /// <summary>Every object of the org (describe global).</summary>
    Task<SalesforceDescribeGlobal> DescribeGlobalAsync(CancellationToken ct = default);

    /// <summary>One object's fields and properties.</summary>
    Task<SalesforceObjectDescribe> DescribeAsync(string objectName, CancellationToken ct = default);

    /// <summary>
    /// One object's describe, revalidated: with <paramref name="ifModifiedSince"/> (the <c>Last-Modified</c> of a cached
    /// describe) Salesforce answers 304 when nothing changed, and the result's <c>Describe</c> is null.
    /// </summary>
    async Task<SalesforceDescribeRevalidation> DescribeIfModifiedAsync(string objectName, DateTimeOffset? ifModifiedSince, CancellationToken ct = default)
        => new(await DescribeAsync(objectName, ct), null);

    /// <summary>Streams the live rows of a SOQL query across pages, one page in memory at a time.</summary>
    IAsyncEnumerable<SalesforceRecord> QueryAsync(string soql, int? batchSize = null, CancellationToken ct = default);

    /// <summary>Streams the rows of a SOQL query including soft-deleted ones (<c>IsDeleted = true</c>).</summary>
    IAsyncEnumerable<SalesforceRecord> QueryAllAsync(string soql, int? batchSize = null, CancellationToken ct = default);

    /// <summary>Streams a query page by page, with <c>totalSize</c> and the next page's locator.</summary>
    IAsyncEnumerable<SalesforceQueryPage> QueryPagesAsync(string soql, bool includeDeleted = false, int? batchSize = null, CancellationToken ct = default);

    /// <summary>Continues a query from a saved <c>nextRecordsUrl</c> (valid for about two days), page by page.</summary>
    IAsyncEnumerable<SalesforceQueryPage> QueryMoreAsync(string nextRecordsUrl, int? batchSize = null, CancellationToken ct = default);

    /// <summary>Runs a <c>SELECT COUNT() …</c> query and returns its <c>totalSize</c>.</summary>
    Task<long> CountAsync(string soql, bool includeDeleted = false, CancellationToken ct = default);

    /// <summary>The org's limits, e.g. <c>DailyApiRequests</c>.</summary>
    Task<IReadOnlyDictionary<string, SalesforceLimit>> GetLimitsAsync(CancellationToken ct = default);

    /// <summary>Ids of records of an object changed between two instants (at most 30 days back).</summary>
    Task<SalesforceUpdatedResult> GetUpdatedAsync(string objectName, DateTimeOffset start, DateTimeOffset end, CancellationToken ct = default);

    /// <summary>Records of an object deleted between two instants (about 15 days back).</summary>
    Task<SalesforceDeletedResult> GetDeletedAsync(string objectName, DateTimeOffset start, DateTimeOffset end, CancellationToken ct = default);
}

/// <summary>A describe, or null when Salesforce answered 304 Not Modified; <c>LastModified</c> as Salesforce sent it.</summary>
public sealed record SalesforceDescribeRevalidation(SalesforceObjectDescribe? Describe, DateTimeOffset? LastModified);

/// <summary>Creates an <see cref="ISalesforceClient"/> for one connection.</summary>
public interface ISalesforceClientFactory
{
    /// <summary>
    /// A client for the connection; it keeps the connection's tokens up to date itself. <paramref name="kind"/>
    /// picks the HTTP policy: a short overall deadline for calls a person waits for, patient retries otherwise.
    /// </summary>
    ISalesforceClient Create(SalesforceConnection connection, SalesforceCallKind kind = SalesforceCallKind.Background);
}

/// <summary>Conveniences for running <see cref="SoqlQuery"/>s.</summary>
public static class SalesforceClientExtensions
{
    /// <summary>Streams the live rows of a built query.</summary>
    public static IAsyncEnumerable<SalesforceRecord> QueryAsync(this ISalesforceClient client, SoqlQuery query, int? batchSize = null, CancellationToken ct = default)
        => client.QueryAsync(query.ToSoql(), batchSize, ct);

    /// <summary>Streams the rows of a built query including soft-deleted ones.</summary>
    public static IAsyncEnumerable<SalesforceRecord> QueryAllAsync(this ISalesforceClient client, SoqlQuery query, int? batchSize = null, CancellationToken ct = default)
        => client.QueryAllAsync(query.ToSoql(), batchSize, ct);
}
