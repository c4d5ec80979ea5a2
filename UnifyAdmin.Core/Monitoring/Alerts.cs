using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Monitoring;

/// <summary>Evaluates flow states from the database and raises or clears alerts. The engine may call it after each run.</summary>
public interface IFlowStateEvaluator
{
    /// <summary>Evaluates the flows of one source (e.g. right after its run).</summary>
    Task EvaluateAsync(Guid sourceId, CancellationToken ct = default);

    /// <summary>Evaluates every flow.</summary>
    Task EvaluateAllAsync(CancellationToken ct = default);
}

/// <summary>One alert condition as evaluated now.</summary>
internal sealed record AlertCondition(string Key, AlertKind Kind, bool Active, string Title, string Message, string? Link, string RecoveryMessage);

/// <summary>
/// Turns flow states into alerts: one notification (bell and webhooks) when a condition starts and one
/// recovery notice when it clears; nothing while it stays as it was, so a long outage is one alert.
/// </summary>
public sealed class AlertEvaluator(
    FlowStatusReader flows,
    IDbContextFactory<AppDbContext> contexts,
    WebhookQueue webhooks,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<AlertEvaluator> logger) : IFlowStateEvaluator
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public Task EvaluateAsync(Guid sourceId, CancellationToken ct = default) => RunAsync(sourceId, ct);

    public Task EvaluateAllAsync(CancellationToken ct = default) => RunAsync(null, ct);

    private async Task RunAsync(Guid? sourceId, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            var all = (await flows.ReadAsync(ct)).Where(f => f.IsEnabled && (sourceId is null || f.SourceId == sourceId)).ToList();
            await using var db = await contexts.CreateDbContextAsync(ct);
            var mappingIds = all.Select(f => f.MappingId).ToList();
            var rules = await db.Set<AlertRule>().AsNoTracking().Where(r => mappingIds.Contains(r.MappingId)).ToListAsync(ct);
            var conditions = Conditions(all, rules, options.Value)
                .GroupBy(c => c.Key)
                .Select(g => g.OrderByDescending(c => c.Active).First())
                .ToList();

            var keys = conditions.Select(c => c.Key).ToList();
            var states = await db.Set<AlertState>().Where(s => keys.Contains(s.Key)).ToDictionaryAsync(s => s.Key, ct);
            var now = time.GetUtcNow();
            var raised = new List<Notification>();
            foreach (var condition in conditions)
            {
                if (!states.TryGetValue(condition.Key, out var state))
                {
                    state = new AlertState { Key = condition.Key, Kind = condition.Kind, Active = false, ChangedAt = now };
                    db.Add(state);
                }

                if (state.Active == condition.Active)
                {
                    continue;
                }

                state.Active = condition.Active;
                state.ChangedAt = now;
                state.Message = condition.Message;
                raised.Add(new Notification
                {
                    At = now,
                    Kind = condition.Kind,
                    Recovery = !condition.Active,
                    Title = condition.Active ? condition.Title : $"Recovered: {condition.Title}",
                    Message = condition.Active ? condition.Message : condition.RecoveryMessage,
                    Link = condition.Link,
                });
            }

            db.AddRange(raised);
            await db.SaveChangesAsync(ct);
            if (raised.Count > 0)
            {
                var endpoints = await db.Set<WebhookEndpoint>().AsNoTracking().Where(w => w.Enabled).Select(w => w.Id).ToListAsync(ct);
                foreach (var n in raised)
                {
                    var message = ToWebhook(n, options.Value.PublicUrl);
                    foreach (var endpoint in endpoints)
                    {
                        webhooks.Enqueue(endpoint, message);
                    }
                }

                logger.LogInformation("Alerts: {Count} change(s) of state notified", raised.Count);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    internal static WebhookMessage ToWebhook(Notification n, string? publicUrl)
    {
        var link = n.Link is null ? null : string.IsNullOrWhiteSpace(publicUrl) ? n.Link : new Uri(new Uri(publicUrl), n.Link).ToString();
        var icon = n.Recovery ? "✅" : "⚠️";
        var text = $"{icon} UnifyAdmin: {n.Title}. {n.Message}" + (link is null ? "" : $" {link}");
        return new WebhookMessage(text, n.Title, n.Message, link, n.Recovery ? "resolved" : "firing", n.Kind.ToString(), n.At);
    }

    private static IEnumerable<AlertCondition> Conditions(IReadOnlyList<FlowSummary> all, IReadOnlyList<AlertRule> rules, MonitoringOptions settings)
    {
        AlertRule? Rule(FlowSummary f, AlertKind kind) => rules.FirstOrDefault(r => r.MappingId == f.MappingId && r.Kind == kind);
        bool On(FlowSummary f, AlertKind kind) => Rule(f, kind)?.Enabled ?? true;

        foreach (var f in all)
        {
            var runLink = f.LastRunId is null ? null : $"/sync-runs/{f.LastRunId}";
            if (On(f, AlertKind.RunFailed))
            {
                yield return new AlertCondition(
                    $"{AlertKind.RunFailed}:{f.SourceId}", AlertKind.RunFailed, f.LastRunState == Sync.SyncRunState.Failed,
                    $"Sync run failed for {f.SourceName}", $"The last run failed: {f.LastRunReason ?? "no reason recorded"}.", runLink,
                    $"Runs of {f.SourceName} finish again.");
            }

            if (On(f, AlertKind.PausedByDrift))
            {
                yield return new AlertCondition(
                    $"{AlertKind.PausedByDrift}:{f.MappingId}", AlertKind.PausedByDrift, f.PausedByDrift,
                    $"{f.Title} paused by schema drift", f.DriftReason ?? "The mapping was paused because the collection's schema changed.", $"/mappings/{f.MappingId}",
                    $"{f.Title} is no longer paused.");
            }

            if (On(f, AlertKind.ApiBudgetReached))
            {
                yield return new AlertCondition(
                    $"{AlertKind.ApiBudgetReached}:{f.SourceId}", AlertKind.ApiBudgetReached,
                    f.ApiBudgetReached || (f.LastRunState == Sync.SyncRunState.Paused && !f.PausedByDrift),
                    $"API budget or limit reached for {f.SourceName}",
                    "Syncs of this org are paused until its API usage falls below the budget, or raise the budget on the source.", $"/sources/{f.SourceId}",
                    $"{f.SourceName} is within its API budget again.");
            }

            if (On(f, AlertKind.NeedsReconnect))
            {
                yield return new AlertCondition(
                    $"{AlertKind.NeedsReconnect}:{f.SourceId}", AlertKind.NeedsReconnect, f.State == FlowState.NeedsReconnect,
                    $"{f.SourceName} needs reconnecting", "Salesforce refused the saved sign-in. Open the source and choose Reconnect.", $"/sources/{f.SourceId}",
                    $"{f.SourceName} is connected again.");
            }

            var failedRule = Rule(f, AlertKind.FailedRecordsAbove);
            if (failedRule?.Enabled ?? true)
            {
                var threshold = failedRule?.ThresholdPercent ?? settings.FailedRecordsPercent;
                yield return new AlertCondition(
                    $"{AlertKind.FailedRecordsAbove}:{f.MappingId}", AlertKind.FailedRecordsAbove, f.LastRunFailedPercent > threshold,
                    $"{f.Title}: failed records above {threshold:0.#}%",
                    $"{f.LastRunFailedPercent:0.#}% of the last run's records failed.", runLink,
                    $"Failed records of {f.Title} are back under {threshold:0.#}%.");
            }

            var discrepancyRule = Rule(f, AlertKind.DiscrepancyAbove);
            if (discrepancyRule?.Enabled ?? true)
            {
                var threshold = discrepancyRule?.ThresholdPercent ?? settings.DiscrepancyPercent;
                yield return new AlertCondition(
                    $"{AlertKind.DiscrepancyAbove}:{f.MappingId}", AlertKind.DiscrepancyAbove, f.DiscrepancyPercent > threshold,
                    $"{f.Title}: discrepancy above {threshold:0.#}%",
                    $"{f.DiscrepancyPercent:0.#}% of sampled profiles differ from Salesforce.", "/monitoring/discrepancies",
                    $"Discrepancies of {f.Title} are back under {threshold:0.#}%.");
            }
        }
    }
}

/// <summary>Evaluates every flow on a timer, so alerts follow the database without engine code.</summary>
public sealed class AlertEvaluationService(IFlowStateEvaluator evaluator, IOptions<MonitoringOptions> options, TimeProvider time, ILogger<AlertEvaluationService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EvaluateInterval, time);
        do
        {
            try
            {
                await evaluator.EvaluateAllAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Evaluating flow states failed");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>One rule row for the settings page: a flow, a kind, on or off, a threshold.</summary>
public sealed record AlertRuleView(Guid MappingId, string FlowTitle, AlertKind Kind, bool Enabled, double? ThresholdPercent);

/// <summary>Reads and changes alert rules (changes need an Admin).</summary>
public sealed class AlertRuleService(IDbContextFactory<AppDbContext> contexts, FlowStatusReader flows, IOptions<MonitoringOptions> options)
{
    public static readonly AlertKind[] Kinds =
        [AlertKind.RunFailed, AlertKind.PausedByDrift, AlertKind.ApiBudgetReached, AlertKind.NeedsReconnect, AlertKind.FailedRecordsAbove, AlertKind.DiscrepancyAbove];

    public static bool HasThreshold(AlertKind kind) => kind is AlertKind.FailedRecordsAbove or AlertKind.DiscrepancyAbove;

    public static string Describe(AlertKind kind) => kind switch
    {
        AlertKind.RunFailed => "Run failed",
        AlertKind.PausedByDrift => "Mapping paused by schema drift",
        AlertKind.ApiBudgetReached => "API budget or limit reached",
        AlertKind.NeedsReconnect => "Source needs reconnect",
        AlertKind.FailedRecordsAbove => "Failed records above X% of a run",
        AlertKind.DiscrepancyAbove => "Discrepancy above Y%",
        _ => kind.ToString(),
    };

    public async Task<IReadOnlyList<AlertRuleView>> ListAsync(CancellationToken ct)
    {
        var all = await flows.ReadAsync(ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rules = await db.Set<AlertRule>().AsNoTracking().ToListAsync(ct);
        return all.SelectMany(f => Kinds.Select(kind =>
        {
            var rule = rules.FirstOrDefault(r => r.MappingId == f.MappingId && r.Kind == kind);
            return new AlertRuleView(f.MappingId, f.Title, kind, rule?.Enabled ?? true,
                HasThreshold(kind) ? rule?.ThresholdPercent ?? Default(kind) : null);
        })).ToList();
    }

    private double Default(AlertKind kind) => kind == AlertKind.FailedRecordsAbove ? options.Value.FailedRecordsPercent : options.Value.DiscrepancyPercent;

    public async Task<WebhookResult> SetAsync(Guid mappingId, AlertKind kind, bool enabled, double? thresholdPercent, CancellationToken ct)
    {
        if (!CurrentUser.Current.IsAdmin)
        {
            return new WebhookResult(false, "Only an Admin can change alert rules.");
        }

        if (thresholdPercent is < 0 or > 100)
        {
            return new WebhookResult(false, "A threshold is a percentage between 0 and 100.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var rule = await db.Set<AlertRule>().FirstOrDefaultAsync(r => r.MappingId == mappingId && r.Kind == kind, ct);
        if (rule is null)
        {
            rule = new AlertRule { Id = Guid.NewGuid(), MappingId = mappingId, Kind = kind };
            db.Add(rule);
        }

        rule.Enabled = enabled;
        rule.ThresholdPercent = HasThreshold(kind) ? thresholdPercent ?? Default(kind) : null;
        await db.SaveChangesAsync(ct);
        return new WebhookResult(true, "Alert rule saved.");
    }
}

/// <summary>
/// The bell: recent notifications and, per user, how many are unread. Each user has a "read up to"
/// marker, so one user opening the notifications leaves them unread for everyone else.
/// </summary>
public sealed class NotificationService(IDbContextFactory<AppDbContext> contexts, TimeProvider time)
{
    /// <summary>Raised with the user's id after that user's marker moved, so their open bells update at once.</summary>
    public event Action<string>? Read;

    /// <summary>How many notifications the user has not seen; everything counts for a user without an id.</summary>
    public async Task<int> UnreadCountAsync(string? userId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var readUpTo = await ReadUpToAsync(db, userId, ct);
        return await db.Set<Notification>().CountAsync(n => n.Id > readUpTo, ct);
    }

    public async Task<IReadOnlyList<Notification>> RecentAsync(int take, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<Notification>().AsNoTracking().OrderByDescending(n => n.Id).Take(take).ToListAsync(ct);
    }

    /// <summary>The id of the newest notification the user has read (0 for none).</summary>
    public async Task<long> ReadUpToAsync(string? userId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await ReadUpToAsync(db, userId, ct);
    }

    /// <summary>
    /// Marks the notifications up to <paramref name="upToId"/> (the newest one the user was shown) read for that
    /// user only. Reading is not a change of configuration: Viewers may.
    /// </summary>
    public async Task MarkReadAsync(string? userId, long upToId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(userId) || upToId <= 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var marker = await db.Set<NotificationReadMarker>().FirstOrDefaultAsync(r => r.UserId == userId, ct);
        if (marker is null)
        {
            db.Add(new NotificationReadMarker { UserId = userId, LastReadId = upToId, ReadAt = time.GetUtcNow() });
        }
        else if (marker.LastReadId < upToId)
        {
            // Two tabs may mark at once: the marker only moves forward.
            marker.LastReadId = upToId;
            marker.ReadAt = time.GetUtcNow();
        }
        else
        {
            return;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (marker is null)
        {
            // Another tab of the same user added the marker first; theirs covers what this one would.
        }

        Read?.Invoke(userId);
    }

    private static async Task<long> ReadUpToAsync(AppDbContext db, string? userId, CancellationToken ct)
        => string.IsNullOrEmpty(userId)
            ? 0
            : await db.Set<NotificationReadMarker>().Where(r => r.UserId == userId).Select(r => (long?)r.LastReadId).FirstOrDefaultAsync(ct) ?? 0;
}
