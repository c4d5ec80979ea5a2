using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Sync;

/// <summary>The durable Quartz job of one source: resolves the engine and runs the source's syncs.</summary>
[DisallowConcurrentExecution]
public sealed class SyncJob(
    SyncEngine engine,
    IDbContextFactory<AppDbContext> contexts,
    TimeProvider clock,
    Monitoring.IFlowStateEvaluator? alerts = null,
    Monitoring.RetryRequests? retries = null) : IJob
{
    public const string SourceIdKey = "sourceId";
    public const string TriggerKindKey = "trigger";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var sourceId = Guid.Parse(data.GetString(SourceIdKey)!);
        var trigger = data.ContainsKey(TriggerKindKey) && Enum.TryParse<SyncTrigger>(data.GetString(TriggerKindKey), out var kind) ? kind : SyncTrigger.Schedule;
        if (context.Recovering)
        {
            // This firing repeats one that died with its instance: in a cluster, another instance that stopped
            // checking in. A source's runs never overlap (every run is this job), so the run it left "running" is over.
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await AbandonedRuns.CloseAsync(db.SyncRuns.Where(r => r.SourceId == sourceId), clock.GetUtcNow(), cancellationToken);
        }

        var runId = await engine.RunSourceAsync(sourceId, trigger, cancellationToken);
        if (runId is not null && retries is not null)
        {
            // Every run retries the open errors with their latest data: a run that happened answers the requests.
            await retries.TakePendingAsync(sourceId, cancellationToken);
        }

        if (alerts is not null)
        {
            // Alerts follow a run at once instead of waiting for the minute's evaluation.
            await alerts.EvaluateAsync(sourceId, cancellationToken);
        }
    }
}

/// <summary>Keeps one Quartz job per source whose trigger follows the source's schedule.</summary>
public sealed class SyncScheduler(ISchedulerFactory factory, IDbContextFactory<AppDbContext> contexts, TimeProvider clock, ILogger<SyncScheduler> logger)
{
    public const string Group = "sync";

    public static JobKey JobKeyFor(Guid sourceId) => new(sourceId.ToString("N"), Group);

    public static TriggerKey TriggerKeyFor(Guid sourceId) => new(sourceId.ToString("N"), Group);

    /// <summary>Creates, replaces or removes the source's job to match its enabled flag and schedule.</summary>
    public async Task ApplyAsync(Guid sourceId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sourceId, ct);
        var scheduler = await factory.GetScheduler(ct);
        if (source is null || !source.Enabled)
        {
            await scheduler.DeleteJob(JobKeyFor(sourceId), ct);
            return;
        }

        if (await scheduler.GetTrigger(TriggerKeyFor(sourceId), ct) is { } existing
            && Follows(existing, source.SyncIntervalMinutes, source.SyncCron)
            && await scheduler.GetTriggerState(existing.Key, ct) is TriggerState.Normal or TriggerState.Blocked)
        {
            // Already on this schedule (another instance of a cluster, or an earlier start): replacing it
            // would push an interval's next run back by a whole interval on every start. A trigger that
            // Quartz put in error is replaced, as every start did before.
            return;
        }

