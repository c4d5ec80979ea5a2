using System.Security.Claims;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Core.Destinations;

/// <summary>
/// Lists, reads, creates, changes, enables, deletes and tests Segment Profiles destinations. Secrets are
/// stored encrypted and never leave this service in plaintext; changes are checked for the Admin role here,
/// not only in the UI.
/// </summary>
public sealed class DestinationService(
    IDbContextFactory<AppDbContext> contexts,
    SecretProtector secrets,
    SegmentProfileClient profiles,
    TimeProvider clock,
    IValidator<DestinationInput> validator,
    ILogger<DestinationService> logger)
{
    public const string ConcurrencyMessage = "Someone else changed this destination after you opened it. Reload the page to see their changes, then make yours again.";
    public const string NotFoundMessage = "This destination no longer exists.";

    public async Task<IReadOnlyList<DestinationSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from d in db.Destinations
            join s in db.Sources on d.SourceId equals s.Id into sources
            from s in sources.DefaultIfEmpty()
            select new DestinationSummary(d.Id, d.Name, d.Region, d.Spaces.Count, d.Enabled, d.SourceId, s != null ? s.Name : null))
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The destination with its spaces; null when it does not exist. No secret is decrypted.</summary>
    public async Task<DestinationDetails?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var destination = await db.Destinations.AsNoTracking().Include(d => d.Spaces).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (destination is null)
        {
            return null;
        }

        var sourceName = destination.SourceId is { } sourceId ? await SourceNameAsync(db, sourceId, cancellationToken) : null;
        return new DestinationDetails(
            destination.Id,
            destination.Name,
            destination.Region,
            destination.TrackingApiUrl,
            destination.ProfileApiUrl,
            destination.SourceId,
            sourceName,
            destination.Enabled,
            destination.Version,
            destination.UpdatedAt,
            destination.Spaces
                .OrderBy(s => s.SpaceId, StringComparer.Ordinal)
                .Select(s => new ProfileSpaceDetails(
                    s.Id,
                    s.SpaceId,
                    s.Name,
                    !string.IsNullOrEmpty(s.WriteKeyProtected),
                    !string.IsNullOrEmpty(s.AccessTokenProtected),
                    // The mask depends only on whether a secret is set: the ciphertext stands in for the value.
                    SecretProtector.Mask(!string.IsNullOrEmpty(s.WriteKeyProtected)),
                    SecretProtector.Mask(!string.IsNullOrEmpty(s.AccessTokenProtected))))
                .ToList());
    }

    /// <summary>The name of a source, for "added from" labels; null when it does not exist.</summary>
    public async Task<string?> GetSourceNameAsync(Guid sourceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await SourceNameAsync(db, sourceId, cancellationToken);
    }

    /// <summary>Saves a new destination, always disabled (step 5 of the wizard enables it).</summary>
    /// <summary><paramref name="name"/> if no destination has it, else the first of "name 2", "name 3"… that is free.</summary>
    public async Task<string> FreeNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var taken = (await db.Destinations.AsNoTracking().Select(d => d.Name).ToListAsync(cancellationToken)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var candidate = name;
        for (var n = 2; taken.Contains(candidate); n++)
        {
            candidate = $"{name} {n}";
        }

        return candidate;
    }

    public async Task<OperationResult<Guid>> CreateAsync(ClaimsPrincipal actor, DestinationInput input, CancellationToken cancellationToken)
    {
        if (!actor.IsInRole(Roles.Admin))
        {
            return OperationResult<Guid>.Fail("Only an Admin can add destinations.");
        }

        // A new destination has no saved secrets, whatever the input claims.
        foreach (var space in input.Spaces)
        {
            space.HasSavedWriteKey = false;
            space.HasSavedAccessToken = false;
        }

        if (await ValidateAsync(input, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var name = input.Name.Trim();
        if (await NameTakenAsync(db, name, null, cancellationToken))
        {
            return NameTaken(name);
        }

        if (input.SourceId is { } sourceId && !await db.Sources.AnyAsync(s => s.Id == sourceId, cancellationToken))
        {
            return OperationResult<Guid>.Fail("The source this destination was added from no longer exists. Start again from the source's page, or add the destination without a source.");
        }

        var now = clock.GetUtcNow();
        var destination = new Destination
        {
            Id = Guid.NewGuid(),
            Name = name,
            Region = input.Region,
            TrackingApiUrl = Blank(input.TrackingApiUrl),
            ProfileApiUrl = Blank(input.ProfileApiUrl),
            SourceId = input.SourceId,
            Enabled = false,
            CreatedAt = now,
            UpdatedAt = now,
            Version = Guid.NewGuid(),
            Spaces = input.Spaces.Select(s => new ProfileSpace
            {
                Id = Guid.NewGuid(),
                SpaceId = s.SpaceId,
                Name = s.Name.Trim(),
                WriteKeyProtected = secrets.Protect(s.WriteKey)!,
                AccessTokenProtected = secrets.Protect(Blank(s.AccessToken)),
            }).ToList(),
        };
        db.Destinations.Add(destination);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (!cancellationToken.IsCancellationRequested)
        {
            // Another Admin saved the same name between the check and the insert (the unique index caught it).
            if (await NameTakenAsync(name, destination.Id, cancellationToken))
            {
                return NameTaken(name);
            }

            throw;
        }

        logger.LogInformation("Destination {DestinationId} created with {SpaceCount} profile spaces (disabled)", destination.Id, destination.Spaces.Count);
        return OperationResult<Guid>.Ok(destination.Id);
    }

    /// <summary>
    /// Saves the settings form: the Enable destination switch, name, region, endpoints and spaces. A blank secret field keeps the saved
    /// secret of that space. Fails with <see cref="ConcurrencyMessage"/> when the destination changed since
    /// <see cref="DestinationInput.Version"/> was read.
    /// </summary>
    public async Task<OperationResult<Guid>> UpdateAsync(ClaimsPrincipal actor, Guid id, DestinationInput input, CancellationToken cancellationToken)
    {
        if (!actor.IsInRole(Roles.Admin))
        {
            return OperationResult<Guid>.Fail("Only an Admin can change destinations.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var destination = await db.Destinations.Include(d => d.Spaces).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (destination is null)
        {
            return OperationResult<Guid>.Fail(NotFoundMessage);
        }

        // Whether a blank secret may be kept is decided by what is saved, not by what the form says.
        var saved = destination.Spaces.ToDictionary(s => s.Id);
        foreach (var space in input.Spaces)
        {
            var row = space.Id is { } rowId ? saved.GetValueOrDefault(rowId) : null;
            space.HasSavedWriteKey = row is not null && !string.IsNullOrEmpty(row.WriteKeyProtected);
            space.HasSavedAccessToken = row is not null && !string.IsNullOrEmpty(row.AccessTokenProtected);
        }

        if (await ValidateAsync(input, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        if (destination.Version != input.Version)
        {
            return OperationResult<Guid>.Fail(ConcurrencyMessage);
        }

        var name = input.Name.Trim();
        if (await NameTakenAsync(db, name, id, cancellationToken))
        {
            return NameTaken(name);
        }

        var switched = destination.Enabled != input.Enabled;
        destination.Enabled = input.Enabled;
        destination.Name = name;
        destination.Region = input.Region;
        destination.TrackingApiUrl = Blank(input.TrackingApiUrl);
        destination.ProfileApiUrl = Blank(input.ProfileApiUrl);
        var kept = new HashSet<Guid>();
        foreach (var space in input.Spaces)
        {
            if (space.Id is { } rowId && saved.TryGetValue(rowId, out var row))
            {
                kept.Add(rowId);
                row.SpaceId = space.SpaceId;
                row.Name = space.Name.Trim();
                if (!string.IsNullOrEmpty(space.WriteKey))
                {
                    row.WriteKeyProtected = secrets.Protect(space.WriteKey)!;
                }

                if (!string.IsNullOrEmpty(space.AccessToken))
                {
                    row.AccessTokenProtected = secrets.Protect(space.AccessToken);
                }
            }
            else
            {
                var added = new ProfileSpace
                {
                    Id = Guid.NewGuid(),
                    DestinationId = destination.Id,
                    SpaceId = space.SpaceId,
                    Name = space.Name.Trim(),
                    WriteKeyProtected = secrets.Protect(space.WriteKey)!,
                    AccessTokenProtected = secrets.Protect(Blank(space.AccessToken)),
                };
                // Its id is set in code: add it explicitly, or EF takes it for an existing row to update.
                db.Add(added);
                destination.Spaces.Add(added);
            }
        }

        foreach (var removed in destination.Spaces.Where(s => !kept.Contains(s.Id) && saved.ContainsKey(s.Id)).ToList())
        {
            destination.Spaces.Remove(removed);
            db.Remove(removed);
        }

        var result = await SaveVersionedAsync(db, destination, input.Version, cancellationToken, name);
        if (result.Succeeded && switched)
        {
            logger.LogInformation("Destination {DestinationId} {State}", id, input.Enabled ? "enabled" : "disabled");
        }

        return result;
    }

    public async Task<OperationResult<Guid>> DeleteAsync(ClaimsPrincipal actor, Guid id, CancellationToken cancellationToken)
    {
        if (!actor.IsInRole(Roles.Admin))
        {
            return OperationResult<Guid>.Fail("Only an Admin can delete destinations.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var destination = await db.Destinations.Include(d => d.Spaces).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (destination is null)
        {
            return OperationResult<Guid>.Fail(NotFoundMessage);
        }

        db.Destinations.Remove(destination);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Destination {DestinationId} deleted", id);
        return OperationResult<Guid>.Ok(id);
    }

    /// <summary>
    /// "Test connection": for each space, the region's (or the overridden) Tracking endpoint must answer and
    /// accept the write key, and the Profile API must accept the access token when there is one. Nothing is
    /// written to any profile. Blank secrets of a saved destination are tested with the saved ones.
    /// Admin-only: it sends saved secrets to the URLs in the form.
    /// </summary>
    public async Task<IReadOnlyList<SpaceConnectionResult>> TestConnectionAsync(
        ClaimsPrincipal actor, DestinationInput input, Guid? destinationId, CancellationToken cancellationToken)
    {
        if (!actor.IsInRole(Roles.Admin))
        {
            return [new SpaceConnectionResult("", "", false, "Only an Admin can test a destination's connection.")];
        }

        Dictionary<Guid, ProfileSpace> saved = [];
        if (destinationId is { } id)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            saved = await db.Set<ProfileSpace>().AsNoTracking().Where(s => s.DestinationId == id).ToDictionaryAsync(s => s.Id, cancellationToken);
        }

        var endpoints = SegmentEndpoints.For(
            input.Region,
            Blank(input.TrackingApiUrl) is { } tracking && DestinationInputValidator.BeAbsoluteHttpUrl(tracking) ? new Uri(tracking.Trim()) : null,
            Blank(input.ProfileApiUrl) is { } profile && DestinationInputValidator.BeAbsoluteHttpUrl(profile) ? new Uri(profile.Trim()) : null);
        var results = new List<SpaceConnectionResult>();
        foreach (var space in input.Spaces)
        {
            var row = space.Id is { } rowId ? saved.GetValueOrDefault(rowId) : null;
            var label = string.IsNullOrWhiteSpace(space.SpaceId) ? "(no space id)" : space.SpaceId;
            var writeKey = Blank(space.WriteKey) ?? secrets.Unprotect(row?.WriteKeyProtected);
            var accessToken = Blank(space.AccessToken) ?? secrets.Unprotect(row?.AccessTokenProtected);
            if (!DestinationInputValidator.IsSpaceId(space.SpaceId))
            {
                results.Add(new SpaceConnectionResult(label, space.Name, false, "Enter a valid space id (spa_ followed by letters and digits) first."));
                continue;
            }

            if (writeKey is null)
            {
                results.Add(new SpaceConnectionResult(label, space.Name, false, $"Enter the write key for space {label} first."));
                continue;
            }

            var outcome = await profiles.TestConnectionAsync(endpoints, writeKey, space.SpaceId, accessToken, cancellationToken);
            results.Add(new SpaceConnectionResult(label, space.Name, outcome.Success, Explain(outcome, label, endpoints)));
        }

        return results;
    }

    private static string Explain(SegmentConnectionTestResult outcome, string spaceId, SegmentEndpoints endpoints)
    {
        if (outcome.Success)
        {
            return outcome.ProfileTokenAccepted == true
                ? "Connected: the Tracking API accepted the write key and the Profile API accepted the access token."
                : "Connected: the Tracking API accepted the write key. No access token was given, so reading profiles back is not checked.";
        }

        if (!outcome.TrackingReachable)
        {
            return $"The Tracking API at {endpoints.Tracking} did not answer for space {spaceId}: check the region (US or EU) and, if set, the Tracking API URL. {outcome.Message}";
        }

        if (outcome.ProfileTokenAccepted == false)
        {
            return $"The Profile API rejected the access token for space {spaceId}: check the token.";
        }

        if (outcome.Message.Contains("write key", StringComparison.OrdinalIgnoreCase))
        {
            return $"Segment rejected the write key for space {spaceId}: copy the write key of the space's internal source again, and check the region.";
        }

        return $"Space {spaceId}: {outcome.Message}";
    }

    private async Task<OperationResult<Guid>> SaveVersionedAsync(AppDbContext db, Destination destination, Guid expectedVersion, CancellationToken cancellationToken, string? name)
    {
        // The database checks the version too, so a change saved between our read and this write is not lost.
        db.Entry(destination).Property(d => d.Version).OriginalValue = expectedVersion;
        destination.Version = Guid.NewGuid();
        destination.UpdatedAt = clock.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperationResult<Guid>.Fail(ConcurrencyMessage);
        }
        catch (DbUpdateException) when (name is not null)
        {
            if (await NameTakenAsync(name, destination.Id, cancellationToken))
            {
                return NameTaken(name);
            }

            throw;
        }

        return OperationResult<Guid>.Ok(destination.Id);
    }

    private async Task<OperationResult<Guid>?> ValidateAsync(DestinationInput input, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(input, cancellationToken);
        return validation.IsValid ? null : OperationResult<Guid>.Fail(validation.Errors.Select(e => Describe(e.PropertyName, e.ErrorMessage)).Distinct().ToArray());
    }

    /// <summary>Prefixes space errors with the row they belong to ("Space 2: …") for messages shown away from the field.</summary>
    public static string Describe(string propertyName, string message)
    {
        const string prefix = nameof(DestinationInput.Spaces) + "[";
        if (propertyName.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(propertyName.AsSpan(prefix.Length, propertyName.IndexOf(']') - prefix.Length), out var index))
        {
            return $"Space {index + 1}: {message}";
        }

        return message;
    }

    private async Task<bool> NameTakenAsync(string name, Guid exceptId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await NameTakenAsync(db, name, exceptId, cancellationToken);
    }

    private static Task<bool> NameTakenAsync(AppDbContext db, string name, Guid? exceptId, CancellationToken cancellationToken)
    {
        // Compared case-insensitively on both providers, so "Prod" and "prod" cannot both exist.
        var lower = name.ToLowerInvariant();
        return db.Destinations.AnyAsync(d => d.Name.ToLower() == lower && d.Id != exceptId, cancellationToken);
    }

    private static OperationResult<Guid> NameTaken(string name)
        => OperationResult<Guid>.Fail($"A destination named \"{name}\" already exists. Choose another name.");

    private static Task<string?> SourceNameAsync(AppDbContext db, Guid sourceId, CancellationToken cancellationToken)
        => db.Sources.Where(s => s.Id == sourceId).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
