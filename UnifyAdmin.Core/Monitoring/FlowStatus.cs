using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Core.Sync;

namespace UnifyAdmin.Core.Monitoring;

/// <summary>The state of a flow, worst first.</summary>
public enum FlowState
{
    NeedsReconnect,
    RunFailed,
    Paused,
    FailingRecords,
    NotYetRun,
    Healthy,
    Disabled,
}

/// <summary>One flow (source → model → mapping → space) as the dashboard and the alerts see it.</summary>
public sealed record FlowSummary(
    Guid MappingId,
    Guid SourceId,
    string SourceName,
    string ModelName,
    string Collection,
    MappingAction Action,
    string DestinationName,
    string SpaceName,
    FlowState State,
    string StateText,
    string? FixLink,
    string? FixLabel,
    Guid? LastRunId,
    DateTimeOffset? LastRunAt,
    SyncRunState? LastRunState,
    string? LastRunReason,
    long Synced24h,
    long Synced7d,
    long Failed7d,
    long OpenErrors,
    double? LastRunFailedPercent,
    bool PausedByDrift,
    string? DriftReason,
    bool ApiBudgetReached,
    double? DiscrepancyPercent,
    DateTimeOffset? NextRunAt = null,
    string? NotScheduledReason = null)
{
    public string Title => $"{SourceName} → {ModelName} → {Action} → {SpaceName}";

    /// <summary>Failed share of the last 7 days' records, in percent; null without records.</summary>
    public double? ErrorRate => Synced7d + Failed7d == 0 ? null : 100.0 * Failed7d / (Synced7d + Failed7d);

    public bool IsEnabled => State != FlowState.Disabled;
}

/// <summary>Reads every flow's state from the database (no engine code needed): the dashboard's cards and the alerts' input.</summary>
/// <remarks>With the scheduler registered, each enabled flow also carries its source's next scheduled run.</remarks>
public sealed class FlowStatusReader(IDbContextFactory<AppDbContext> contexts, TimeProvider time, SyncScheduler? scheduler = null)
{
    public async Task<IReadOnlyList<FlowSummary>> ReadAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        var since24h = now.AddHours(-24);
        var since7d = now.AddDays(-7);

        var flows = await (
            from m in db.Mappings.AsNoTracking()
            join model in db.Models on m.ModelId equals model.Id
            join source in db.Sources on model.SourceId equals source.Id
            join destination in db.Destinations on m.DestinationId equals destination.Id
            select new
            {
                Mapping = m,
                model.Name,
                model.Collection,
                Source = new { source.Id, source.Name, source.Enabled, source.ConnectionState, source.ConnectionProblem, source.ApiUsed, source.ApiAllowed, source.ApiBudgetPercent },
                Destination = new { destination.Name, destination.Enabled },
            }).ToListAsync(ct);
        if (flows.Count == 0)
        {
            return [];
        }

        var spaceIds = flows.Select(f => f.Mapping.ProfileSpaceId).Distinct().ToList();
        var spaces = await db.Set<Destinations.ProfileSpace>().AsNoTracking().Where(s => spaceIds.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.Name, ct);

        var lastRuns = new Dictionary<Guid, SyncRun>();
        foreach (var sourceId in flows.Select(f => f.Source.Id).Distinct())
        {
            var run = await db.SyncRuns.AsNoTracking().Where(r => r.SourceId == sourceId && r.State != SyncRunState.Running)
                .OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(ct);
            if (run is not null)
            {
                lastRuns[sourceId] = run;
            }
        }

        var totals = await (
            from rm in db.SyncRunMappings
            join r in db.SyncRuns on rm.RunId equals r.Id
            where r.StartedAt >= since7d
            group new { rm.Accepted, rm.Failed, Recent = r.StartedAt >= since24h ? rm.Accepted : 0 } by rm.MappingId into g
            select new { MappingId = g.Key, Accepted = g.Sum(x => x.Accepted), Failed = g.Sum(x => x.Failed), Recent = g.Sum(x => x.Recent) })
            .ToDictionaryAsync(x => x.MappingId, ct);

        var nextRuns = new Dictionary<Guid, DateTimeOffset?>();
        if (scheduler is not null)
        {
            foreach (var sourceId in flows.Where(f => f.Source.Enabled).Select(f => f.Source.Id).Distinct())
            {
                nextRuns[sourceId] = await scheduler.NextRunAsync(sourceId, ct);
            }
        }

