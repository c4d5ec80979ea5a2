using System.Security.Claims;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Core.Sources;

/// <summary>One row of the Sources list.</summary>
public sealed record SourceSummary(
    Guid Id, string Name, SalesforceLoginKind LoginKind, string LoginHost, SourceConnectionState ConnectionState, string? ConnectionProblem,
    bool Enabled, string? OrgId, string? SalesforceUsername, long? ApiUsed, long? ApiAllowed, DateTimeOffset? ApiUsageAt, int CollectionCount);

/// <summary>A saved source for its page: no secret values, only whether each is set.</summary>
public sealed record SourceDetails(
    SourceSummary Summary, SalesforceAuthFlow AuthFlow, string ClientId, bool HasClientSecret, string? JwtUsername,
    string? InstanceUrl, DateTimeOffset? HistoricalSince, int SyncIntervalMinutes, IReadOnlyList<SourceCollection> Collections, Guid Version);

/// <summary>A deleted source; <see cref="Warning"/> says what the admin still has to do (e.g. revoke by hand).</summary>
public sealed record SourceDeleted(string? Warning);

/// <summary>What deleting a source takes along (models, mappings) and which linked destinations it keeps.</summary>
public sealed record SourceDeletionImpact(int ModelCount, int MappingCount, IReadOnlyList<string> KeptDestinations);

