using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Core.Persistence.Configurations;

internal sealed class SourceConfiguration : IEntityTypeConfiguration<Source>
{
    public void Configure(EntityTypeBuilder<Source> builder)
    {
        builder.ToTable("Sources");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.HasIndex(s => s.Name).IsUnique();
        builder.Property(s => s.LoginHost).HasMaxLength(300);
        builder.Property(s => s.ClientId).HasMaxLength(300);
        builder.Property(s => s.JwtUsername).HasMaxLength(256);
        builder.Property(s => s.InstanceUrl).HasMaxLength(300);
        builder.Property(s => s.OrgId).HasMaxLength(18);
        builder.Property(s => s.SalesforceUserId).HasMaxLength(18);
        builder.Property(s => s.SalesforceUsername).HasMaxLength(256);
        builder.Property(s => s.ApiVersion).HasMaxLength(10);
        builder.Property(s => s.ConnectionProblem).HasMaxLength(1000);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasMany(s => s.Collections).WithOne().HasForeignKey(c => c.SourceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SourceCollectionConfiguration : IEntityTypeConfiguration<SourceCollection>
{
    public void Configure(EntityTypeBuilder<SourceCollection> builder)
    {
        builder.ToTable("SourceCollections");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.Label).HasMaxLength(200);
        builder.HasIndex(c => new { c.SourceId, c.Name }).IsUnique();
    }
}
