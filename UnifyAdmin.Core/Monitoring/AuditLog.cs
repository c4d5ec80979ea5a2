using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Monitoring;

/// <summary>What the audit page filters by; empty fields match everything.</summary>
public sealed record AuditFilter(string? EntityType = null, string? User = null, string? Text = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

public sealed record AuditRow(long Id, DateTimeOffset At, string UserName, string EntityType, string EntityId, string? EntityName, AuditAction Action, IReadOnlyList<AuditChange> Changes);

/// <summary>Reads the audit log, newest first, a page at a time.</summary>
public sealed class AuditLogQueries(IDbContextFactory<AppDbContext> contexts)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly string[] EntityTypes =
        ["Source", "Selective Sync", "Destination", "Profile space", "Model", "Mapping", "User", "User role", "Alert rule", "Webhook"];

    public async Task<(IReadOnlyList<AuditRow> Rows, int Total)> PageAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Set<AuditEntry>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.EntityType))
        {
            query = query.Where(e => e.EntityType == filter.EntityType);
        }

        if (!string.IsNullOrWhiteSpace(filter.User))
        {
            query = query.Where(e => e.UserName.Contains(filter.User));
        }

        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            query = query.Where(e => (e.EntityName != null && e.EntityName.Contains(filter.Text)) || e.Changes.Contains(filter.Text) || e.EntityId == filter.Text);
        }

        if (filter.From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(e => e.At <= to);
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(e => e.Id).Skip(page * pageSize).Take(pageSize).ToListAsync(ct);
        return (rows.Select(e => new AuditRow(e.Id, e.At, e.UserName, e.EntityType, e.EntityId, e.EntityName, e.Action,
            JsonSerializer.Deserialize<List<AuditChange>>(e.Changes, Json) ?? [])).ToList(), total);
    }
}
