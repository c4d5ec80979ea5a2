using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Core.Sources;

/// <summary>Writes what the Salesforce client learns (new tokens, reconnect needs, API usage) to the source's row.</summary>
public sealed class DbSalesforceConnectionStore(IDbContextFactory<AppDbContext> contexts, SecretProtector secrets, TimeProvider clock)
    : ISalesforceConnectionStore
{
    public async Task SaveTokensAsync(Guid sourceId, string accessToken, string? rotatedRefreshToken, Uri instanceUrl, CancellationToken ct)
    {
        var protectedToken = secrets.Protect(accessToken);
        var instance = instanceUrl.ToString().TrimEnd('/');
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (rotatedRefreshToken is not null)
        {
            // The old refresh token may already be void: losing the new one would force a reconnect.
            var protectedRefresh = secrets.Protect(rotatedRefreshToken);
            await db.Sources.Where(s => s.Id == sourceId).ExecuteUpdateAsync(u => u
                .SetProperty(s => s.AccessTokenProtected, protectedToken)
                .SetProperty(s => s.RefreshTokenProtected, protectedRefresh)
                .SetProperty(s => s.InstanceUrl, instance)
                .SetProperty(s => s.ConnectionState, SourceConnectionState.Connected)
                .SetProperty(s => s.ConnectionProblem, (string?)null), ct);
            return;
        }

        await db.Sources.Where(s => s.Id == sourceId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.AccessTokenProtected, protectedToken)
            .SetProperty(s => s.InstanceUrl, instance)
            .SetProperty(s => s.ConnectionState, SourceConnectionState.Connected)
            .SetProperty(s => s.ConnectionProblem, (string?)null), ct);
    }

    public async Task MarkNeedsReconnectAsync(Guid sourceId, string reason, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Sources.Where(s => s.Id == sourceId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.ConnectionState, SourceConnectionState.NeedsReconnect)
            .SetProperty(s => s.ConnectionProblem, reason.Length > 1000 ? reason[..1000] : reason), ct);
    }

    public async Task RecordApiUsageAsync(Guid sourceId, ApiUsage usage, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Sources.Where(s => s.Id == sourceId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.ApiUsed, usage.Used)
            .SetProperty(s => s.ApiAllowed, usage.Allowed)
            .SetProperty(s => s.ApiUsageAt, now), ct);
    }
}
