using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Core.Persistence.Configurations;

internal sealed class DataModelConfiguration : IEntityTypeConfiguration<DataModel>
{
    public void Configure(EntityTypeBuilder<DataModel> builder)
    {
        builder.ToTable("Models");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Name).HasMaxLength(100);
        builder.Property(m => m.Collection).HasMaxLength(100);
        builder.HasIndex(m => new { m.SourceId, m.Name }).IsUnique();
        builder.Property(m => m.Fields).HasJsonConversion();
        builder.Property(m => m.Filter).HasJsonConversion();
        builder.Property(m => m.SchemaSnapshot).HasJsonConversion();
        builder.Property(m => m.CollectionFields).HasJsonConversion();
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.HasOne<Source>().WithMany().HasForeignKey(m => m.SourceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MappingConfiguration : IEntityTypeConfiguration<Mapping>
{
    public void Configure(EntityTypeBuilder<Mapping> builder)
    {
        builder.ToTable("Mappings");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.UserIdField).HasMaxLength(200);
        builder.Property(m => m.AnonymousIdField).HasMaxLength(200);
        builder.Property(m => m.GroupIdField).HasMaxLength(200);
        builder.Property(m => m.TimestampField).HasMaxLength(200);
        builder.Property(m => m.DeletedTrait).HasMaxLength(200);
        builder.Property(m => m.Traits).HasJsonConversion();
        builder.Property(m => m.CursorId).HasMaxLength(18);
        builder.Property(m => m.PausedReason).HasMaxLength(1000);
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.HasIndex(m => m.ModelId);
        builder.HasIndex(m => m.DestinationId);
        // A model in use cannot be deleted (the service names the mappings); a deleted destination takes its mappings along.
        builder.HasOne<DataModel>().WithMany().HasForeignKey(m => m.ModelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Destination>().WithMany().HasForeignKey(m => m.DestinationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ProfileSpace>().WithMany().HasForeignKey(m => m.ProfileSpaceId).OnDelete(DeleteBehavior.NoAction);
    }
}
