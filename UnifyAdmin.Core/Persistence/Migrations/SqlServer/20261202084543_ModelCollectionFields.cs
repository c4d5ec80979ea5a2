using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UnifyAdmin.Core.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ModelCollectionFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CollectionFields",
                table: "Models",
                type: "nvarchar(max)",
                nullable: false,
                // Existing models get an empty list: their first run records the collection's fields silently.
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CollectionFields",
                table: "Models");
        }
    }
}
