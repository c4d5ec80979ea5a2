using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Segment;
using UnifyAdmin.Core.Sync;

namespace UnifyAdmin.Core.Monitoring;

/// <summary>Where one Salesforce record went: per mapping its last send, and its error history.</summary>
public sealed record RecordTraceResult(string RecordId, IReadOnlyList<RecordFlowTrace> Flows, IReadOnlyList<ErrorRow> Errors);

public sealed record RecordFlowTrace(Guid MappingId, string FlowName, RecordSyncState State, DateTimeOffset LastSentAt, DateTimeOffset SystemModstamp, string? MessageId, string? PayloadHash, string? LastPayload);

/// <summary>A profile read back through the Profile API, or why it could not be.</summary>
public sealed record ProfileReadBack(bool Found, string? Problem, string? Identifier, IReadOnlyDictionary<string, JsonElement>? Traits);

/// <summary>Finds a record by its Salesforce Id in every mapping, and reads its profile back.</summary>
public sealed class RecordTraceService(
    IDbContextFactory<AppDbContext> contexts,
    SegmentProfileClient profiles,
    SecretProtector secrets)
{
    public static bool LooksLikeSalesforceId(string? id) => id is { Length: 15 or 18 } && id.All(char.IsAsciiLetterOrDigit);

    public async Task<RecordTraceResult> FindAsync(string recordId, CancellationToken ct)
    {
        recordId = recordId.Trim();
        await using var db = await contexts.CreateDbContextAsync(ct);

        // 15-character Ids are the case-sensitive form of the 18-character ones: match on the prefix.
        var states = await db.RecordStates.AsNoTracking()
            .Where(s => s.RecordId == recordId || (recordId.Length == 15 && s.RecordId.StartsWith(recordId)))
            .ToListAsync(ct);
        var errors = await db.RecordErrors.AsNoTracking()
            .Where(e => e.RecordId == recordId || (recordId.Length == 15 && e.RecordId.StartsWith(recordId)))
            .OrderByDescending(e => e.LastSeenAt).Take(200)
            .Select(e => new ErrorRow(e.Id, e.RecordId, e.MappingId, e.Reason, e.PayloadSample, e.FirstSeenAt, e.LastSeenAt, e.Attempts, e.State))
            .ToListAsync(ct);
        var mappingIds = states.Select(s => s.MappingId).Concat(errors.Select(e => e.MappingId)).Distinct().ToList();
        var names = await RunDetailQueries.FlowNamesAsync(db, mappingIds, ct);
        var flows = states.Select(s => new RecordFlowTrace(
                s.MappingId, names.GetValueOrDefault(s.MappingId, "(removed mapping)"), s.State, s.UpdatedAt, s.SystemModstamp, s.MessageId, s.PayloadHash,
                errors.FirstOrDefault(e => e.MappingId == s.MappingId)?.PayloadSample))
            .OrderBy(f => f.FlowName).ToList();

        // A record that only ever failed still shows the mapping it flows through.
        foreach (var id in errors.Select(e => e.MappingId).Distinct().Where(id => flows.All(f => f.MappingId != id)))
        {
            var last = errors.First(e => e.MappingId == id);
            flows.Add(new RecordFlowTrace(id, names.GetValueOrDefault(id, "(removed mapping)"), RecordSyncState.Failed, last.LastSeenAt, default, null, null, last.PayloadSample));
        }

        return new RecordTraceResult(recordId, flows, errors);
    }

    /// <summary>
    /// Reads the profile a mapping writes for this record, by the identifier its last payload carried
    /// (userId, anonymousId or groupId). Needs the profile space's Profile API token.
    /// </summary>
    public async Task<ProfileReadBack> ReadProfileAsync(Guid mappingId, string? identifier, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var mapping = await db.Mappings.AsNoTracking().FirstOrDefaultAsync(m => m.Id == mappingId, ct);
        if (mapping is null)
        {
            return new ProfileReadBack(false, "This mapping no longer exists.", null, null);
        }

        var resolved = await ResolveSpaceAsync(db, mapping, ct);
        if (resolved.Problem is not null)
        {
            return new ProfileReadBack(false, resolved.Problem, null, null);
        }

        if (string.IsNullOrWhiteSpace(identifier))
        {
            return new ProfileReadBack(false, "Enter the identifier the mapping sends (its userId or groupId) to read the profile.", null, null);
        }

        var id = mapping.Action == MappingAction.Group ? SegmentProfileId.Account(identifier) : SegmentProfileId.UserId(identifier);
        try
        {
            var traits = await profiles.GetAllTraitsAsync(resolved.Space!, id, ct);
            return traits is null
                ? new ProfileReadBack(false, $"No profile has {id}.", id.ToString(), null)
                : new ProfileReadBack(true, null, id.ToString(), traits);
        }
        catch (SegmentProfileAuthException)
        {
            return new ProfileReadBack(false, "The Profile API refused the space's access token. Replace it on the destination's page.", id.ToString(), null);
        }
        catch (SegmentProfileRateLimitedException)
        {
            return new ProfileReadBack(false, "The Profile API is rate limiting requests (429). Try again in a moment.", id.ToString(), null);
        }
        catch (HttpRequestException)
        {
            return new ProfileReadBack(false, "The Profile API could not be reached.", id.ToString(), null);
        }
    }

    internal async Task<(SegmentProfileSpace? Space, string? Problem)> ResolveSpaceAsync(AppDbContext db, Mapping mapping, CancellationToken ct)
    {
        var destination = await db.Destinations.AsNoTracking().Include(d => d.Spaces).FirstOrDefaultAsync(d => d.Id == mapping.DestinationId, ct);
        var space = destination?.Spaces.FirstOrDefault(s => s.Id == mapping.ProfileSpaceId);
        if (destination is null || space is null)
        {
            return (null, "The mapping's profile space no longer exists.");
        }

        var token = secrets.Unprotect(space.AccessTokenProtected);
        if (string.IsNullOrEmpty(token))
        {
            return (null, $"Reading profiles needs a Profile API access token for the space \"{space.Name}\". In Segment, create one under Unify → Unify settings → API access, then add it to the space on the destination \"{destination.Name}\".");
        }

        var endpoints = SegmentEndpoints.For(destination.Region,
            destination.TrackingApiUrl is null ? null : new Uri(destination.TrackingApiUrl),
            destination.ProfileApiUrl is null ? null : new Uri(destination.ProfileApiUrl));
        return (new SegmentProfileSpace(endpoints.Profiles, space.SpaceId, token), null);
    }
}