        var result = new List<FlowSummary>(flows.Count);
        foreach (var f in flows)
        {
            var m = f.Mapping;
            var openErrors = await db.RecordErrors.CountAsync(e => e.MappingId == m.Id && e.State == RecordErrorState.Open, ct);
            var lastOfMapping = await (
                from rm in db.SyncRunMappings
                join r in db.SyncRuns on rm.RunId equals r.Id
                where rm.MappingId == m.Id && r.State != SyncRunState.Running
                orderby r.StartedAt descending
                select new { rm.Accepted, rm.Failed }).FirstOrDefaultAsync(ct);
            var discrepancy = await db.Set<DiscrepancyCheck>().AsNoTracking()
                .Where(c => c.MappingId == m.Id && c.FinishedAt != null && c.MatchPercent != null)
                .OrderByDescending(c => c.StartedAt).Select(c => c.MatchPercent).FirstOrDefaultAsync(ct);

            lastRuns.TryGetValue(f.Source.Id, out var lastRun);
            totals.TryGetValue(m.Id, out var total);
            var budget = f.Source.ApiAllowed is > 0 && f.Source.ApiUsed is not null
                && f.Source.ApiUsed >= f.Source.ApiAllowed * f.Source.ApiBudgetPercent / 100.0;
            double? failedPercent = lastOfMapping is null || lastOfMapping.Accepted + lastOfMapping.Failed == 0
                ? null
                : 100.0 * lastOfMapping.Failed / (lastOfMapping.Accepted + lastOfMapping.Failed);

            var (state, text, link, label) = Classify(
                m, f.Source.Enabled, f.Destination.Enabled, f.Source.ConnectionState, f.Source.ConnectionProblem,
                f.Source.Id, lastRun, budget, openErrors, lastOfMapping?.Failed ?? 0);

            result.Add(new FlowSummary(
                m.Id, f.Source.Id, f.Source.Name, f.Name, f.Collection, m.Action, f.Destination.Name,
                spaces.GetValueOrDefault(m.ProfileSpaceId, "(removed space)"),
                state, text, link, label,
                lastRun?.Id, lastRun?.StartedAt, lastRun?.State, lastRun?.Reason,
                total?.Recent ?? 0, total?.Accepted ?? 0, total?.Failed ?? 0, openErrors, failedPercent,
                m.PausedReason is not null, m.PausedReason, budget,
                discrepancy is null ? null : 100.0 - discrepancy.Value,
                state == FlowState.Disabled ? null : nextRuns.GetValueOrDefault(f.Source.Id),
                NotScheduled(state, f.Source.Enabled, f.Destination.Enabled, nextRuns.GetValueOrDefault(f.Source.Id))));
        }

        return result.OrderBy(r => r.State).ThenBy(r => r.Title, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Why a flow has no next run, in words; null when it has one.</summary>
    private static string? NotScheduled(FlowState state, bool sourceEnabled, bool destinationEnabled, DateTimeOffset? next)
    {
        if (state == FlowState.Disabled)
        {
            // The source's job may still fire for its other flows; this one sends nothing until all three switches are on.
            return !sourceEnabled ? "the source is switched off"
                : !destinationEnabled ? "the destination is switched off"
                : "the mapping is switched off";
        }

        return next is null ? "the source has no schedule yet; save its sync settings to create one" : null;
    }

    private static (FlowState, string, string?, string?) Classify(
        Mapping m, bool sourceEnabled, bool destinationEnabled, SourceConnectionState connection, string? problem,
        Guid sourceId, SyncRun? lastRun, bool budgetReached, long openErrors, long lastFailed)
    {
        if (!sourceEnabled || !destinationEnabled || !m.Enabled)
        {
            var off = !sourceEnabled ? "the source" : !destinationEnabled ? "the destination" : "the mapping";
            return (FlowState.Disabled, $"Disabled: {off} is switched off.", null, null);
        }

        if (connection == SourceConnectionState.NeedsReconnect)
        {
            return (FlowState.NeedsReconnect, problem ?? "Salesforce refused the saved sign-in. Reconnect the source.", $"/sources/{sourceId}", "Reconnect");
        }

        if (lastRun?.State == SyncRunState.Failed)
        {
            return (FlowState.RunFailed, $"The last run failed: {lastRun.Reason ?? "no reason recorded"}", $"/sync-runs/{lastRun.Id}", "Open the run");
        }

        if (m.PausedReason is not null)
        {
            return (FlowState.Paused, $"Paused (schema drift): {m.PausedReason}", $"/mappings/{m.Id}", "Review the mapping");
        }

        if (budgetReached)
        {
            return (FlowState.Paused, "Paused (API budget): the syncs used their share of the org's daily API allowance.", $"/sources/{sourceId}", "Adjust the budget");
        }

        if (lastRun?.State == SyncRunState.Paused)
        {
            return (FlowState.Paused, $"Paused (API limit): {lastRun.Reason ?? "the run stopped at a checkpoint"}", $"/sync-runs/{lastRun.Id}", "Open the run");
        }

        if (openErrors > 0 || lastFailed > 0)
        {
            return (FlowState.FailingRecords, $"{Math.Max(openErrors, lastFailed):N0} record(s) failing.", lastRun is null ? null : $"/sync-runs/{lastRun.Id}", "See the errors");
        }

        return lastRun is null
            ? (FlowState.NotYetRun, "Waiting for its first run.", null, null)
            : (FlowState.Healthy, "Healthy.", null, null);
    }
}
