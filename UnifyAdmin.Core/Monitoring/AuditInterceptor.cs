using System.Collections;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Core.Monitoring;

/// <summary>
/// Records every configuration change saved through any context (sources, Selective Sync,
/// destinations, models, mappings, switches, schedules, users, alert rules, webhooks) in the same
/// transaction, with the acting user from <see cref="CurrentUser"/>. Secrets appear only as "changed";
/// the engine's own bookkeeping (cursors, API usage, tokens it refreshes) is not configuration.
/// </summary>
public sealed class AuditInterceptor(TimeProvider time) : SaveChangesInterceptor
{
    public const string Changed = "changed";
    private const int MaxValueLength = 500;

    private static readonly Dictionary<Type, string> Audited = new()
    {
        [typeof(Source)] = "Source",
        [typeof(SourceCollection)] = "Selective Sync",
        [typeof(Destination)] = "Destination",
        [typeof(ProfileSpace)] = "Profile space",
        [typeof(DataModel)] = "Model",
        [typeof(Mapping)] = "Mapping",
        [typeof(AppUser)] = "User",
        [typeof(IdentityUserRole<string>)] = "User role",
        [typeof(AlertRule)] = "Alert rule",
        [typeof(WebhookEndpoint)] = "Webhook",
    };

    /// <summary>Bookkeeping that changes without anyone configuring anything.</summary>
    private static readonly HashSet<string> Ignored =
    [
        "Version", "CreatedAt", "UpdatedAt", "CursorModstamp", "CursorId", "InitialSyncDone", "PausedAt", "PausedReason",
        "ApiUsed", "ApiAllowed", "ApiUsageAt", "AccessTokenProtected", "ConnectionState", "ConnectionProblem",
        "SecurityStamp", "ConcurrencyStamp", "AccessFailedCount", "LockoutEnd", "NormalizedEmail", "NormalizedUserName",
        "PrefersDarkMode", "LastDeliveredAt", "LastError", "SchemaSnapshot", "CollectionFields", "DisplayHost",
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Audit(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Audit(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Audit(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        context.ChangeTracker.DetectChanges();
        var user = CurrentUser.Current;
        var now = time.GetUtcNow();
        var entries = new List<AuditEntry>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (!Audited.TryGetValue(entry.Entity.GetType(), out var type)
                || entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            var changes = Changes(entry);
            if (changes.Count == 0)
            {
                continue;
            }

            entries.Add(new AuditEntry
            {
                At = now,
                UserId = user.Id,
                UserName = user.Name,
                EntityType = type,
                EntityId = Truncate(string.Join("/", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Format(entry.Property(p.Name).CurrentValue))))!,
                EntityName = Truncate(NameOf(entry)),
                Action = entry.State switch
                {
                    EntityState.Added => AuditAction.Added,
                    EntityState.Deleted => AuditAction.Deleted,
                    _ => AuditAction.Changed,
                },
                Changes = JsonSerializer.Serialize(changes, Json),
            });
        }

        if (entries.Count > 0)
        {
            context.Set<AuditEntry>().AddRange(entries);
        }
    }

    private static List<AuditChange> Changes(EntityEntry entry)
    {
        var changes = new List<AuditChange>();
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (Ignored.Contains(name) || property.Metadata.IsShadowProperty() || (property.Metadata.IsForeignKey() && entry.State != EntityState.Added && !property.IsModified))
            {
                continue;
            }

            var secret = IsSecret(name);
            switch (entry.State)
            {
                case EntityState.Added when property.CurrentValue is not null && !(property.Metadata.IsPrimaryKey() && entry.Metadata.FindPrimaryKey()!.Properties.Count == 1):
                    changes.Add(new AuditChange(name, null, secret ? Changed : Format(property.CurrentValue)));
                    break;
                case EntityState.Deleted when property.OriginalValue is not null && !property.Metadata.IsPrimaryKey():
                    changes.Add(new AuditChange(name, secret ? Changed : Format(property.OriginalValue), null));
                    break;
                case EntityState.Modified when property.IsModified && !Equals(Format(property.OriginalValue), Format(property.CurrentValue)):
                    changes.Add(secret
                        ? new AuditChange(name, null, Changed)
                        : new AuditChange(name, Format(property.OriginalValue), Format(property.CurrentValue)));
                    break;
            }
        }

        // A key-only row (a role given or taken away) still says which user and role.
        if (changes.Count == 0 && entry.State is EntityState.Added or EntityState.Deleted && entry.Entity is IdentityUserRole<string> role)
        {
            changes.Add(entry.State == EntityState.Added ? new AuditChange("Role", null, role.RoleId) : new AuditChange("Role", role.RoleId, null));
        }

        return changes;
    }

    internal static bool IsSecret(string property)
        => property.EndsWith("Protected", StringComparison.Ordinal) || property is "PasswordHash" or "Password";

    private static string? NameOf(EntityEntry entry) => entry.Entity switch
    {
        Source s => s.Name,
        SourceCollection c => c.Name,
        Destination d => d.Name,
        ProfileSpace p => p.Name,
        DataModel m => m.Name,
        AppUser u => u.Email,
        WebhookEndpoint w => w.Name,
        AlertRule r => r.Kind.ToString(),
        IdentityUserRole<string> r => r.UserId,
        _ => null,
    };

    private static string? Format(object? value)
    {
        var text = value switch
        {
            null => null,
            string s => s,
            DateTimeOffset d => d.ToString("u", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            _ when value is IEnumerable || value.GetType().IsClass => JsonSerializer.Serialize(value, value.GetType(), Json),
            _ => value.ToString(),
        };
        return Truncate(text);
    }

    private static string? Truncate(string? text) => text is { Length: > MaxValueLength } ? text[..MaxValueLength] + "…" : text;
}
