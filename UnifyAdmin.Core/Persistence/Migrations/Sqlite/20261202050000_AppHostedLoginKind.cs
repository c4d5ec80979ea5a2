using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UnifyAdmin.Core.Persistence.Migrations.Sqlite
{
    /// <summary>The login kind "Demo" is now "AppHosted": Core names no demo, the web app supplies the path.</summary>
    public partial class AppHostedLoginKind : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""UPDATE "Sources" SET "LoginKind" = 'AppHosted' WHERE "LoginKind" = 'Demo';""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""UPDATE "Sources" SET "LoginKind" = 'Demo' WHERE "LoginKind" = 'AppHosted';""");
        }
    }
}
