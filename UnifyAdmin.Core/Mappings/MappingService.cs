using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Core.Mappings;

/// <summary>One row of a destination's (or all) mappings.</summary>
public sealed record MappingSummary(
    Guid Id, Guid ModelId, string ModelName, string Collection, Guid DestinationId, string DestinationName,
    MappingAction Action, string SpaceName, bool Enabled, int Revision, string? PausedReason, DateTimeOffset UpdatedAt);

/// <summary>A model as the mapping pages need it.</summary>
public sealed record MappingModelInfo(Guid Id, string Name, string Collection, Guid SourceId, string? SourceName, IReadOnlyList<string> Fields);

/// <summary>Everything the editor opens with: the model's fields as the org has them now, the destination's spaces, sample records.</summary>
/// <param name="SchemaProblem">Why the org's schema could not be read now (then the model's saved snapshot stands in), or null.</param>
/// <param name="SavedRevision">The saved mapping's revision; 0 for a new mapping.</param>
public sealed record MappingEditorData(
    MappingModelInfo Model,
    DestinationDetails Destination,
    MappingFieldCatalog Catalog,
    string? SchemaProblem,
    MappingInput Input,
    int SavedRevision,
    bool Enabled,
    IReadOnlyList<SalesforceRecord> Samples,
    string? SamplesProblem,
    Mapping? Saved)
{
    /// <summary>The revision the mapping has once <paramref name="input"/> is saved: a change to what it sends bumps it.</summary>
    public int RevisionAfterSave(MappingInput input)
        => Saved is null ? 1 : MappingService.ChangesWhatItSends(Saved, input.ToMapping(Saved.Revision)) ? Saved.Revision + 1 : Saved.Revision;
}

/// <summary>A mapping as saved (or deleted): its id and the revision its messageIds carry.</summary>
public sealed record SavedMapping(Guid Id, int Revision);

