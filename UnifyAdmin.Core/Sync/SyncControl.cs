using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Core.Sync;

/// <summary>What the Enable source switch shows: state, schedule, and why a flow cannot run yet.</summary>
public sealed record SourceSyncState(bool Enabled, int IntervalMinutes, string? Cron, IReadOnlyList<string> Blockers, bool NeedsReconnect);

/// <summary>What a mapping's status switch shows.</summary>
public sealed record MappingSyncState(bool Enabled, string? PausedReason, IReadOnlyList<string> Blockers, string? CursorText, bool InitialSyncDone);

/// <summary>Segment's API-usage warning with real numbers: the initial sync's calls and the org's remaining allowance.</summary>
public sealed record ApiCostEstimate(long Records, long EstimatedCalls, long? Remaining, long? DailyMax, int BudgetPercent, string? Problem);

/// <summary>The last run and the next scheduled one, for a source or a mapping.</summary>
public sealed record LastAndNext(SyncRun? Last, SyncRunMapping? LastMapping, DateTimeOffset? Next);

/// <summary>The admin's operations on flows and runs, and the read models of the sync components. Admin only for changes.</summary>
public sealed class SyncControl(
    IDbContextFactory<AppDbContext> contexts,
    SyncScheduler scheduler,
    SourceService sources,
    TimeProvider clock)
{
    public const int PageRows = 2000;

    public async Task<SourceSyncState?> GetSourceStateAsync(Guid sourceId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sourceId, ct);
        if (source is null)
        {
            return null;
        }

        var blockers = new List<string>();
        if (source.ConnectionState != SourceConnectionState.Connected)
        {
            blockers.Add("The source needs reconnecting before it can sync.");
        }

        var mappings = await (from m in db.Mappings join model in db.Models on m.ModelId equals model.Id
                              join d in db.Destinations on m.DestinationId equals d.Id
                              where model.SourceId == sourceId
                              select new { m.Enabled, m.PausedReason, DestinationEnabled = d.Enabled }).ToListAsync(ct);
        if (mappings.Count == 0)
        {
            blockers.Add("No mapping uses a model of this source yet.");
        }
        else if (!mappings.Any(m => m.Enabled))
        {
            blockers.Add("No mapping of this source is enabled.");
        }
        else if (!mappings.Any(m => m.Enabled && m.DestinationEnabled))
        {
            blockers.Add("No destination of this source's enabled mappings is enabled.");
        }
        else if (!mappings.Any(m => m.Enabled && m.DestinationEnabled && m.PausedReason == null))
        {
            blockers.Add("Every enabled mapping of this source is paused.");
        }

        return new SourceSyncState(source.Enabled, source.SyncIntervalMinutes, source.SyncCron, blockers, source.ConnectionState != SourceConnectionState.Connected);
    }

    public async Task<MappingSyncState?> GetMappingStateAsync(Guid mappingId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await (from m in db.Mappings join model in db.Models on m.ModelId equals model.Id
                         join d in db.Destinations on m.DestinationId equals d.Id
                         join s in db.Sources on model.SourceId equals s.Id
                         where m.Id == mappingId
                         select new { m, DestinationEnabled = d.Enabled, SourceEnabled = s.Enabled, s.ConnectionState }).FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        var blockers = new List<string>();
        if (!row.DestinationEnabled)
        {
            blockers.Add("The destination is disabled: enable it in the destination's Settings.");
        }

        if (!row.SourceEnabled)
        {
            blockers.Add("The source is disabled: enable it in the source's Settings.");
        }

        if (row.ConnectionState != SourceConnectionState.Connected)
        {
            blockers.Add("The source needs reconnecting.");
        }

        var cursor = row.m.CursorModstamp is { } at ? $"{at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : null;
        return new MappingSyncState(row.m.Enabled, row.m.PausedReason, blockers, cursor, row.m.InitialSyncDone);
    }

    /// <summary>Why an enabled destination receives nothing yet; empty when at least one flow to it can run.</summary>
    public async Task<IReadOnlyList<string>> GetDestinationBlockersAsync(Guid destinationId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var mappings = await (from m in db.Mappings join model in db.Models on m.ModelId equals model.Id
                              join s in db.Sources on model.SourceId equals s.Id
                              where m.DestinationId == destinationId
                              select new { m.Enabled, SourceEnabled = s.Enabled }).ToListAsync(ct);
        if (mappings.Count == 0)
        {
            return ["No mapping sends to this destination yet: add one from a model."];
        }

        if (!mappings.Any(m => m.Enabled))
        {
            return ["No mapping to this destination is enabled: switch on its Mapping Status on the Overview tab."];
        }

        return mappings.Any(m => m.Enabled && m.SourceEnabled)
            ? []
            : ["The source of its enabled mappings is disabled: enable it in the source's Settings."];
    }

    public async Task<IReadOnlyList<string>> SetMappingEnabledAsync(ClaimsPrincipal user, Guid mappingId, bool enabled, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            return ["Only an Admin can change a mapping's status."];
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var changed = await db.Mappings.Where(m => m.Id == mappingId).ExecuteUpdateAsync(u => u
            .SetProperty(m => m.Enabled, enabled)
            .SetProperty(m => m.PausedReason, (string?)null)
            .SetProperty(m => m.PausedAt, (DateTimeOffset?)null)
            .SetProperty(m => m.UpdatedAt, now), ct);
        return changed == 0 ? ["This mapping no longer exists."] : [];
    }

    public async Task<IReadOnlyList<string>> SetSourceEnabledAsync(ClaimsPrincipal user, Guid sourceId, bool enabled, CancellationToken ct)
    {
        var result = await sources.SetEnabledAsync(user, sourceId, enabled, ct);
        if (result.Succeeded)
        {
            await scheduler.ApplyAsync(sourceId, ct);
        }

        return result.Errors;
    }

    public async Task<IReadOnlyList<string>> SaveScheduleAsync(ClaimsPrincipal user, Guid sourceId, int intervalMinutes, string? cron, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            return ["Only an Admin can change the schedule."];
        }

        if (intervalMinutes is < 15 or > 1440)
        {
            return ["The interval must be between 15 minutes and 24 hours (1,440 minutes)."];
        }

        cron = string.IsNullOrWhiteSpace(cron) ? null : cron.Trim();
        if (cron is not null && SyncScheduler.ValidateCron(cron) is { } problem)
        {
            return [$"The cron expression is not valid: {problem}"];
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var changed = await db.Sources.Where(s => s.Id == sourceId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.SyncIntervalMinutes, intervalMinutes)
            .SetProperty(s => s.SyncCron, cron), ct);
        if (changed == 0)
        {
            return ["This source no longer exists."];
        }

        await scheduler.ApplyAsync(sourceId, ct);
        return [];
    }

    public async Task<IReadOnlyList<string>> SyncNowAsync(ClaimsPrincipal user, Guid sourceId, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            return ["Only an Admin can start a sync."];
        }

        if (await GetSourceStateAsync(sourceId, ct) is not { } state)
        {
            return ["This source no longer exists."];
        }

        if (!state.Enabled)
        {
            return ["Enable the source first."];
        }

        if (state.Blockers.Count > 0)
        {
            return state.Blockers;
        }

        await scheduler.TriggerNowAsync(sourceId, ct);
        return [];
    }

    public async Task<IReadOnlyList<string>> CancelAsync(ClaimsPrincipal user, Guid runId, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            return ["Only an Admin can cancel a sync."];
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.SyncRuns.Where(r => r.Id == runId && r.State == SyncRunState.Running).ExecuteUpdateAsync(u => u.SetProperty(r => r.CancelRequested, true), ct);
        return [];
    }

    /// <summary>
    /// "Resync from scratch": forgets the mapping's checkpoint and what it sent, so the next run is an initial sync.
    /// It bumps the mapping's revision too: every message then gets a new messageId, so Segment takes the re-sent
    /// records instead of dropping them as duplicates of the last 24 hours.
    /// </summary>
    public async Task<IReadOnlyList<string>> ResyncFromScratchAsync(ClaimsPrincipal user, Guid mappingId, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            return ["Only an Admin can resync a mapping."];
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Mappings.Where(m => m.Id == mappingId).ExecuteUpdateAsync(u => u
            .SetProperty(m => m.CursorModstamp, (DateTimeOffset?)null)
            .SetProperty(m => m.CursorId, (string?)null)
            .SetProperty(m => m.InitialSyncDone, false)
            .SetProperty(m => m.Revision, m => m.Revision + 1), ct);
        await db.RecordStates.Where(s => s.MappingId == mappingId).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return changed == 0 ? ["This mapping no longer exists."] : [];
    }

    /// <summary>The API cost of an initial sync of the source's enabled flows (or of one mapping): COUNT per model, in 2,000-row pages.</summary>
    public async Task<ApiCostEstimate> EstimateInitialSyncAsync(Guid sourceId, Guid? mappingId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var source = await db.Sources.AsNoTracking().FirstAsync(s => s.Id == sourceId, ct);
        var models = await (from m in db.Mappings join model in db.Models on m.ModelId equals model.Id
                            where model.SourceId == sourceId && (mappingId == null ? m.Enabled : m.Id == mappingId)
                            select model).AsNoTracking().ToListAsync(ct);
        try
        {
            var client = await sources.CreateClientAsync(sourceId, ct);
            if (client is null)
            {
                return new ApiCostEstimate(0, 0, null, null, source.ApiBudgetPercent, "The source is not connected.");
            }

            long records = 0, calls = 0;
            foreach (var byCollection in models.GroupBy(m => (m.Collection, System.Text.Json.JsonSerializer.Serialize(m.Filter))))
            {
                var model = byCollection.First();
                var schema = await ModelSchema.LoadAsync(client, model.Collection, byCollection.SelectMany(m => m.Fields).Distinct(), ct);
                var query = schema.Query(["Id"], model.Filter, source.HistoricalSince is { } since ? Soql.GreaterOrEqual("SystemModstamp", since) : null);
                var count = await client.CountAsync(query.Count().ToSoql(), includeDeleted: true, ct);
                records += count;
                calls += 1 + schema.Parents.Count + Math.Max(1, (count + PageRows - 1) / PageRows);
            }

            var limits = await client.GetLimitsAsync(ct);
            var daily = limits.TryGetValue("DailyApiRequests", out var limit) ? limit : null;
            return new ApiCostEstimate(records, calls, daily?.Remaining, daily?.Max, source.ApiBudgetPercent, null);
        }
        catch (SalesforceException ex)
        {
            return new ApiCostEstimate(0, 0, null, null, source.ApiBudgetPercent, ex.Message);
        }
    }

    /// <summary>The API cost of resyncing one mapping from scratch.</summary>
    public async Task<ApiCostEstimate?> EstimateResyncAsync(Guid mappingId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sourceId = await (from m in db.Mappings join model in db.Models on m.ModelId equals model.Id where m.Id == mappingId select (Guid?)model.SourceId).FirstOrDefaultAsync(ct);
        return sourceId is { } id ? await EstimateInitialSyncAsync(id, mappingId, ct) : null;
    }

    public async Task<LastAndNext> LastAndNextAsync(Guid? sourceId, Guid? mappingId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (mappingId is { } mid)
        {
            var lastMapping = await db.SyncRunMappings.AsNoTracking().Where(m => m.MappingId == mid)
                .Join(db.SyncRuns, m => m.RunId, r => r.Id, (m, r) => new { m, r })
                .OrderByDescending(x => x.r.StartedAt).FirstOrDefaultAsync(ct);
            sourceId ??= await (from m in db.Mappings join model in db.Models on m.ModelId equals model.Id where m.Id == mid select (Guid?)model.SourceId).FirstOrDefaultAsync(ct);
            var next = sourceId is { } sid ? await scheduler.NextRunAsync(sid, ct) : null;
            return new LastAndNext(lastMapping?.r, lastMapping?.m, next);
        }

        if (sourceId is not { } id)
        {
            return new LastAndNext(null, null, null);
        }

        var last = await db.SyncRuns.AsNoTracking().Where(r => r.SourceId == id).OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(ct);
        return new LastAndNext(last, null, await scheduler.NextRunAsync(id, ct));
    }

    /// <summary>The latest runs, newest first, with their source's name.</summary>
    public async Task<IReadOnlyList<(SyncRun Run, string SourceName)>> ListRunsAsync(int take, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.SyncRuns.AsNoTracking().Include(r => r.Mappings)
            .OrderByDescending(r => r.StartedAt).Take(take)
            .Join(db.Sources, r => r.SourceId, s => s.Id, (r, s) => new { r, s.Name })
            .ToListAsync(ct);
        return rows.Select(x => (x.r, x.Name)).ToList();
    }
}
