using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Core.Persistence.Configurations;

internal sealed class DestinationConfiguration : IEntityTypeConfiguration<Destination>
{
    public void Configure(EntityTypeBuilder<Destination> builder)
    {
        builder.ToTable("Destinations");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Name).HasMaxLength(100);
        builder.HasIndex(d => d.Name).IsUnique();
        builder.Property(d => d.TrackingApiUrl).HasMaxLength(300);
        builder.Property(d => d.ProfileApiUrl).HasMaxLength(300);
        builder.Property(d => d.Version).IsConcurrencyToken();
        builder.HasOne<Source>().WithMany().HasForeignKey(d => d.SourceId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(d => d.Spaces).WithOne().HasForeignKey(s => s.DestinationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProfileSpaceConfiguration : IEntityTypeConfiguration<ProfileSpace>
{
    public void Configure(EntityTypeBuilder<ProfileSpace> builder)
    {
        builder.ToTable("ProfileSpaces");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.SpaceId).HasMaxLength(100);
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.HasIndex(s => new { s.DestinationId, s.SpaceId }).IsUnique();
    }
}