/// <summary>
/// Lists, opens, saves and deletes mappings. Saves are checked for the Admin role and validated against
/// the model's fields as the org describes them now; a saved change to what a mapping sends bumps its
/// revision (and so every messageId).
/// </summary>
public sealed class MappingService(
    IDbContextFactory<AppDbContext> contexts,
    DestinationService destinations,
    SourceService sources,
    TimeProvider clock,
    ILogger<MappingService> logger)
{
    public const string ConcurrencyMessage = "Someone else changed this mapping after you opened it. Reload the page to see their changes, then make yours again.";
    public const int SampleSize = 5;
    public const string NoRecordsMessage = "No records found.";

    public async Task<IReadOnlyList<MappingSummary>> ListAsync(Guid? destinationId, Guid? modelId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = from m in db.Mappings.AsNoTracking()
                    join model in db.Models on m.ModelId equals model.Id
                    join d in db.Destinations on m.DestinationId equals d.Id
                    join s in db.Set<ProfileSpace>() on m.ProfileSpaceId equals s.Id into spaces
                    from s in spaces.DefaultIfEmpty()
                    select new { m, ModelName = model.Name, model.Collection, DestinationName = d.Name, SpaceName = s != null ? s.Name : null };
        if (destinationId is { } dest)
        {
            query = query.Where(r => r.m.DestinationId == dest);
        }

        if (modelId is { } mod)
        {
            query = query.Where(r => r.m.ModelId == mod);
        }

        var rows = await query.ToListAsync(ct);
        return rows
            .Select(r => new MappingSummary(
                r.m.Id, r.m.ModelId, r.ModelName, r.Collection, r.m.DestinationId, r.DestinationName, r.m.Action,
                r.SpaceName ?? "(space removed)", r.m.Enabled, r.m.Revision, r.m.PausedReason, r.m.UpdatedAt))
            .OrderBy(r => r.ModelName, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Action)
            .ToList();
    }

    /// <summary>The models of all sources, for "Add mapping" on a destination (a model is chosen first).</summary>
    public async Task<IReadOnlyList<MappingModelInfo>> ListModelsAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await (from m in db.Models.AsNoTracking()
                          join s in db.Sources on m.SourceId equals s.Id
                          select new { m, SourceName = s.Name }).ToListAsync(ct);
        return rows.Select(r => Info(r.m, r.SourceName)).OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<MappingModelInfo?> GetModelAsync(Guid modelId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == modelId, ct);
        if (model is null)
        {
            return null;
        }

        var sourceName = await db.Sources.Where(s => s.Id == model.SourceId).Select(s => s.Name).FirstOrDefaultAsync(ct);
        return Info(model, sourceName);
    }

    /// <summary>The saved mapping, or null.</summary>
    public async Task<Mapping?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Mappings.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
    }

    /// <summary>
    /// Opens the editor for a new mapping (<paramref name="mappingId"/> null) or a saved one. Reads the
    /// model's schema and up to <see cref="SampleSize"/> rows from the org now. Null when the destination,
    /// model or mapping does not exist.
    /// </summary>
    public async Task<MappingEditorData?> OpenEditorAsync(Guid destinationId, Guid? modelId, Guid? mappingId, CancellationToken ct)
    {
        Mapping? saved = null;
        if (mappingId is { } id)
        {
            saved = await GetAsync(id, ct);
            if (saved is null || saved.DestinationId != destinationId)
            {
                return null;
            }

            modelId = saved.ModelId;
        }

        var destination = await destinations.GetAsync(destinationId, ct);
        if (destination is null || modelId is not { } mid)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == mid, ct);
        if (model is null)
        {
            return null;
        }

        var sourceName = await db.Sources.Where(s => s.Id == model.SourceId).Select(s => s.Name).FirstOrDefaultAsync(ct);
        var live = await LoadSchemaAsync(model, ct);
        var input = saved is null ? NewInput(model, destination) : MappingInput.From(saved);
        IReadOnlyList<SalesforceRecord> samples = [];
        string? samplesProblem = null;
        if (live.Client is { } client && live.Schema is { } schema)
        {
            (samples, samplesProblem) = await QueryAsync(client, schema, model, live.Catalog, null, SampleSize, ct);
        }

        return new MappingEditorData(
            Info(model, sourceName), destination, live.Catalog, live.Problem, input, saved?.Revision ?? 0, saved?.Enabled ?? false,
            samples, samplesProblem ?? (live.Client is null ? live.Problem : null), saved);
    }

    /// <summary>Records of the model found by Salesforce Id or by name (up to <see cref="SampleSize"/>), for "Test with real data".</summary>
    public async Task<(IReadOnlyList<SalesforceRecord> Records, string? Problem)> FindRecordsAsync(Guid modelId, string text, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == modelId, ct);
        if (model is null)
        {
            return ([], "This model no longer exists.");
        }

        var live = await LoadSchemaAsync(model, ct);
        if (live.Client is not { } client || live.Schema is not { } schema)
        {
            return ([], live.Problem);
        }

        var term = text.Trim();
        if (term.Length == 0)
        {
            return await QueryAsync(client, schema, model, live.Catalog, null, SampleSize, ct);
        }

        SoqlCondition condition;
        if (LooksLikeId(term))
        {
            condition = Soql.Equal("Id", term);
        }
        else if (schema.Collection.FindField("Name") is not null)
        {
            condition = Soql.Contains("Name", term);
        }
        else if (schema.Collection.FindField("Email") is not null)
        {
            condition = Soql.Contains("Email", term);
        }
        else
        {
            return ([], $"{model.Collection} has no Name field: search by Salesforce Id (15 or 18 characters).");
        }

        return await QueryAsync(client, schema, model, live.Catalog, condition, SampleSize, ct);
    }

    /// <summary>Reads records of the model by Id, fresh from the org (the test send sends what Salesforce holds now).</summary>
    internal async Task<(DataModel? Model, LiveSchema Live, IReadOnlyList<SalesforceRecord> Records, string? Problem)> ReadRecordsAsync(
        Guid modelId, IReadOnlyList<string>? ids, int limit, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == modelId, ct);
        if (model is null)
        {
            return (null, new LiveSchema(new MappingFieldCatalog([]), null, null, "This model no longer exists."), [], "This model no longer exists.");
        }

        var live = await LoadSchemaAsync(model, ct);
        if (live.Client is not { } client || live.Schema is not { } schema)
        {
            return (model, live, [], live.Problem);
        }

        var condition = ids is { Count: > 0 } ? Soql.In("Id", ids.Cast<object?>()) : null;
        var (records, problem) = await QueryAsync(client, schema, model, live.Catalog, condition, limit, ct);
        return (model, live, records, problem);
    }

    /// <summary>Saves the editor's input: a new mapping is saved with Mapping Status disabled; a change to what it sends bumps the revision.</summary>
    public async Task<OperationResult<SavedMapping>> SaveAsync(ClaimsPrincipal actor, MappingInput input, CancellationToken ct)
    {
        if (!actor.IsInRole(Roles.Admin))
        {
            return OperationResult<SavedMapping>.Fail("Only an Admin can add or change mappings.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == input.ModelId, ct);
        if (model is null)
        {
            return OperationResult<SavedMapping>.Fail("The model of this mapping no longer exists.");
        }

        var destination = await db.Destinations.AsNoTracking().Include(d => d.Spaces).FirstOrDefaultAsync(d => d.Id == input.DestinationId, ct);
        if (destination is null)
        {
            return OperationResult<SavedMapping>.Fail(DestinationService.NotFoundMessage);
        }

        var live = await LoadSchemaAsync(model, ct);
        var validation = await new MappingInputValidator(live.Catalog, destination.Spaces.Select(s => s.Id).ToList()).ValidateAsync(input, ct);
        if (!validation.IsValid)
        {
            return OperationResult<SavedMapping>.Fail(validation.Errors.Select(e => Describe(e.PropertyName, e.ErrorMessage)).Distinct().ToArray());
        }

        var now = clock.GetUtcNow();
        var wanted = input.ToMapping(1);
        var existing = await db.Mappings.FirstOrDefaultAsync(m => m.Id == input.Id, ct);
        if (existing is null)
        {
            if (input.IsSaved)
            {
                return OperationResult<SavedMapping>.Fail("This mapping no longer exists.");
            }

            wanted.Enabled = false;
            wanted.CreatedAt = now;
            wanted.UpdatedAt = now;
            wanted.Version = Guid.NewGuid();
            db.Mappings.Add(wanted);
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Mapping {MappingId} of model {ModelId} to destination {DestinationId} created (disabled)", wanted.Id, wanted.ModelId, wanted.DestinationId);
            return OperationResult<SavedMapping>.Ok(new SavedMapping(wanted.Id, wanted.Revision));
        }

        if (existing.DestinationId != input.DestinationId || existing.ModelId != input.ModelId)
        {
            return OperationResult<SavedMapping>.Fail("A mapping keeps its model and destination. Add a new mapping instead.");
        }

        if (existing.Version != input.Version)
        {
            return OperationResult<SavedMapping>.Fail(ConcurrencyMessage);
        }

        if (ChangesWhatItSends(existing, wanted))
        {
            existing.Revision++;
        }

        existing.ProfileSpaceId = wanted.ProfileSpaceId;
        existing.Action = wanted.Action;
        existing.UserIdField = wanted.UserIdField;
        existing.AnonymousIdField = wanted.AnonymousIdField;
        existing.GroupIdField = wanted.GroupIdField;
        existing.Traits = wanted.Traits;
        existing.Naming = wanted.Naming;
        existing.SendNulls = wanted.SendNulls;
        existing.TimestampField = wanted.TimestampField;
        existing.UpdatedAt = now;
        db.Entry(existing).Property(m => m.Version).OriginalValue = input.Version;
        existing.Version = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperationResult<SavedMapping>.Fail(ConcurrencyMessage);
        }

        logger.LogInformation("Mapping {MappingId} saved at revision {Revision}", existing.Id, existing.Revision);
        return OperationResult<SavedMapping>.Ok(new SavedMapping(existing.Id, existing.Revision));
    }

    public async Task<OperationResult<SavedMapping>> DeleteAsync(ClaimsPrincipal actor, Guid id, CancellationToken ct)
    {
        if (!actor.IsInRole(Roles.Admin))
        {
            return OperationResult<SavedMapping>.Fail("Only an Admin can delete mappings.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var mapping = await db.Mappings.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mapping is null)
        {
            return OperationResult<SavedMapping>.Fail("This mapping no longer exists.");
        }

        db.Mappings.Remove(mapping);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Mapping {MappingId} deleted", id);
        return OperationResult<SavedMapping>.Ok(new SavedMapping(id, mapping.Revision));
    }

    /// <summary>True when a saved mapping and an edited one would send different messages for the same record.</summary>
    public static bool ChangesWhatItSends(Mapping saved, Mapping edited)
        => saved.ProfileSpaceId != edited.ProfileSpaceId
            || saved.Action != edited.Action
            || !SameField(saved.UserIdField, edited.UserIdField)
            || !SameField(saved.AnonymousIdField, edited.AnonymousIdField)
            || !SameField(saved.Action == MappingAction.Group ? saved.GroupIdField : null, edited.Action == MappingAction.Group ? edited.GroupIdField : null)
            || !saved.Traits.SequenceEqual(edited.Traits)
            || saved.SendNulls != edited.SendNulls
            || !SameField(saved.TimestampField, edited.TimestampField);

    /// <summary>Prefixes trait row errors with their row ("Trait 2: …") for messages shown away from the field.</summary>
    public static string Describe(string propertyName, string message)
    {
        const string prefix = nameof(MappingInput.Traits) + "[";
        if (propertyName.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(propertyName.AsSpan(prefix.Length, propertyName.IndexOf(']') - prefix.Length), out var index))
        {
            return $"Trait {index + 1}: {message}";
        }

        return message;
    }

    /// <summary>The model's fields against the org's describe now; the snapshot stands in when the org cannot be read.</summary>
    internal async Task<LiveSchema> LoadSchemaAsync(DataModel model, CancellationToken ct)
    {
        ISalesforceClient? client;
        try
        {
            client = await sources.CreateClientAsync(model.SourceId, ct);
        }
        catch (InvalidOperationException ex)
        {
            return Snapshot(model, ex.Message);
        }

        if (client is null)
        {
            return Snapshot(model, "The model's source is not connected. Reconnect it on the source's page.");
        }

        try
        {
            var schema = await ModelSchema.LoadAsync(client, model.Collection, model.Fields, ct);
            var fields = model.Fields.Select(path => schema.FindField(path) is { } f
                ? new MappingField(path, f.Label ?? f.Name, f.Type, true, f.ExternalId, f.Unique)
                : new MappingField(path, path, model.SchemaSnapshot.FirstOrDefault(s => string.Equals(s.Name, path, StringComparison.OrdinalIgnoreCase))?.Type ?? "unknown", false));
            return new LiveSchema(new MappingFieldCatalog(fields), client, schema, null);
        }
        catch (Exception ex) when (ex is SalesforceException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Reading the schema of model {ModelId} failed: {Error}", model.Id, ex.Message);
            return Snapshot(model, $"The org's schema could not be read now ({ex.Message}). The fields are shown as saved with the model.");
        }
    }

    private static LiveSchema Snapshot(DataModel model, string problem)
    {
        var fields = model.Fields.Select(path =>
        {
            var snap = model.SchemaSnapshot.FirstOrDefault(s => string.Equals(s.Name, path, StringComparison.OrdinalIgnoreCase));
            return new MappingField(path, path, snap?.Type ?? "string", true);
        });
        return new LiveSchema(new MappingFieldCatalog(fields), null, null, problem);
    }

    private async Task<(IReadOnlyList<SalesforceRecord>, string?)> QueryAsync(
        ISalesforceClient client, ModelSchema schema, DataModel model, MappingFieldCatalog catalog, SoqlCondition? extra, int limit, CancellationToken ct)
    {
        try
        {
            // Fields gone from the org are left out, so drift is flagged in the editor instead of failing the query.
            var query = schema.Query(catalog.Available.Select(f => f.Path), model.Filter, extra).Limit(limit);
            var records = new List<SalesforceRecord>();
            await foreach (var record in client.QueryAsync(query, ct: ct))
            {
                records.Add(record);
                if (records.Count >= limit)
                {
                    break;
                }
            }

            return (records, records.Count == 0 ? NoRecordsMessage : null);
        }
        catch (Exception ex) when (ex is SalesforceException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Reading records of model {ModelId} failed: {Error}", model.Id, ex.Message);
            return ([], $"Records could not be read from Salesforce: {ex.Message}");
        }
    }

    private static MappingInput NewInput(DataModel model, DestinationDetails destination) => new()
    {
        ModelId = model.Id,
        DestinationId = destination.Id,
        ProfileSpaceId = destination.Spaces.Count == 1 ? destination.Spaces[0].Id : null,
        TimestampField = model.Fields.Contains("SystemModstamp", StringComparer.OrdinalIgnoreCase) ? "SystemModstamp" : null,
    };

    private static bool LooksLikeId(string text)
        => text.Length is 15 or 18 && text.All(char.IsAsciiLetterOrDigit) && text.Any(char.IsDigit);

    private static bool SameField(string? a, string? b) => string.Equals(a ?? "", b ?? "", StringComparison.OrdinalIgnoreCase);

    private static MappingModelInfo Info(DataModel model, string? sourceName)
        => new(model.Id, model.Name, model.Collection, model.SourceId, sourceName, model.Fields);
}

/// <summary>A model's fields as the org has them now, and the client and describes to query it (null when the org cannot be read).</summary>
internal sealed record LiveSchema(MappingFieldCatalog Catalog, ISalesforceClient? Client, ModelSchema? Schema, string? Problem);
