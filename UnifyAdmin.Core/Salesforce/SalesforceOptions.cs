using Microsoft.Extensions.Options;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>Settings of the Salesforce client (section <c>Salesforce</c>).</summary>
public sealed class SalesforceOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Salesforce";

    /// <summary>REST API version used when a connection does not name one, without the leading "v".</summary>
    public string ApiVersion { get; set; } = "64.0";

    /// <summary>Retries after a 5xx, a timeout or a network error. 4xx answers are never retried.</summary>
    public int RetryCount { get; set; } = 4;

    /// <summary>Delay before the first retry; it doubles for each further one.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time allowed for one attempt of one request, response body included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Deadline of one background call, retries and their waits included.</summary>
    public TimeSpan CallDeadline { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Deadline of one call a person waits for (the wizard, Selective Sync, a token exchange), retries included:
    /// an unreachable org is reported within this time rather than after minutes of retries.
    /// </summary>
    public TimeSpan InteractiveDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Background calls stop for this long after most recent calls of the org failed (circuit breaker).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>API usage from <c>Sforce-Limit-Info</c> is written to the database at most this often per source.</summary>
    public TimeSpan ApiUsageSaveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rows per query page asked for with <c>Sforce-Query-Options</c> (200–2,000); null leaves it to Salesforce.</summary>
    public int? QueryBatchSize { get; set; } = 2000;
}

/// <summary>Stops the app at start with a message naming the bad <c>Salesforce</c> setting.</summary>
public sealed class SalesforceOptionsValidator : IValidateOptions<SalesforceOptions>
{
    public ValidateOptionsResult Validate(string? name, SalesforceOptions options)
    {
        var failures = new List<string>();
        if (!System.Text.RegularExpressions.Regex.IsMatch(options.ApiVersion ?? "", @"^\d{2,3}\.0$"))
        {
            failures.Add($"{SalesforceOptions.SectionName}:{nameof(options.ApiVersion)} must look like \"64.0\".");
        }

        if (options.RetryCount is < 0 or > 10)
        {
            failures.Add($"{SalesforceOptions.SectionName}:{nameof(options.RetryCount)} must be between 0 and 10.");
        }

        if (options.RetryBaseDelay < TimeSpan.FromMilliseconds(1) || options.RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{SalesforceOptions.SectionName}:{nameof(options.RetryBaseDelay)} must be between 1 ms and 1 minute.");
        }

        if (options.Timeout < TimeSpan.FromMilliseconds(10) || options.Timeout > TimeSpan.FromMinutes(30))
        {
            failures.Add($"{SalesforceOptions.SectionName}:{nameof(options.Timeout)} must be between 10 ms and 30 minutes.");
        }

        if (options.CallDeadline < options.Timeout || options.CallDeadline > TimeSpan.FromHours(1))
        {
            failures.Add($"{SalesforceOptions.SectionName}:{nameof(options.CallDeadline)} must be at least {nameof(options.Timeout)} and at most 1 hour.");
        }

        if (options.InteractiveDeadline < TimeSpan.FromMilliseconds(10) || options.InteractiveDeadline > TimeSpan.FromMinutes(2))
        {
            failures.Add($"{SalesforceOptions.SectionName}:{nameof(options.InteractiveDeadline)} must be between 10 ms and 2 minutes.");
        }

        if (options.BreakDuration < TimeSpan.FromMilliseconds(500) || options.BreakDuration > TimeSpan.FromHours(1))
        {
            failures.Add($"{SalesforceOptions.SectionName}:{nameof(options.BreakDuration)} must be between 0.5 seconds and 1 hour.");
        }

        if (options.ApiUsageSaveInterval < TimeSpan.Zero || options.ApiUsageSaveInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{SalesforceOptions.SectionName}:{nameof(options.ApiUsageSaveInterval)} must be between 0 and 1 hour.");
        }

        if (options.QueryBatchSize is { } size && (size < 200 || size > 2000))
        {
            failures.Add($"{SalesforceOptions.SectionName}:{nameof(options.QueryBatchSize)} must be between 200 and 2000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
