using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Sync;

namespace UnifyAdmin.Core.Monitoring;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.UserId).HasMaxLength(450);
        builder.Property(e => e.UserName).HasMaxLength(256);
        builder.Property(e => e.EntityType).HasMaxLength(64);
        builder.Property(e => e.EntityId).HasMaxLength(200);
        builder.Property(e => e.EntityName).HasMaxLength(256);
        builder.HasIndex(e => e.At);
        builder.HasIndex(e => new { e.EntityType, e.At });
        builder.HasIndex(e => new { e.UserName, e.At });
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("Notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Title).HasMaxLength(200);
        builder.Property(n => n.Message).HasMaxLength(2000);
        builder.Property(n => n.Link).HasMaxLength(500);
        builder.HasIndex(n => n.At);
    }
}

internal sealed class NotificationReadMarkerConfiguration : IEntityTypeConfiguration<NotificationReadMarker>
{
    public void Configure(EntityTypeBuilder<NotificationReadMarker> builder)
    {
        builder.ToTable("NotificationReadMarkers");
        builder.HasKey(r => r.UserId);
        builder.Property(r => r.UserId).HasMaxLength(450);
        builder.HasOne<Persistence.AppUser>().WithOne().HasForeignKey<NotificationReadMarker>(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AlertRuleConfiguration : IEntityTypeConfiguration<AlertRule>
{
    public void Configure(EntityTypeBuilder<AlertRule> builder)
    {
        builder.ToTable("AlertRules");
        builder.HasKey(r => r.Id);
        builder.HasIndex(r => new { r.MappingId, r.Kind }).IsUnique();
        builder.HasOne<Mapping>().WithMany().HasForeignKey(r => r.MappingId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AlertStateConfiguration : IEntityTypeConfiguration<AlertState>
{
    public void Configure(EntityTypeBuilder<AlertState> builder)
    {
        builder.ToTable("AlertStates");
        builder.HasKey(s => s.Key);
        builder.Property(s => s.Key).HasMaxLength(200);
        builder.Property(s => s.Message).HasMaxLength(2000);
    }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("WebhookEndpoints");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Name).HasMaxLength(100);
        builder.Property(w => w.UrlProtected).HasMaxLength(4000);
        builder.Property(w => w.DisplayHost).HasMaxLength(300);
        builder.Property(w => w.LastError).HasMaxLength(1000);
    }
}

internal sealed class RetryRequestConfiguration : IEntityTypeConfiguration<RetryRequest>
{
    public void Configure(EntityTypeBuilder<RetryRequest> builder)
    {
        builder.ToTable("RetryRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.RequestedBy).HasMaxLength(256);
        builder.HasIndex(r => new { r.SourceId, r.HandledAt });
        builder.HasOne<SyncRun>().WithMany().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DiscrepancyCheckConfiguration : IEntityTypeConfiguration<DiscrepancyCheck>
{
    public void Configure(EntityTypeBuilder<DiscrepancyCheck> builder)
    {
        builder.ToTable("DiscrepancyChecks");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Problem).HasMaxLength(2000);
        builder.HasIndex(c => new { c.MappingId, c.StartedAt });
        builder.HasOne<Mapping>().WithMany().HasForeignKey(c => c.MappingId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Samples).WithOne().HasForeignKey(s => s.CheckId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DiscrepancySampleConfiguration : IEntityTypeConfiguration<DiscrepancySample>
{
    public void Configure(EntityTypeBuilder<DiscrepancySample> builder)
    {
        builder.ToTable("DiscrepancySamples");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.RecordId).HasMaxLength(18);
        builder.Property(s => s.Differences).HasMaxLength(8000);
        builder.HasIndex(s => new { s.CheckId, s.Outcome });
    }
}
