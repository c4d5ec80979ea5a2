using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Core.Sync;

/// <summary>Schema drift, failed-record retries and hard deletes: the parts of a run around the main read.</summary>
public sealed partial class SyncEngine
{
    /// <summary>
    /// Compares the model's schema snapshot with the describe. A mapped field removed or retyped pauses
    /// the mapping (false); changes to unmapped fields become a notice.
    /// </summary>
    private async Task<bool> CheckDriftAsync(RunContext context, SyncFlow flow, ModelSchema schema, CancellationToken ct)
    {
        var mappedChanges = new List<string>();
        var otherChanges = new List<string>();
        var snapshot = flow.Model.SchemaSnapshot.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var path in flow.Model.Fields.Union(flow.MappedFields, StringComparer.OrdinalIgnoreCase))
        {
            var now = schema.FindField(path);
            string? change = null;
            if (now is null)
            {
                change = $"field `{path}` was removed from {flow.Model.Collection}";
            }
            else if (snapshot.TryGetValue(path, out var then) && !string.Equals(then.Type, now.Type, StringComparison.OrdinalIgnoreCase))
            {
                change = $"field `{path}` changed type from {then.Type} to {now.Type}";
            }

            if (change is not null)
            {
                (flow.MappedFields.Contains(path) ? mappedChanges : otherChanges).Add(change);
            }
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var at = clock.GetUtcNow();
        var messages = otherChanges.Select(change => $"Model \"{flow.Model.Name}\": {change}. No mapping uses it; update the model to stop reading it.")
            .Concat(await CollectionChangesAsync(db, flow, schema, ct));
        foreach (var message in messages)
        {
            if (!await db.SchemaNotices.AnyAsync(n => n.ModelId == flow.Model.Id && !n.Resolved && n.Message == message, ct))
            {
                db.SchemaNotices.Add(new SchemaNotice { SourceId = context.Source.Id, ModelId = flow.Model.Id, Collection = flow.Model.Collection, Message = message, At = at });
            }
        }

        if (mappedChanges.Count == 0)
        {
            await db.SaveChangesAsync(ct);
            return true;
        }

        var reason = $"Paused: schema drift. In Salesforce, {string.Join("; ", mappedChanges)}. This mapping sends that field: update the model and mapping, then enable the mapping again.";
        db.SchemaNotices.Add(new SchemaNotice { SourceId = context.Source.Id, ModelId = flow.Model.Id, MappingId = flow.Mapping.Id, Collection = flow.Model.Collection, Message = reason, At = at });
        await db.SaveChangesAsync(ct);
        await db.Mappings.Where(m => m.Id == flow.Mapping.Id).ExecuteUpdateAsync(u => u
            .SetProperty(m => m.PausedReason, reason)
            .SetProperty(m => m.PausedAt, at), ct);
        flow.Counts.State = SyncRunState.Paused;
        flow.Counts.Reason = reason;
        logger.LogWarning("Mapping {MappingId} paused by schema drift: {Changes}", flow.Mapping.Id, string.Join("; ", mappedChanges));
        return false;
    }

    /// <summary>
    /// Fields added to or removed from the collection outside the model since it was last described, as notices
    /// (each once), and the model's record of the collection's fields brought up to date. A model saved before
    /// that record existed starts it silently.
    /// </summary>
    private static async Task<IReadOnlyList<string>> CollectionChangesAsync(AppDbContext db, SyncFlow flow, ModelSchema schema, CancellationToken ct)
    {
        var now = schema.Collection.Fields.Select(f => f.Name).ToList();
        var known = flow.Model.CollectionFields;
        var inModel = flow.Model.Fields.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var added = now.Except(known, StringComparer.OrdinalIgnoreCase).Where(f => !inModel.Contains(f)).ToList();
        var removed = known.Except(now, StringComparer.OrdinalIgnoreCase).Where(f => !inModel.Contains(f)).ToList();
        if (known.Count > 0 && added.Count == 0 && removed.Count == 0)
        {
            return [];
        }

        await db.Models.Where(m => m.Id == flow.Model.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.CollectionFields, now), ct);
        flow.Model.CollectionFields = now;
        if (known.Count == 0)
        {
            return [];
        }

