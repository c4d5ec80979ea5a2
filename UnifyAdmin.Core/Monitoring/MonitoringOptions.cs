using Microsoft.Extensions.Options;

namespace UnifyAdmin.Core.Monitoring;

/// <summary>Settings of the monitoring (section <c>Monitoring</c>).</summary>
public sealed class MonitoringOptions
{
    public const string SectionName = "Monitoring";

    /// <summary>How often flow states are evaluated for alerts.</summary>
    public TimeSpan EvaluateInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Default X of "failed records above X% of a run".</summary>
    public double FailedRecordsPercent { get; set; } = 10;

    /// <summary>Default Y of "discrepancy above Y%".</summary>
    public double DiscrepancyPercent { get; set; } = 5;

    /// <summary>The app's public address, for links in webhook messages; relative links without it.</summary>
    public string? PublicUrl { get; set; }

    public int WebhookAttempts { get; set; } = 4;

    public TimeSpan WebhookFirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Records sampled per flow by a discrepancy check.</summary>
    public int DiscrepancySampleSize { get; set; } = 100;

    /// <summary>Time between scheduled discrepancy checks of each flow; zero turns the schedule off.</summary>
    public TimeSpan DiscrepancyInterval { get; set; } = TimeSpan.FromDays(1);
}

internal sealed class MonitoringOptionsValidator : IValidateOptions<MonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitoringOptions o)
    {
        var errors = new List<string>();
        if (o.EvaluateInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("Monitoring:EvaluateInterval must be at least one second.");
        }

        if (o.FailedRecordsPercent is < 0 or > 100 || o.DiscrepancyPercent is < 0 or > 100)
        {
            errors.Add("Monitoring:FailedRecordsPercent and Monitoring:DiscrepancyPercent must be between 0 and 100.");
        }

        if (o.WebhookAttempts is < 1 or > 20)
        {
            errors.Add("Monitoring:WebhookAttempts must be between 1 and 20.");
        }

        if (o.WebhookTimeout <= TimeSpan.Zero || o.WebhookFirstRetryDelay < TimeSpan.Zero)
        {
            errors.Add("Monitoring:WebhookTimeout must be positive and Monitoring:WebhookFirstRetryDelay not negative.");
        }

        if (o.DiscrepancySampleSize is < 1 or > 10_000)
        {
            errors.Add("Monitoring:DiscrepancySampleSize must be between 1 and 10000.");
        }

        if (o.DiscrepancyInterval < TimeSpan.Zero)
        {
            errors.Add("Monitoring:DiscrepancyInterval must not be negative.");
        }

        if (!string.IsNullOrWhiteSpace(o.PublicUrl) && !Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out _))
        {
            errors.Add("Monitoring:PublicUrl must be an absolute URL.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
