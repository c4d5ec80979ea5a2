using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Core.Models;

/// <summary>One row of a models list.</summary>
public sealed record ModelSummary(DataModel Model, string SourceName, int MappingCount)
{
    public Guid Id => Model.Id;

    public Guid SourceId => Model.SourceId;

    public string Name => Model.Name;

    public string Collection => Model.Collection;

    public int FieldCount => Model.Fields.Count;
}

/// <summary>A schema change in Salesforce the sync noticed on a model's collection, for people to review.</summary>
public sealed record SchemaNoticeView(long Id, Guid ModelId, string ModelName, string Message, DateTimeOffset At, bool PausedAMapping);

/// <summary>A saved model for its page, with the mappings that use it (named for people).</summary>
public sealed record ModelDetails(DataModel Model, string SourceName, SourceConnectionState SourceState, IReadOnlyList<string> Mappings);

/// <summary>Lists, saves and deletes models. Every change checks that the caller is an Admin.</summary>
public sealed class ModelService(
    IDbContextFactory<AppDbContext> contexts,
    SourceService sources,
    TimeProvider clock,
    ILogger<ModelService> logger)
{
    public async Task<IReadOnlyList<ModelSummary>> ListAsync(Guid? sourceId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var models = await db.Models.AsNoTracking().Where(m => sourceId == null || m.SourceId == sourceId).ToListAsync(ct);
        var sourceNames = await db.Sources.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var ids = models.Select(m => m.Id).ToList();
        var usage = (await db.Mappings.AsNoTracking().Where(m => ids.Contains(m.ModelId)).Select(m => m.ModelId).ToListAsync(ct))
            .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        return models
            .Select(m => new ModelSummary(m, sourceNames.GetValueOrDefault(m.SourceId, "?"), usage.GetValueOrDefault(m.Id)))
            .OrderBy(m => m.SourceName, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public async Task<ModelDetails?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (model is null)
        {
            return null;
        }

        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == model.SourceId, ct);
        return new ModelDetails(model, source?.Name ?? "?", source?.ConnectionState ?? SourceConnectionState.NeedsReconnect, await MappingNamesAsync(db, id, ct));
    }

    /// <summary>Opens an editing session on a source's org; null with a message when the source cannot be read.</summary>
    public async Task<(ModelEditingSession? Session, string? Error, bool NeedsReconnect)> OpenSessionAsync(Guid sourceId, CancellationToken ct)
    {
        var source = await sources.GetAsync(sourceId, ct);
        if (source is null)
        {
            return (null, "This source no longer exists.", false);
        }

        if (source.Summary.ConnectionState == SourceConnectionState.NeedsReconnect)
        {
            return (null, $"This source must be reconnected before its org can be read{(source.Summary.ConnectionProblem is { } p ? ": " + p : ".")}", true);
        }

        var client = await sources.CreateClientAsync(sourceId, ct);
        return client is null
            ? (null, "This source is not connected. Reconnect it first.", true)
            : (new ModelEditingSession(sourceId, source.Collections, client), null, false);
    }

    /// <summary>
    /// Saves a new or edited model after checking it against the org now (describes revalidated): a field
    /// that vanished, an encrypted field or a filter that no longer compiles is refused with its name.
    /// </summary>
    public async Task<OperationResult<Guid>> SaveAsync(ClaimsPrincipal user, ModelInput input, ModelEditingSession? session, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            return OperationResult<Guid>.Fail("Only an Admin can create or change models.");
        }

        var invalid = new ModelInputValidator().Validate(input);
        if (!invalid.IsValid)
        {
            return OperationResult<Guid>.Fail(invalid.Errors.Select(e => e.ErrorMessage).Distinct().ToList());
        }

        var name = input.Name.Trim();
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var names = await db.Models.AsNoTracking().Where(m => m.SourceId == input.SourceId && m.Id != input.Id).Select(m => m.Name).ToListAsync(ct);
            if (names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return OperationResult<Guid>.Fail($"This source already has a model named \"{name}\". Choose another name.");
            }
        }

        if (session is null || session.SourceId != input.SourceId)
        {
            var opened = await OpenSessionAsync(input.SourceId, ct);
            if (opened.Session is null)
            {
                return OperationResult<Guid>.Fail(opened.Error!) with { NeedsReconnect = opened.NeedsReconnect };
            }

            session = opened.Session;
        }

        var fields = input.NormalizedFields();
        var filter = input.ToFilter();
        List<ModelFieldSnapshot> snapshot;
        List<string> collectionFields;
        try
        {
            if (!session.Collections.Any(c => string.Equals(c.Name, input.Collection, StringComparison.OrdinalIgnoreCase)))
            {
                return OperationResult<Guid>.Fail($"{input.Collection} is not in this source's Selective Sync. Add it there first, or choose another collection.");
            }

            var schema = await session.Describes.LoadSchemaAsync(input.Collection, fields, revalidate: true, ct);
            var errors = new List<string>();
            errors.AddRange(fields.Where(f => !session.IsAllowed(input.Collection, f, schema.Collection))
                .Select(f => $"`{f}` is not in this source's Selective Sync. Add it there first, or remove it from the model."));
            errors.AddRange(ModelSchemaCheck.Check(schema, fields).Where(m => m.Level == FieldMarkLevel.Error).Select(m => m.Message));
            errors.AddRange(schema.CompileFilter(filter).Errors);
            if (errors.Count > 0)
            {
                return OperationResult<Guid>.Fail(errors);
            }

            fields = fields.Select(f => Spelling(schema, f)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            snapshot = fields.Select(f => (Path: f, Field: schema.FindField(f)!))
                .Select(x => new ModelFieldSnapshot(x.Path, x.Field.Type, x.Field.Length, x.Field.Nillable, x.Field.Calculated)).ToList();
            collectionFields = schema.Collection.Fields.Select(f => f.Name).ToList();
        }
        catch (Exception e) when (ModelEditingSession.Message(e, input.SourceId) is { } message)
        {
            return OperationResult<Guid>.Fail(message.Text) with { NeedsReconnect = message.NeedsReconnect };
        }

        return await StoreAsync(input, name, fields, filter, snapshot, collectionFields, ct);
    }

    /// <summary>Deletes a model no mapping uses; otherwise refuses and names the mappings.</summary>
    public async Task<OperationResult> DeleteAsync(ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            return OperationResult.Fail("Only an Admin can delete models.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await db.Models.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (model is null)
        {
            return OperationResult.Fail("This model no longer exists.");
        }

        var mappings = await MappingNamesAsync(db, id, ct);
        if (mappings.Count > 0)
        {
            return OperationResult.Fail($"\"{model.Name}\" is used by {(mappings.Count == 1 ? "a mapping" : $"{mappings.Count} mappings")}: {string.Join("; ", mappings)}. Delete {(mappings.Count == 1 ? "it" : "them")} first.");
        }

        db.Models.Remove(model);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Model {ModelId} deleted", id);
        return OperationResult.Ok();
    }

    /// <summary>
    /// Schema changes the sync noticed in Salesforce that nobody has dismissed yet, newest first: for one model,
    /// or for every model when <paramref name="modelId"/> is null.
    /// </summary>
    public async Task<IReadOnlyList<SchemaNoticeView>> OpenNoticesAsync(Guid? modelId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var notices = await db.SchemaNotices.AsNoTracking()
            .Where(n => !n.Resolved && (modelId == null || n.ModelId == modelId))
            .Join(db.Models, n => n.ModelId, m => m.Id, (n, m) => new { n.Id, n.ModelId, ModelName = m.Name, n.Message, n.At, n.MappingId })
            .ToListAsync(ct);
        return notices.OrderByDescending(n => n.At).ThenByDescending(n => n.Id)
            .Select(n => new SchemaNoticeView(n.Id, n.ModelId, n.ModelName, n.Message, n.At, n.MappingId is not null))
            .ToList();
    }

    /// <summary>Marks a schema notice as seen, so it leaves the model page and the dashboard. Admins only.</summary>
    public async Task<OperationResult> DismissNoticeAsync(ClaimsPrincipal user, long noticeId, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            return OperationResult.Fail("Only an Admin can dismiss schema notices.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var changed = await db.SchemaNotices.Where(n => n.Id == noticeId).ExecuteUpdateAsync(u => u.SetProperty(n => n.Resolved, true), ct);
        return changed == 1 ? OperationResult.Ok() : OperationResult.Fail("This notice no longer exists.");
    }

    private async Task<OperationResult<Guid>> StoreAsync(ModelInput input, string name, List<string> fields, ModelFilter? filter, List<ModelFieldSnapshot> snapshot, List<string> collectionFields, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        DataModel model;
        if (input.Id is { } id)
        {
            model = await db.Models.FirstOrDefaultAsync(m => m.Id == id, ct) ?? throw new InvalidOperationException();
            if (model.Version != input.Version)
            {
                return OperationResult<Guid>.Fail("Someone else changed this model while you were editing. Reload the page to see their changes.");
            }
        }
        else
        {
            model = new DataModel { Id = Guid.NewGuid(), SourceId = input.SourceId, Name = name, Collection = input.Collection, CreatedAt = now };
            db.Models.Add(model);
        }

        model.Name = name;
        model.Collection = input.Collection;
        model.Fields = fields;
        model.Filter = filter;
        model.SchemaSnapshot = snapshot;
        model.CollectionFields = collectionFields;
        model.UpdatedAt = now;
        model.Version = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperationResult<Guid>.Fail("Someone else changed this model while you were editing. Reload the page to see their changes.");
        }
        catch (DbUpdateException)
        {
            return OperationResult<Guid>.Fail($"This source already has a model named \"{name}\". Choose another name.");
        }

        logger.LogInformation("Model {ModelId} saved with {Count} field(s)", model.Id, fields.Count);
        return OperationResult<Guid>.Ok(model.Id);
    }

    private static string Spelling(ModelSchema schema, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var field = schema.FindField(path)!;
        return dot < 0 ? field.Name : schema.Collection.FindRelationship(path[..dot])!.RelationshipName + "." + field.Name;
    }

    private static async Task<IReadOnlyList<string>> MappingNamesAsync(AppDbContext db, Guid modelId, CancellationToken ct)
    {
        var mappings = await db.Mappings.AsNoTracking().Where(m => m.ModelId == modelId).ToListAsync(ct);
        if (mappings.Count == 0)
        {
            return [];
        }

        var destinationIds = mappings.Select(m => m.DestinationId).Distinct().ToList();
        var destinations = await db.Destinations.AsNoTracking().Include(d => d.Spaces).Where(d => destinationIds.Contains(d.Id)).ToListAsync(ct);
        return mappings.Select(m =>
        {
            var destination = destinations.FirstOrDefault(d => d.Id == m.DestinationId);
            var space = destination?.Spaces.FirstOrDefault(s => s.Id == m.ProfileSpaceId);
            return $"{m.Action} to {destination?.Name ?? "a deleted destination"} ({space?.Name ?? "profile space"})";
        }).ToList();
    }
}
