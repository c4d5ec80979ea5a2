using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Segment;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Core.Sync;

/// <summary>
/// Runs a source's syncs: per collection one queryAll stream in (SystemModstamp, Id) order, messages
/// built per mapping and sent to Segment, and a checkpoint per mapping saved only after Segment
/// accepted everything up to it, in the same transaction as the run's counts and record states.
/// </summary>
public sealed partial class SyncEngine(
    IDbContextFactory<AppDbContext> contexts,
    IServiceScopeFactory scopes,
    ApiUsageMeter meter,
    IOptions<SyncOptions> options,
    TimeProvider clock,
    ILogger<SyncEngine> logger,
    Monitoring.SyncMetrics? metrics = null)
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> gates = new();
    private readonly SyncOptions settings = options.Value;
    private readonly SyncDescribes describes = new();

    /// <summary>True while this instance runs a sync of the source.</summary>
    public bool IsRunning(Guid sourceId) => gates.TryGetValue(sourceId, out var gate) && gate.CurrentCount == 0;

    /// <summary>
    /// Runs every flow of the source once. Returns the run's id, or null when nothing could run (no flow,
    /// source disabled or disconnected, or a run of this source is already going on in this instance).
    /// </summary>
    public async Task<Guid?> RunSourceAsync(Guid sourceId, SyncTrigger trigger, CancellationToken ct)
    {
        var gate = gates.GetOrAdd(sourceId, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(0, ct))
        {
            return null;
        }

        try
        {
            return await RunCoreAsync(sourceId, trigger, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<Guid?> RunCoreAsync(Guid sourceId, SyncTrigger trigger, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var secrets = scope.ServiceProvider.GetRequiredService<SecretProtector>();
        Source? source;
        List<SyncFlow> flows;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sourceId, ct);
            if (source is null || !source.Enabled || source.ConnectionState != SourceConnectionState.Connected)
            {
                return null;
            }

            flows = await LoadFlowsAsync(db, sourceId, ct);
            if (flows.Count == 0)
            {
                return null;
            }

            await PurgeOldRunsAsync(db, ct);
        }

        var now = clock.GetUtcNow();
        var run = new SyncRun
        {
            Id = Guid.NewGuid(),
            SourceId = sourceId,
            Trigger = trigger,
            Kind = trigger == SyncTrigger.Retry ? SyncRunKind.Retry : flows.Any(f => !f.Mapping.InitialSyncDone) ? SyncRunKind.Initial : SyncRunKind.Incremental,
            State = SyncRunState.Running,
            StartedAt = now,
        };
        foreach (var flow in flows)
        {
            flow.Counts = new SyncRunMapping
            {
                Id = Guid.NewGuid(),
                RunId = run.Id,
                MappingId = flow.Mapping.Id,
                Kind = flow.Mapping.InitialSyncDone ? SyncRunKind.Incremental : SyncRunKind.Initial,
                State = SyncRunState.Running,
            };
            run.Mappings.Add(flow.Counts);
            flow.Tracking = SegmentEndpoints.For(flow.Destination.Region, string.IsNullOrWhiteSpace(flow.Destination.TrackingApiUrl) ? null : new Uri(flow.Destination.TrackingApiUrl)).Tracking;
            flow.WriteKey = secrets.Unprotect(flow.Space.WriteKeyProtected) ?? "";
        }

        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            foreach (var flow in flows)
            {
                // A mapping that never sent anything has no state to compare with: its first read skips the lookups.
                flow.Fresh = !flow.Mapping.InitialSyncDone && flow.Mapping.CursorId is null
                    && !await db.RecordStates.AnyAsync(s => s.MappingId == flow.Mapping.Id, ct)
                    && !await db.RecordErrors.AnyAsync(e => e.MappingId == flow.Mapping.Id, ct);
            }

            db.SyncRuns.Add(run);
            await db.SaveChangesAsync(ct);
        }

        logger.LogInformation("Sync run {RunId} of source {SourceId} started ({Kind}, {Flows} flows)", run.Id, sourceId, run.Kind, flows.Count);
        var state = SyncRunState.Succeeded;
        string? reason = null;
        RunContext? context = null;
        try
        {
            var sources = scope.ServiceProvider.GetRequiredService<SourceService>();
            var client = await sources.CreateClientAsync(sourceId, ct)
                ?? throw new SyncStopException(SyncRunState.Failed, "The source has no connection; connect it again.");
            context = new RunContext(run, source, client, scope.ServiceProvider.GetRequiredService<SegmentTrackingClient>());
            foreach (var collection in flows.GroupBy(f => f.Model.Collection, StringComparer.OrdinalIgnoreCase))
            {
                await SyncCollectionAsync(context, collection.Key, [.. collection], ct);
            }

            if (flows.Any(f => f.Counts.Failed > 0))
            {
                state = SyncRunState.Partial;
                reason = $"{flows.Sum(f => f.Counts.Failed):N0} records could not be sent; they are retried with their latest data on the next runs.";
            }

            if (flows.Any(f => f.Counts.State == SyncRunState.Paused))
            {
                state = SyncRunState.Partial;
                reason = string.Join(" ", new[] { reason }.Concat(flows.Where(f => f.Counts.State == SyncRunState.Paused).Select(f => f.Counts.Reason)).Where(r => r is not null));
            }
        }
        catch (SyncStopException stop)
        {
            (state, reason) = (stop.State, stop.Reason);
        }
        catch (SalesforceApiLimitExceededException)
        {
            state = SyncRunState.Paused;
            reason = "Paused: API limit. Salesforce refused further calls (REQUEST_LIMIT_EXCEEDED): the org's daily API allowance is used up. The sync resumes from its checkpoint on a later run.";
        }
        catch (SalesforceReconnectRequiredException ex)
        {
            state = SyncRunState.Paused;
            reason = $"Paused: the source needs reconnecting ({ex.Reason}). Reconnect it on the source's page; the sync then resumes from its checkpoint.";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            state = SyncRunState.Cancelled;
            reason = "Stopped because the application shut down; the next run resumes from the checkpoint.";
        }
        catch (Exception ex) when (ex is SalesforceException or HttpRequestException or DbUpdateException or System.Data.Common.DbException or InvalidOperationException or JsonException)
        {
            state = SyncRunState.Failed;
            reason = $"The run failed: {ex.Message} The checkpoint is kept; the next run resumes from it.";
            logger.LogWarning(ex, "Sync run {RunId} failed", run.Id);
        }

        if (context is not null)
        {
            // A run that stopped early still saves the checkpoint of the last page Segment accepted, before its final counts.
            try
            {
                await context.PendingCheckpoint;
            }
            catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or InvalidOperationException or OperationCanceledException)
            {
                if (state is SyncRunState.Succeeded or SyncRunState.Partial)
                {
                    (state, reason) = (SyncRunState.Failed, $"The run failed: its last checkpoint could not be saved ({ex.Message}). The next run resumes from the one before it.");
                }

                logger.LogWarning(ex, "Sync run {RunId}: saving the last checkpoint failed", run.Id);
            }
        }

        await FinishAsync(run, flows, state, reason);
        logger.LogInformation("Sync run {RunId} ended {State}: {Read} records read, {Calls} API calls", run.Id, state, run.RecordsRead, run.ApiCalls);
        return run.Id;
    }

    private async Task FinishAsync(SyncRun run, List<SyncFlow> flows, SyncRunState state, string? reason)
    {
        run.State = state;
        run.Reason = reason;
        run.FinishedAt = clock.GetUtcNow();
        foreach (var flow in flows)
        {
            if (flow.Counts.State == SyncRunState.Running)
            {
                flow.Counts.State = state == SyncRunState.Partial && flow.Counts.Failed == 0 ? SyncRunState.Succeeded : state;
                flow.Counts.Reason = flow.Counts.Failed > 0 && state is SyncRunState.Succeeded or SyncRunState.Partial
                    ? $"{flow.Counts.Failed:N0} records could not be sent." : state == SyncRunState.Partial ? null : reason;
                if (flow.Counts.Failed > 0 && state == SyncRunState.Partial)
                {
                    flow.Counts.State = SyncRunState.Partial;
                }
            }
        }

        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        db.SyncRuns.Update(run);
        await db.SaveChangesAsync(CancellationToken.None);

        if (metrics is not null)
        {
            foreach (var flow in flows)
            {
                metrics.RecordsRead(run.SourceId, flow.Mapping.Id, flow.Counts.RecordsRead);
                metrics.RecordsSent(run.SourceId, flow.Mapping.Id, flow.Counts.Accepted);
                metrics.RecordsFailed(run.SourceId, flow.Mapping.Id, flow.Counts.Failed);
                metrics.RecordsDeleted(run.SourceId, flow.Mapping.Id, flow.Counts.Deleted);
            }

            metrics.RunFinished(run.SourceId, run.Kind.ToString(), state.ToString(), run.FinishedAt.Value - run.StartedAt);
        }
    }

    private static async Task<List<SyncFlow>> LoadFlowsAsync(AppDbContext db, Guid sourceId, CancellationToken ct)
    {
        var rows = await (
            from m in db.Mappings.AsNoTracking()
            join model in db.Models.AsNoTracking() on m.ModelId equals model.Id
            join d in db.Destinations.AsNoTracking().Include(d => d.Spaces) on m.DestinationId equals d.Id
            where model.SourceId == sourceId && m.Enabled && d.Enabled && m.PausedReason == null
            select new { m, model, d }).ToListAsync(ct);
        var flows = new List<SyncFlow>();
        foreach (var row in rows)
        {
            if (row.d.Spaces.FirstOrDefault(s => s.Id == row.m.ProfileSpaceId) is { } space)
            {
                flows.Add(new SyncFlow(row.m, row.model, row.d, space));
            }
        }

        return flows;
    }

    private async Task PurgeOldRunsAsync(AppDbContext db, CancellationToken ct)
    {
        var before = clock.GetUtcNow().AddDays(-settings.RunRetentionDays);
        var old = await db.SyncRuns.Where(r => r.StartedAt < before).Select(r => r.Id).Take(500).ToListAsync(ct);
        if (old.Count > 0)
        {
            await db.SyncRunMappings.Where(m => old.Contains(m.RunId)).ExecuteDeleteAsync(ct);
            await db.SyncRuns.Where(r => old.Contains(r.Id)).ExecuteDeleteAsync(ct);
        }
    }

    private sealed class RunContext(SyncRun run, Source source, ISalesforceClient client, SegmentTrackingClient segment)
    {
        public SyncRun Run { get; } = run;

        public Source Source { get; } = source;

        public ISalesforceClient Client { get; } = client;

        public SegmentTrackingClient Segment { get; } = segment;

        public DateTimeOffset LastSampleAt { get; set; } = DateTimeOffset.MinValue;

        /// <summary>The save of the last processed page, running while the next page is sent.</summary>
        public Task PendingCheckpoint { get; set; } = Task.CompletedTask;
    }

    /// <summary>Flows of one collection that one read serves: same filter, same cursor.</summary>
    private sealed record ReadGroup(SyncCursor? Cursor, bool InitialDone, ModelFilter? Filter, List<SyncFlow> Flows, List<string> Fields);

    private async Task SyncCollectionAsync(RunContext context, string collection, List<SyncFlow> flows, CancellationToken ct)
    {
        EnsureBudget(context);
        var fieldPaths = flows.SelectMany(f => f.Model.Fields).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var (schema, describeCalls) = await describes.LoadSchemaAsync(context.Source.Id, context.Client, collection, fieldPaths, ct);
        context.Run.ApiCalls += describeCalls;

        var live = new List<SyncFlow>();
        foreach (var flow in flows)
        {
            if (await CheckDriftAsync(context, flow, schema, ct))
            {
                flow.Builder = new MappingMessageBuilder(flow.Mapping, schema.FieldTypes(flow.Model.Fields));
                live.Add(flow);
            }
        }

        var cursorField = SoqlQuery.ChooseCursorField(schema.Collection) ?? "SystemModstamp";
        var groups = live
            .GroupBy(f => (Filter: JsonSerializer.Serialize(f.Model.Filter), f.Mapping.InitialSyncDone, f.Mapping.CursorModstamp?.UtcTicks, f.Mapping.CursorId))
            .Select(g =>
            {
                var first = g.First().Mapping;
                SyncCursor? cursor = first.CursorModstamp is { } at && first.CursorId is { } id ? new SyncCursor(at, id) : null;
                var fields = g.SelectMany(f => f.Model.Fields).Append("Id").Append(cursorField)
                    .Concat(schema.Collection.FindField("IsDeleted") is null ? [] : ["IsDeleted"])
                    .Where(p => schema.FindField(p) is not null)
                    .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                return new ReadGroup(cursor, g.Key.InitialSyncDone, g.First().Model.Filter, [.. g], fields);
            })
            .ToList();

        foreach (var group in groups)
        {
            await RetryFailedAsync(context, schema, cursorField, group, ct);
            var readFrom = group.InitialDone ? group.Cursor?.Modstamp - settings.Lookback : context.Source.HistoricalSince;
            if (!group.InitialDone && group.Cursor is { } resume)
            {
                // An initial sync interrupted by a crash or a pause resumes near its checkpoint, not at the start.
                readFrom = resume.Modstamp - settings.Lookback;
            }

            var query = schema.Query(group.Fields, group.Filter, readFrom is { } from ? Soql.GreaterOrEqual(cursorField, from) : null)
                .OrderBy(cursorField).OrderBy("Id");
            var started = clock.GetUtcNow();
            var first = true;
            await foreach (var page in ReadPagesAsync(context, query.ToSoql(), ct))
            {
                if (first)
                {
                    context.Run.EstimatedRecords = (context.Run.EstimatedRecords ?? 0) + page.TotalSize;
                    first = false;
                }

                context.Run.RecordsRead += page.Records.Count;
                foreach (var flow in group.Flows)
                {
                    flow.Counts.RecordsRead += page.Records.Count;
                }

                await ProcessPageAsync(context, group.Flows, page.Records, cursorField, checkpoint: true, ct);
                await ThrowIfCancelRequestedAsync(context, ct);
            }

            await context.PendingCheckpoint;

            foreach (var flow in group.Flows)
            {
                flow.Fresh = false;
            }

            await using (var db = await contexts.CreateDbContextAsync(ct))
            {
                var ids = group.Flows.Select(f => f.Mapping.Id).ToList();
                await db.Mappings.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(u => u.SetProperty(m => m.InitialSyncDone, true), ct);
            }

            if (group.InitialDone && group.Cursor is { } previous)
            {
                await ApplyHardDeletesAsync(context, collection, group, previous.Modstamp - settings.Lookback, started, ct);
            }
        }
    }

    /// <summary>Reads pages one ahead of processing, checking the API budget before asking for each page.</summary>
    private async IAsyncEnumerable<SalesforceQueryPage> ReadPagesAsync(RunContext context, string soql, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var channel = System.Threading.Channels.Channel.CreateBounded<SalesforceQueryPage>(1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(async () =>
        {
            try
            {
                await using var pages = context.Client.QueryPagesAsync(soql, includeDeleted: true, settings.PageSize, stop.Token).GetAsyncEnumerator(stop.Token);
                while (true)
                {
                    EnsureBudget(context);
                    if (!await pages.MoveNextAsync())
                    {
                        break;
                    }

                    Interlocked.Increment(ref apiCallsPending);
                    await channel.Writer.WriteAsync(pages.Current, stop.Token);
                }

                channel.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                channel.Writer.TryComplete(ex);
            }
        }, CancellationToken.None);

        try
        {
            while (await channel.Reader.WaitToReadAsync(ct))
            {
                while (channel.Reader.TryRead(out var page))
                {
                    context.Run.ApiCalls += Interlocked.Exchange(ref apiCallsPending, 0);
                    yield return page;
                }
            }

            context.Run.ApiCalls += Interlocked.Exchange(ref apiCallsPending, 0);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await producer;
            }
            catch (OperationCanceledException)
            {
                // The consumer stopped early; the producer's cancellation is expected.
            }
        }
    }

    private long apiCallsPending;

    /// <summary>Built from the first context's model: the provider and the table do not change while the app runs.</summary>
    private RecordStateWriter? stateWriter;

    /// <summary>Stops the run before a call that would cross the source's share of the daily allowance.</summary>
    private void EnsureBudget(RunContext context)
    {
        // The first call of a run refreshes the usage header; before it, the meter may be hours old.
        if (context.Run.ApiCalls == 0 || meter.Get(context.Source.Id) is not { Allowed: > 0 } usage)
        {
            return;
        }

        var budget = usage.Allowed * Math.Clamp(context.Source.ApiBudgetPercent, 1, 100) / 100;
        if (usage.Used + 1 > budget)
        {
            throw new SyncStopException(
                SyncRunState.Paused,
                $"Paused: API budget. The org has used {usage.Used:N0} of {usage.Allowed:N0} daily API calls; this source may use {context.Source.ApiBudgetPercent}% ({budget:N0}). The sync resumes from its checkpoint when the allowance frees up.");
        }
    }

    private async Task ThrowIfCancelRequestedAsync(RunContext context, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.SyncRuns.Where(r => r.Id == context.Run.Id).Select(r => r.CancelRequested).FirstAsync(ct))
        {
            throw new SyncStopException(SyncRunState.Cancelled, "Cancelled by an admin. Everything up to the checkpoint was sent; the next run resumes from it.");
        }
    }

    private sealed record Pending(SyncFlow Flow, SalesforceRecord Record, SegmentMessage Message, string Hash, SyncCursor Cursor, bool Deleted);

    /// <summary>Builds, sends and checkpoints one page of records for every flow of a read.</summary>
    private async Task ProcessPageAsync(RunContext context, List<SyncFlow> flows, IReadOnlyList<SalesforceRecord> records, string cursorField, bool checkpoint, CancellationToken ct)
    {
        if (records.Count == 0)
        {
            return;
        }

        if (flows.Any(f => !f.Fresh))
        {
            // Their record states are read below: the previous page's must be saved first.
            await context.PendingCheckpoint;
        }

        var db = await contexts.CreateDbContextAsync(ct);
        var changed = new HashSet<RecordState>();
        try
        {
            var now = clock.GetUtcNow();
            var ids = records.Select(r => r.Id).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var pageEnd = CursorOf(records[^1], cursorField, now);
            foreach (var flow in flows)
            {
                var mappingId = flow.Mapping.Id;
                var known = new Dictionary<string, RecordState>(StringComparer.Ordinal);
                var errors = new Dictionary<string, RecordError>(StringComparer.Ordinal);
                if (!flow.Fresh)
                {
                    // Untracked: changed states are written by one batched upsert at the checkpoint, not by the change tracker.
                    known = await db.RecordStates.AsNoTracking().Where(s => s.MappingId == mappingId && ids.Contains(s.RecordId)).ToDictionaryAsync(s => s.RecordId, StringComparer.Ordinal, ct);
                    errors = await db.RecordErrors.Where(e => e.MappingId == mappingId && e.State == RecordErrorState.Open && ids.Contains(e.RecordId)).ToDictionaryAsync(e => e.RecordId, StringComparer.Ordinal, ct);
                }

                var states = new PageStates(mappingId, known, changed);
                await using var sender = new PageSender(this, db, context, flow, states, errors, now, ct);
                foreach (var record in records)
                {
                    if (record.Id is not { } id)
                    {
                        continue;
                    }

                    var cursor = CursorOf(record, cursorField, now);
                    if (!checkpoint)
                    {
                        flow.Counts.Retried++;
                    }

                    var state = states.Find(id);
                    if (state is { State: RecordSyncState.GivenUp } && state.SystemModstamp == cursor.Modstamp)
                    {
                        // Given up on this very version; a new version of the record gets a fresh chance.
                        continue;
                    }

                    if (record.IsDeleted)
                    {
                        if (flow.Mapping.DeletePolicy == DeletePolicy.Ignore || state?.State == RecordSyncState.Deleted)
                        {
                            continue;
                        }

                        flow.Counts.Deleted++;
                        state = states.Upsert(id, cursor.Modstamp, now);
                        state.State = RecordSyncState.Deleted;
                        if (flow.Mapping.DeletePolicy == DeletePolicy.SendTrait && flow.Builder.BuildDeleted(record, now) is { Message: { } deleted })
                        {
                            await sender.AddAsync(new Pending(flow, record, deleted, "deleted", cursor, true));
                        }

                        continue;
                    }

                    var build = flow.Builder.Build(record, now);
                    if (build.Message is not { } message)
                    {
                        Fail(db, context, flow, states, errors, id, cursor.Modstamp, build.Error ?? "The message could not be built.", Sample(flow, record), now);
                        continue;
                    }

                    var hash = PayloadHash(message);
                    if (state is { State: RecordSyncState.Sent } && state.PayloadHash == hash)
                    {
                        flow.Counts.Unchanged++;
                        Resolve(errors, id);
                        continue;
                    }

                    await sender.AddAsync(new Pending(flow, record, message, hash, cursor, false));
                }

                await sender.CompleteAsync();
                if (checkpoint)
                {
                    var current = flow.Mapping.CursorModstamp is { } at && flow.Mapping.CursorId is { } cid ? new SyncCursor(at, cid) : (SyncCursor?)null;
                    if (current is null || pageEnd.CompareTo(current.Value) > 0)
                    {
                        flow.Mapping.CursorModstamp = pageEnd.Modstamp;
                        flow.Mapping.CursorId = pageEnd.Id;
                    }
                }
            }
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }

        var snapshot = Snapshot(context, flows, checkpoint);
        // One save at a time, in page order; it runs while the next page is built and sent. The transaction only
        // follows Segment's acceptance of this page, so a crash still resumes from an accepted checkpoint.
        await context.PendingCheckpoint;
        context.PendingCheckpoint = Task.Run(async () =>
        {
            await using (db)
            {
                await SaveCheckpointAsync(db, context, snapshot, changed, ct);
            }
        }, CancellationToken.None);
    }

    /// <summary>
    /// One flow's messages of one page on their way to Segment. A batch goes out as soon as it is full, while the
    /// page's next messages are still being built, with at most two in flight. Results are applied in the run's own
    /// flow, between builds, so record states and counts are never touched by two threads.
    /// </summary>
    private sealed class PageSender(SyncEngine engine, AppDbContext db, RunContext context, SyncFlow flow, PageStates states, Dictionary<string, RecordError> errors, DateTimeOffset now, CancellationToken ct)
        : IAsyncDisposable
    {
        private const int MaxInFlight = 2;
        private readonly SegmentBatcher batcher = context.Segment.CreateBatcher();
        private readonly Dictionary<string, Pending> byMessage = new(StringComparer.Ordinal);
        private readonly Queue<(SegmentBatch Batch, Task<SegmentSendResult> Result)> inFlight = new();

        public async Task AddAsync(Pending item)
        {
            byMessage[item.Message.MessageId] = item;
            if (batcher.Add(item.Message) is { } full)
            {
                await SendAsync(full);
            }
        }

        /// <summary>Sends what is left and applies every result, refused messages included.</summary>
        public async Task CompleteAsync()
        {
            if (batcher.Flush() is { } last)
            {
                await SendAsync(last);
            }

            while (inFlight.Count > 0)
            {
                await ApplyOldestAsync();
            }

            foreach (var refused in batcher.TakeRefused())
            {
                if (byMessage.TryGetValue(refused.MessageId, out var item))
                {
                    engine.Fail(db, context, flow, states, errors, item.Record.Id!, item.Cursor.Modstamp, refused.Reason, Truncate(JsonSerializer.Serialize(item.Message.Traits)), now);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            // Only after a failure are requests left: let them end before their buffers go back to the pool.
            while (inFlight.TryDequeue(out var sending))
            {
                try
                {
                    await sending.Result;
                }
                catch (OperationCanceledException)
                {
                    // The run is stopping anyway.
                }
                finally
                {
                    sending.Batch.Dispose();
                }
            }

            batcher.Dispose();
        }

        private async Task SendAsync(SegmentBatch batch)
        {
            while (inFlight.Count >= MaxInFlight)
            {
                await ApplyOldestAsync();
            }

            inFlight.Enqueue((batch, context.Segment.SendBatchAsync(flow.Tracking, flow.WriteKey, batch, ct)));
        }

        private async Task ApplyOldestAsync()
        {
            var (batch, sending) = inFlight.Dequeue();
            SegmentSendResult result;
            try
            {
                result = await sending;
                context.Run.BytesSent += batch.ByteCount;
                flow.Counts.MessagesSent += batch.Count;
            }
            finally
            {
                batch.Dispose();
            }

            if (result.Failed.Count > 0 && !result.Failed[0].Reason.Contains("rejected the batch (400)", StringComparison.Ordinal))
            {
                // Outages, rate-limit storms and refused write keys are not the records' fault: keep the checkpoint and end the run.
                throw new SyncStopException(SyncRunState.Failed, $"Segment did not accept the messages: {result.Failed[0].Reason} The checkpoint is kept; the next run resumes from it.");
            }

            foreach (var messageId in result.Accepted)
            {
                var item = byMessage[messageId];
                var id = item.Record.Id!;
                flow.Counts.Accepted++;
                var state = states.Upsert(id, item.Cursor.Modstamp, now);
                state.State = item.Deleted ? RecordSyncState.Deleted : RecordSyncState.Sent;
                state.PayloadHash = item.Deleted ? null : item.Hash;
                state.MessageId = messageId;
                Resolve(errors, id);
            }

            foreach (var failure in result.Failed)
            {
                var item = byMessage[failure.MessageId];
                engine.Fail(db, context, flow, states, errors, item.Record.Id!, item.Cursor.Modstamp, failure.Reason, Truncate(JsonSerializer.Serialize(item.Message.Traits)), now);
            }
        }
    }

    private void Fail(AppDbContext db, RunContext context, SyncFlow flow, PageStates states, Dictionary<string, RecordError> errors, string recordId, DateTimeOffset modstamp, string reason, string? sample, DateTimeOffset now)
    {
        flow.Counts.Failed++;
        var state = states.Upsert(recordId, modstamp, now);
        state.State = RecordSyncState.Failed;
        if (!errors.TryGetValue(recordId, out var error))
        {
            error = new RecordError
            {
                MappingId = flow.Mapping.Id,
                RunId = context.Run.Id,
                RecordId = recordId,
                Reason = reason,
                FirstSeenAt = now,
                Attempts = 0,
                State = RecordErrorState.Open,
            };
            db.RecordErrors.Add(error);
            errors[recordId] = error;
        }

        if (error.Attempts == 0 || error.RunId != context.Run.Id)
        {
            error.Attempts++;
        }

        error.RunId = context.Run.Id;
        error.Reason = Truncate(reason, 2000)!;
        error.PayloadSample = sample;
        error.LastSeenAt = now;
        if (error.Attempts >= settings.MaxRecordAttempts || now - error.FirstSeenAt >= settings.GiveUpAfter)
        {
            error.State = RecordErrorState.GivenUp;
            state.State = RecordSyncState.GivenUp;
            flow.Counts.GivenUp++;
        }
    }

    private static void Resolve(Dictionary<string, RecordError> errors, string recordId)
    {
        if (errors.TryGetValue(recordId, out var error) && error.State == RecordErrorState.Open)
        {
            error.State = RecordErrorState.Resolved;
        }
    }

    /// <summary>One mapping's record states for the records of a page, and which of them changed.</summary>
    private sealed class PageStates(Guid mappingId, Dictionary<string, RecordState> known, HashSet<RecordState> changed)
    {
        public RecordState? Find(string recordId) => known.GetValueOrDefault(recordId);

        public RecordState Upsert(string recordId, DateTimeOffset modstamp, DateTimeOffset now)
        {
            if (!known.TryGetValue(recordId, out var state))
            {
                state = new RecordState { MappingId = mappingId, RecordId = recordId };
                known[recordId] = state;
            }

            state.SystemModstamp = modstamp;
            state.UpdatedAt = now;
            changed.Add(state);
            return state;
        }
    }

    /// <summary>What a checkpoint saves, copied when its page was done: the save may run while the next page is sent.</summary>
    private sealed record Checkpoint(long RecordsRead, long ApiCalls, long BytesSent, long? EstimatedRecords, IReadOnlyList<(SyncRunMapping Counts, Guid MappingId, SyncCursor? Cursor)> Flows);

    private static Checkpoint Snapshot(RunContext context, List<SyncFlow> flows, bool withCursors)
    {
        var run = context.Run;
        return new Checkpoint(run.RecordsRead, run.ApiCalls, run.BytesSent, run.EstimatedRecords, [.. flows.Select(f =>
        (
            new SyncRunMapping
            {
                Id = f.Counts.Id,
                RecordsRead = f.Counts.RecordsRead,
                MessagesSent = f.Counts.MessagesSent,
                Accepted = f.Counts.Accepted,
                Failed = f.Counts.Failed,
                Deleted = f.Counts.Deleted,
                Retried = f.Counts.Retried,
                GivenUp = f.Counts.GivenUp,
                Unchanged = f.Counts.Unchanged,
            },
            f.Mapping.Id,
            withCursors && f.Mapping.CursorModstamp is { } at && f.Mapping.CursorId is { } id ? new SyncCursor(at, id) : (SyncCursor?)null))]);
    }

    /// <summary>Saves the cursors, the run's counts, the record states and errors in one transaction.</summary>
    private async Task SaveCheckpointAsync(AppDbContext db, RunContext context, Checkpoint run, IReadOnlyCollection<RecordState> states, CancellationToken ct)
    {
        var runId = context.Run.Id;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        stateWriter ??= new RecordStateWriter(db);
        await stateWriter.WriteAsync(db, states, ct);
        await db.SyncRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.RecordsRead, run.RecordsRead)
            .SetProperty(r => r.ApiCalls, run.ApiCalls)
            .SetProperty(r => r.BytesSent, run.BytesSent)
            .SetProperty(r => r.EstimatedRecords, run.EstimatedRecords), ct);
        foreach (var (c, mappingId, cursor) in run.Flows)
        {
            await db.SyncRunMappings.Where(m => m.Id == c.Id).ExecuteUpdateAsync(u => u
                .SetProperty(m => m.RecordsRead, c.RecordsRead)
                .SetProperty(m => m.MessagesSent, c.MessagesSent)
                .SetProperty(m => m.Accepted, c.Accepted)
                .SetProperty(m => m.Failed, c.Failed)
                .SetProperty(m => m.Deleted, c.Deleted)
                .SetProperty(m => m.Retried, c.Retried)
                .SetProperty(m => m.GivenUp, c.GivenUp)
                .SetProperty(m => m.Unchanged, c.Unchanged), ct);
            if (cursor is { } saved)
            {
                await db.Mappings.Where(m => m.Id == mappingId).ExecuteUpdateAsync(u => u
                    .SetProperty(m => m.CursorModstamp, saved.Modstamp)
                    .SetProperty(m => m.CursorId, saved.Id), ct);
            }
        }

        var now = clock.GetUtcNow();
        if (now - context.LastSampleAt >= settings.UsageSampleInterval && meter.Get(context.Source.Id) is { } usage)
        {
            db.ApiUsageSamples.Add(new ApiUsageSample { SourceId = context.Source.Id, At = now, Used = usage.Used, Allowed = usage.Allowed });
            await db.SaveChangesAsync(ct);
            context.LastSampleAt = now;
        }

        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }

    private static SyncCursor CursorOf(SalesforceRecord record, string cursorField, DateTimeOffset fallback)
        => new(Modstamp(record.GetPath(cursorField)) ?? fallback, record.Id ?? "");

    /// <summary>SystemModstamp as a DateTimeOffset or as Salesforce's text (<c>2024-03-05T17:03:29.000+0000</c>).</summary>
    internal static DateTimeOffset? Modstamp(object? value) => value switch
    {
        DateTimeOffset at => at,
        string text when SalesforceDateTime.TryParseDateTime(text.AsSpan(), out var parsed) => parsed,
        _ => null,
    };

    /// <summary>A hash of what a message says (identifiers and traits, not its id or timestamp).</summary>
    internal static string PayloadHash(SegmentMessage message)
    {
        var groupId = (message as GroupMessage)?.GroupId;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new object?[] { message.Type, message.UserId, message.AnonymousId, groupId, message.Traits });
        return Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16));
    }

    private static string? Sample(SyncFlow flow, SalesforceRecord record)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in flow.Model.Fields)
        {
            values[field] = flow.Builder.Value(record, field);
        }

        return Truncate(JsonSerializer.Serialize(values));
    }

    private static string? Truncate(string? text, int max = 1000) => text is null || text.Length <= max ? text : text[..max] + "…";
}
