using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Core.Sync;

namespace UnifyAdmin.Core.Persistence.Configurations;

internal sealed class SyncRunConfiguration : IEntityTypeConfiguration<SyncRun>
{
    public void Configure(EntityTypeBuilder<SyncRun> builder)
    {
        builder.ToTable("SyncRuns");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Reason).HasMaxLength(2000);
        builder.HasIndex(r => new { r.SourceId, r.StartedAt });
        builder.HasIndex(r => r.StartedAt);
        builder.HasOne<Source>().WithMany().HasForeignKey(r => r.SourceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.Mappings).WithOne().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SyncRunMappingConfiguration : IEntityTypeConfiguration<SyncRunMapping>
{
    public void Configure(EntityTypeBuilder<SyncRunMapping> builder)
    {
        builder.ToTable("SyncRunMappings");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Reason).HasMaxLength(2000);
        builder.HasIndex(m => new { m.MappingId, m.RunId });
        builder.HasOne<Mapping>().WithMany().HasForeignKey(m => m.MappingId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class RecordStateConfiguration : IEntityTypeConfiguration<RecordState>
{
    public void Configure(EntityTypeBuilder<RecordState> builder)
    {
        builder.ToTable("RecordStates");
        builder.HasKey(r => new { r.MappingId, r.RecordId });
        builder.Property(r => r.RecordId).HasMaxLength(18);
        builder.Property(r => r.PayloadHash).HasMaxLength(64);
        builder.Property(r => r.MessageId).HasMaxLength(100);
        builder.HasIndex(r => r.RecordId);
        builder.HasOne<Mapping>().WithMany().HasForeignKey(r => r.MappingId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RecordErrorConfiguration : IEntityTypeConfiguration<RecordError>
{
    public void Configure(EntityTypeBuilder<RecordError> builder)
    {
        builder.ToTable("RecordErrors");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.RecordId).HasMaxLength(18);
        builder.Property(e => e.Reason).HasMaxLength(1000);
        builder.Property(e => e.PayloadSample).HasMaxLength(4000);
        builder.HasIndex(e => new { e.MappingId, e.RecordId });
        builder.HasIndex(e => new { e.RunId, e.Reason });
        builder.HasIndex(e => new { e.MappingId, e.State });
        builder.HasIndex(e => e.RecordId);
        builder.HasOne<Mapping>().WithMany().HasForeignKey(e => e.MappingId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ApiUsageSampleConfiguration : IEntityTypeConfiguration<ApiUsageSample>
{
    public void Configure(EntityTypeBuilder<ApiUsageSample> builder)
    {
        builder.ToTable("ApiUsageSamples");
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => new { s.SourceId, s.At });
        builder.HasOne<Source>().WithMany().HasForeignKey(s => s.SourceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SchemaNoticeConfiguration : IEntityTypeConfiguration<SchemaNotice>
{
    public void Configure(EntityTypeBuilder<SchemaNotice> builder)
    {
        builder.ToTable("SchemaNotices");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Collection).HasMaxLength(100);
        builder.Property(n => n.Message).HasMaxLength(2000);
        builder.HasIndex(n => new { n.SourceId, n.Resolved });
        builder.HasOne<Source>().WithMany().HasForeignKey(n => n.SourceId).OnDelete(DeleteBehavior.Cascade);
    }
}