/// <summary>Saves, reads and removes sources. Every change checks that the caller is an Admin.</summary>
public sealed class SourceService(
    IDbContextFactory<AppDbContext> contexts,
    SecretProtector secrets,
    SalesforceOAuthClient oauth,
    ISalesforceClientFactory clients,
    SalesforceSessions sessions,
    TimeProvider clock,
    IValidator<SelectiveSyncInput> selectionValidator,
    ILogger<SourceService> logger)
{
    public const string NotFoundMessage = "This source no longer exists.";
    public const string ConcurrencyMessage = "Someone else changed this source while you were editing. Reload the page to see their changes.";

    public async Task<IReadOnlyList<SourceSummary>> ListAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Sources.AsNoTracking().Include(s => s.Collections).ToListAsync(ct);
        return rows.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Select(Summarize).ToList();
    }

    /// <summary>Why <paramref name="name"/> cannot name a new source (blank, too long, taken), or null when it can.</summary>
    public async Task<string?> CheckNewNameAsync(string name, CancellationToken ct)
    {
        var trimmed = name.Trim();
        if (NameProblem(trimmed) is { } problem)
        {
            return problem;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        return await NameTakenAsync(db, trimmed, ct) ? NameTakenMessage(trimmed) : null;
    }

    public async Task<SourceDetails?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var s = await db.Sources.AsNoTracking().Include(x => x.Collections).FirstOrDefaultAsync(x => x.Id == id, ct);
        return s is null ? null : new SourceDetails(
            Summarize(s), s.AuthFlow, s.ClientId, s.ClientSecretProtected is not null, s.JwtUsername,
            s.InstanceUrl, s.HistoricalSince, s.SyncIntervalMinutes, s.Collections.OrderBy(c => c.Name).ToList(), s.Version);
    }

    /// <summary>Saves a newly connected source with its Selective Sync, <b>disabled</b>. Succeeds with the new id.</summary>
    public async Task<OperationResult<Guid>> CreateAsync(ClaimsPrincipal user, ConnectAttempt attempt, SelectiveSyncInput selection, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            return OperationResult<Guid>.Fail("Only an Admin can add sources.");
        }

        if (!attempt.IsConnected || attempt.Token is not { } token)
        {
            return OperationResult<Guid>.Fail("Connect to Salesforce first.");
        }

        var errors = await ValidateAsync(selection, ct);
        if (errors.Count > 0)
        {
            return OperationResult<Guid>.Fail(errors);
        }

        var draft = attempt.Draft;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var name = draft.Name.Trim();
        if (NameProblem(name) is { } nameProblem)
        {
            return OperationResult<Guid>.Fail(nameProblem);
        }

        if (await NameTakenAsync(db, name, ct))
        {
            return OperationResult<Guid>.Fail(NameTakenMessage(name));
        }

        var now = clock.GetUtcNow();
        var source = new Source
        {
            Id = Guid.NewGuid(),
            Name = name,
            LoginKind = draft.LoginKind,
            LoginHost = attempt.LoginHost.ToString().TrimEnd('/'),
            AuthFlow = draft.AuthFlow,
            ClientId = draft.ClientId.Trim(),
            ClientSecretProtected = secrets.Protect(NullIfBlank(draft.ClientSecret)),
            JwtUsername = NullIfBlank(draft.JwtUsername),
            JwtPrivateKeyProtected = secrets.Protect(NullIfBlank(draft.JwtPrivateKeyPem)),
            CreatedAt = now,
            Enabled = false,
            Version = Guid.NewGuid(),
            HistoricalSince = selection.HistoricalSince,
            Collections = ToCollections(selection),
        };
        ApplyToken(source, attempt, token, now);
        db.Sources.Add(source);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Source {SourceId} saved (disabled) with {Count} collection(s)", source.Id, source.Collections.Count);
        return OperationResult<Guid>.Ok(source.Id);
    }

    public async Task<OperationResult> UpdateSelectiveSyncAsync(ClaimsPrincipal user, Guid id, Guid version, SelectiveSyncInput selection, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            return OperationResult.Fail("Only an Admin can change Selective Sync.");
        }

        var errors = await ValidateAsync(selection, ct);
        if (errors.Count > 0)
        {
            return OperationResult.Fail(errors);
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var source = await db.Sources.Include(s => s.Collections).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return OperationResult.Fail(NotFoundMessage);
        }

        if (source.Version != version)
        {
            return OperationResult.Fail(ConcurrencyMessage);
        }

        db.RemoveRange(source.Collections);
        // The new rows carry ids set in code: add them explicitly, or EF takes them for existing rows to update.
        var collections = ToCollections(selection);
        db.AddRange(collections);
        source.Collections = collections;
        source.HistoricalSince = selection.HistoricalSince;
        source.UpdatedAt = clock.GetUtcNow();
        source.Version = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperationResult.Fail(ConcurrencyMessage);
        }

        return OperationResult.Ok();
    }

    /// <summary>Stores the tokens of a successful reconnect.</summary>
    public async Task<OperationResult> ApplyReconnectAsync(ClaimsPrincipal user, Guid id, ConnectAttempt attempt, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            return OperationResult.Fail("Only an Admin can reconnect a source.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var source = await db.Sources.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return OperationResult.Fail(NotFoundMessage);
        }

        if (source.OrgId is not null && attempt.Identity is { } identity && !string.Equals(source.OrgId, identity.OrganizationId, StringComparison.Ordinal))
        {
            return OperationResult.Fail($"You signed in to a different org ({identity.OrganizationId}) than this source's ({source.OrgId}). Sign in to the original org, or add a new source.");
        }

        if (!string.IsNullOrWhiteSpace(attempt.Draft.ClientSecret))
        {
            source.ClientSecretProtected = secrets.Protect(attempt.Draft.ClientSecret.Trim());
        }

        ApplyToken(source, attempt, attempt.Token!, clock.GetUtcNow());
        source.Version = Guid.NewGuid();
        await db.SaveChangesAsync(ct);
        // Clients made from now on start from the new tokens, not the session the old ones left behind.
        sessions.Forget(id);
        logger.LogInformation("Source {SourceId} reconnected", id);
        return OperationResult.Ok();
    }

    public async Task<OperationResult> SetEnabledAsync(ClaimsPrincipal user, Guid id, bool enabled, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            return OperationResult.Fail("Only an Admin can enable or disable a source.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var source = await db.Sources.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return OperationResult.Fail(NotFoundMessage);
        }

        if (enabled && source.ConnectionState != SourceConnectionState.Connected)
        {
            return OperationResult.Fail("Reconnect this source before enabling it.");
        }

        source.Enabled = enabled;
        source.UpdatedAt = clock.GetUtcNow();
        source.Version = Guid.NewGuid();
        await db.SaveChangesAsync(ct);
        return OperationResult.Ok();
    }

    /// <summary>What a delete of the source would remove and keep, for its confirmation; null when it no longer exists.</summary>
    public async Task<SourceDeletionImpact?> DeletionImpactAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Sources.AnyAsync(s => s.Id == id, ct))
        {
            return null;
        }

        var models = await db.Models.CountAsync(m => m.SourceId == id, ct);
        var mappings = await db.Mappings.CountAsync(m => db.Models.Any(model => model.Id == m.ModelId && model.SourceId == id), ct);
        var destinations = await db.Destinations.AsNoTracking().Where(d => d.SourceId == id).Select(d => d.Name).ToListAsync(ct);
        return new SourceDeletionImpact(models, mappings, destinations.Order(StringComparer.OrdinalIgnoreCase).ToList());
    }

    /// <summary>Deletes a source after revoking its token at Salesforce; the value warns when the revoke failed.</summary>
    public async Task<OperationResult<SourceDeleted>> DeleteAsync(ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            return OperationResult<SourceDeleted>.Fail("Only an Admin can delete a source.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var source = await db.Sources.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return OperationResult<SourceDeleted>.Fail(NotFoundMessage);
        }

        string? warning = null;
        var token = secrets.Unprotect(source.RefreshTokenProtected) ?? secrets.Unprotect(source.AccessTokenProtected);
        if (token is not null && (source.InstanceUrl ?? source.LoginHost) is { } host)
        {
            try
            {
                await oauth.RevokeAsync(new Uri(host), token, ct);
            }
            catch (Exception ex) when (ex is SalesforceException or HttpRequestException or TaskCanceledException)
            {
                warning = "The source was deleted, but Salesforce could not be reached to revoke its token. Revoke the connected app's access in Salesforce Setup.";
                logger.LogWarning("Revoking the token of source {SourceId} failed: {Error}", id, SourceConnector.Describe(ex));
            }
        }

        // Mappings hold a Restrict key to their model, and run rows a plain key to their mapping: remove them
        // first, all in one transaction, so a failure leaves the source whole rather than half deleted.
        // Destinations stay (they may carry mappings of other sources); the database unlinks them.
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var mappingIds = db.Mappings.Where(m => db.Models.Any(model => model.Id == m.ModelId && model.SourceId == id)).Select(m => m.Id);
            await db.SyncRunMappings.Where(r => mappingIds.Contains(r.MappingId)).ExecuteDeleteAsync(ct);
            await db.SyncRuns.Where(r => r.SourceId == id).ExecuteDeleteAsync(ct);
            await db.Mappings.Where(m => db.Models.Any(model => model.Id == m.ModelId && model.SourceId == id)).ExecuteDeleteAsync(ct);
            await db.Models.Where(m => m.SourceId == id).ExecuteDeleteAsync(ct);
            await db.Sources.Where(s => s.Id == id).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        });
        sessions.Forget(id);
        logger.LogInformation("Source {SourceId} deleted", id);
        return OperationResult<SourceDeleted>.Ok(new SourceDeleted(warning));
    }

    /// <summary>
    /// A client for a saved source; refreshed tokens and API usage are written back through the connection store.
    /// Pages pass <see cref="SalesforceCallKind.Interactive"/>: a person is waiting for the answer.
    /// </summary>
    public async Task<ISalesforceClient?> CreateClientAsync(Guid id, CancellationToken ct, SalesforceCallKind kind = SalesforceCallKind.Background)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var s = await db.Sources.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null || s.InstanceUrl is null)
        {
            return null;
        }

        return clients.Create(new SalesforceConnection(
            s.Id, new Uri(s.LoginHost), new Uri(s.InstanceUrl), s.ClientId, secrets.Unprotect(s.ClientSecretProtected),
            secrets.Unprotect(s.AccessTokenProtected) ?? "", secrets.Unprotect(s.RefreshTokenProtected), s.ApiVersion,
            s.JwtUsername, secrets.Unprotect(s.JwtPrivateKeyProtected)), kind);
    }

    /// <summary>A draft for reconnecting: the saved settings, with secrets left blank (the saved ones are used).</summary>
    public async Task<SourceConnectionInput?> ReconnectDraftAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var s = await db.Sources.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return s is null ? null : new SourceConnectionInput
        {
            Name = s.Name,
            LoginKind = s.LoginKind,
            MyDomainUrl = s.LoginKind == SalesforceLoginKind.MyDomain ? s.LoginHost : "",
            // Confirmed when the source was added; reconnecting does not ask again.
            TrustUnknownHost = true,
            AuthFlow = s.AuthFlow,
            ClientId = s.ClientId,
            ClientSecret = secrets.Unprotect(s.ClientSecretProtected) ?? "",
            JwtUsername = s.JwtUsername ?? "",
            JwtPrivateKeyPem = secrets.Unprotect(s.JwtPrivateKeyProtected) ?? "",
        };
    }

    private static string? NameProblem(string name)
        => name.Length == 0 ? "Name the source, e.g. \"Production org\"."
            : name.Length > 100 ? "Use at most 100 characters for the name."
            : null;

    private static string NameTakenMessage(string name) => $"A source named \"{name}\" already exists. Choose another name.";

    // Compared case-insensitively on both providers, so "Prod" and "prod" cannot both exist.
    private static Task<bool> NameTakenAsync(AppDbContext db, string name, CancellationToken ct)
    {
        var lower = name.ToLowerInvariant();
        return db.Sources.AnyAsync(s => s.Name.ToLower() == lower, ct);
    }

    private async Task<IReadOnlyList<string>> ValidateAsync(SelectiveSyncInput selection, CancellationToken ct)
        => (await selectionValidator.ValidateAsync(selection, ct)).Errors.Select(e => e.ErrorMessage).Distinct().ToList();

    private void ApplyToken(Source source, ConnectAttempt attempt, SalesforceToken token, DateTimeOffset now)
    {
        source.AccessTokenProtected = secrets.Protect(token.AccessToken);
        if (token.RefreshToken is not null)
        {
            source.RefreshTokenProtected = secrets.Protect(token.RefreshToken);
        }

        source.InstanceUrl = token.InstanceUrl.ToString().TrimEnd('/');
        source.OrgId = attempt.Identity?.OrganizationId ?? source.OrgId;
        source.SalesforceUserId = attempt.Identity?.UserId ?? source.SalesforceUserId;
        source.SalesforceUsername = attempt.Identity?.Username ?? source.SalesforceUsername;
        source.ConnectionState = SourceConnectionState.Connected;
        source.ConnectionProblem = null;
        if (attempt.Usage is { } usage)
        {
            source.ApiUsed = usage.Used;
            source.ApiAllowed = usage.Allowed;
            source.ApiUsageAt = now;
        }

        source.UpdatedAt = now;
    }

    private static List<SourceCollection> ToCollections(SelectiveSyncInput selection)
        => selection.Collections.Select(c => new SourceCollection
        {
            Id = Guid.NewGuid(),
            Name = c.Name,
            Label = c.Label,
            Custom = c.Custom,
            Columns = SelectiveSync.Normalize(c.Columns),
        }).ToList();

    private static SourceSummary Summarize(Source s) => new(
        s.Id, s.Name, s.LoginKind, s.LoginHost, s.ConnectionState, s.ConnectionProblem, s.Enabled, s.OrgId, s.SalesforceUsername,
        s.ApiUsed, s.ApiAllowed, s.ApiUsageAt, s.Collections.Count);

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