        var job = JobBuilder.Create<SyncJob>()
            .WithIdentity(JobKeyFor(sourceId))
            .UsingJobData(SyncJob.SourceIdKey, sourceId.ToString())
            .StoreDurably()
            .RequestRecovery()
            .Build();
        var trigger = BuildTrigger(sourceId, source.SyncIntervalMinutes, source.SyncCron);
        await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, ct);
        logger.LogInformation("Source {SourceId} scheduled: {Schedule}", sourceId, source.SyncCron ?? $"every {source.SyncIntervalMinutes} min");
    }

    private ITrigger BuildTrigger(Guid sourceId, int intervalMinutes, string? cron)
    {
        var builder = TriggerBuilder.Create().WithIdentity(TriggerKeyFor(sourceId)).ForJob(JobKeyFor(sourceId));
        if (!string.IsNullOrWhiteSpace(cron))
        {
            // After downtime: one catch-up run now, then the normal cron times (never one run per missed time).
            return builder.WithCronSchedule(cron.Trim(), c => c.WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)).Build();
        }

        var interval = IntervalOf(intervalMinutes);
        return builder
            .StartAt(clock.GetUtcNow() + interval)
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount))
            .Build();
    }

    private static TimeSpan IntervalOf(int minutes) => TimeSpan.FromMinutes(Math.Clamp(minutes, 15, 1440));

    private static bool Follows(ITrigger trigger, int intervalMinutes, string? cron) => string.IsNullOrWhiteSpace(cron)
        ? trigger is ISimpleTrigger simple && simple.RepeatInterval == IntervalOf(intervalMinutes)
        : trigger is ICronTrigger scheduled && scheduled.CronExpressionString == cron.Trim();

    /// <summary>Runs the source's job now ("Sync now"); the job never overlaps itself.</summary>
    public async Task TriggerNowAsync(Guid sourceId, CancellationToken ct)
    {
        var scheduler = await factory.GetScheduler(ct);
        if (!await scheduler.Exists(JobKeyFor(sourceId), ct))
        {
            var job = JobBuilder.Create<SyncJob>().WithIdentity(JobKeyFor(sourceId)).UsingJobData(SyncJob.SourceIdKey, sourceId.ToString()).StoreDurably().RequestRecovery().Build();
            await scheduler.AddJob(job, new AddJobOptions { Replace = true }, ct);
        }

        await scheduler.TriggerJob(JobKeyFor(sourceId), new JobDataMap { [SyncJob.TriggerKindKey] = nameof(SyncTrigger.Manual) }, ct);
    }

    /// <summary>When the source's next scheduled run is due, or null when none is scheduled.</summary>
    public async Task<DateTimeOffset?> NextRunAsync(Guid sourceId, CancellationToken ct)
    {
        var scheduler = await factory.GetScheduler(ct);
        var trigger = await scheduler.GetTrigger(TriggerKeyFor(sourceId), ct);
        return trigger?.NextFireTimeUtc;
    }

    /// <summary>Checks a cron expression; null when valid, else why not.</summary>
    public static string? ValidateCron(string cron)
    {
        try
        {
            _ = new CronExpression(cron.Trim());
            return null;
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }
    }
}

/// <summary>At start, makes the scheduler's jobs match the saved sources (e.g. after a restore or a manual database edit).</summary>
internal sealed class SyncScheduleBootstrapper(
    SyncScheduler scheduler,
    IDbContextFactory<AppDbContext> contexts,
    Microsoft.Extensions.Options.IOptions<SchedulerOptions> options,
    TimeProvider clock,
    ILogger<SyncScheduleBootstrapper> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (!options.Value.Clustered)
            {
                // A single instance that starts finds no run of its own going on: those still "running" died with the process.
                await AbandonedRuns.CloseAsync(db.SyncRuns, clock.GetUtcNow(), cancellationToken);
            }

            var ids = await db.Sources.Select(s => s.Id).ToListAsync(cancellationToken);
            foreach (var id in ids)
            {
                await scheduler.ApplyAsync(id, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not bring the sync schedules up to date");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Closes runs still "running" whose process is gone, as failed with the reason.</summary>
internal static class AbandonedRuns
{
    public const string Reason = "The application stopped during this run. Everything up to its checkpoint was sent; the next run resumes from there.";

    public static Task<int> CloseAsync(IQueryable<SyncRun> runs, DateTimeOffset now, CancellationToken ct)
        => runs.Where(r => r.State == SyncRunState.Running).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.State, SyncRunState.Failed)
            .SetProperty(r => r.Reason, Reason)
            .SetProperty(r => r.FinishedAt, now), ct);
}
