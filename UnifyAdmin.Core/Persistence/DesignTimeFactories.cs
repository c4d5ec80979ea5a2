using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace UnifyAdmin.Core.Persistence;

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the app.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteAppDbContext>();
        builder.UseSqlite("Data Source=design-time.db");
        return new SqliteAppDbContext(builder.Options);
    }
}

/// <summary>Lets <c>dotnet ef</c> build the SQL Server context without a server.</summary>
internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerAppDbContext>
{
    public SqlServerAppDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqlServerAppDbContext>();
        builder.UseSqlServer("Server=localhost;Database=UnifyAdmin;Trusted_Connection=True;TrustServerCertificate=True");
        return new SqlServerAppDbContext(builder.Options);
    }
}