        var name = flow.Model.Name;
        var collection = flow.Model.Collection;
        return
        [
            .. added.Select(f => $"Model \"{name}\": field `{f}` was added to {collection}. The model does not read it; edit the model to add it if a mapping should send it."),
            .. removed.Select(f => $"Model \"{name}\": field `{f}` was removed from {collection}. The model does not read it, so nothing changes for its mappings."),
        ];
    }

    /// <summary>Re-reads records that failed on earlier runs, by Id, and sends their latest data; gives up on old ones.</summary>
    private async Task RetryFailedAsync(RunContext context, ModelSchema schema, string cursorField, ReadGroup group, CancellationToken ct)
    {
        var mappingIds = group.Flows.Select(f => f.Mapping.Id).ToList();
        var now = clock.GetUtcNow();
        List<string> ids;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var open = await db.RecordErrors.Where(e => mappingIds.Contains(e.MappingId) && e.State == RecordErrorState.Open).ToListAsync(ct);
            if (open.Count == 0)
            {
                return;
            }

            foreach (var expired in open.Where(e => now - e.FirstSeenAt >= settings.GiveUpAfter))
            {
                expired.State = RecordErrorState.GivenUp;
                group.Flows.First(f => f.Mapping.Id == expired.MappingId).Counts.GivenUp++;
            }

            await db.SaveChangesAsync(ct);
            ids = open.Where(e => e.State == RecordErrorState.Open).Select(e => e.RecordId).Distinct(StringComparer.Ordinal).ToList();
        }

        foreach (var chunk in ids.Chunk(Math.Max(1, settings.RetryChunkSize)))
        {
            var query = schema.Query(group.Fields, group.Filter, Soql.In("Id", chunk));
            var found = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var page in ReadPagesAsync(context, query.ToSoql(), ct))
            {
                foreach (var record in page.Records)
                {
                    found.Add(record.Id ?? "");
                }

                await ProcessPageAsync(context, group.Flows, page.Records, cursorField, checkpoint: false, ct);
            }

            var missing = chunk.Where(id => !found.Contains(id)).ToList();
            if (missing.Count > 0)
            {
                await MarkMissingAsync(context, group, missing, ct);
            }
        }
    }

    private async Task MarkMissingAsync(RunContext context, ReadGroup group, List<string> missing, CancellationToken ct)
    {
        await context.PendingCheckpoint;
        var mappingIds = group.Flows.Select(f => f.Mapping.Id).ToList();
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var errors = await db.RecordErrors.Where(e => mappingIds.Contains(e.MappingId) && e.State == RecordErrorState.Open && missing.Contains(e.RecordId)).ToListAsync(ct);
        foreach (var error in errors)
        {
            if (error.RunId != context.Run.Id)
            {
                error.Attempts++;
            }

            error.RunId = context.Run.Id;
            error.LastSeenAt = now;
            error.Reason = "The record was not found when re-read: it was deleted or no longer matches the model's filter.";
            if (error.Attempts >= settings.MaxRecordAttempts)
            {
                error.State = RecordErrorState.GivenUp;
                group.Flows.First(f => f.Mapping.Id == error.MappingId).Counts.GivenUp++;
            }
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Hard-deleted records are invisible to queryAll; the <c>deleted</c> resource lists them. A record
    /// this mapping had sent is counted and marked deleted (its identifiers are gone with it, so a
    /// "send a trait" policy can only act on soft deletes, which queryAll returns with their fields).
    /// </summary>
    private async Task ApplyHardDeletesAsync(RunContext context, string collection, ReadGroup group, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        if (group.Flows.All(f => f.Mapping.DeletePolicy == DeletePolicy.Ignore))
        {
            return;
        }

        EnsureBudget(context);
        var earliest = to.AddDays(-29);
        SalesforceDeletedResult deleted;
        try
        {
            deleted = await context.Client.GetDeletedAsync(collection, from < earliest ? earliest : from, to, ct);
            context.Run.ApiCalls++;
        }
        catch (SalesforceApiException ex) when (ex is not SalesforceApiLimitExceededException)
        {
            context.Run.ApiCalls++;
            logger.LogWarning("Listing deleted {Collection} records failed: {Error}", collection, ex.Message);
            return;
        }

        if (deleted.DeletedRecords.Count == 0)
        {
            return;
        }

        var ids = deleted.DeletedRecords.Select(d => d.Id).Distinct(StringComparer.Ordinal).ToList();
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var changed = new List<RecordState>();
        foreach (var flow in group.Flows.Where(f => f.Mapping.DeletePolicy != DeletePolicy.Ignore))
        {
            var mappingId = flow.Mapping.Id;
            foreach (var chunk in ids.Chunk(500))
            {
                var states = await db.RecordStates.AsNoTracking().Where(s => s.MappingId == mappingId && chunk.Contains(s.RecordId) && s.State != RecordSyncState.Deleted).ToListAsync(ct);
                foreach (var state in states)
                {
                    state.State = RecordSyncState.Deleted;
                    state.UpdatedAt = now;
                    flow.Counts.Deleted++;
                    changed.Add(state);
                }
            }
        }

        await SaveCheckpointAsync(db, context, Snapshot(context, group.Flows, withCursors: false), changed, ct);
    }
}
