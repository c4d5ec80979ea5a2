using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UnifyAdmin.Core.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SourcesAndDestinations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Sources",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    LoginKind = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    LoginHost = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    AuthFlow = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ClientId = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    ClientSecretProtected = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    JwtUsername = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    JwtPrivateKeyProtected = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    RefreshTokenProtected = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    AccessTokenProtected = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    InstanceUrl = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: true),
                    OrgId = table.Column<string>(type: "nvarchar(18)", maxLength: 18, nullable: true),
                    SalesforceUserId = table.Column<string>(type: "nvarchar(18)", maxLength: 18, nullable: true),
                    SalesforceUsername = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    ApiVersion = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: true),
                    ConnectionState = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ConnectionProblem = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    Enabled = table.Column<bool>(type: "bit", nullable: false),
                    SyncIntervalMinutes = table.Column<int>(type: "int", nullable: false),
                    HistoricalSince = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ApiUsed = table.Column<long>(type: "bigint", nullable: true),
                    ApiAllowed = table.Column<long>(type: "bigint", nullable: true),
                    ApiUsageAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Sources", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Destinations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Region = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    TrackingApiUrl = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: true),
                    ProfileApiUrl = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: true),
                    SourceId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    Enabled = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Destinations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Destinations_Sources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "Sources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "SourceCollections",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SourceId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Label = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Custom = table.Column<bool>(type: "bit", nullable: false),
                    Columns = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SourceCollections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SourceCollections_Sources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "Sources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ProfileSpaces",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    DestinationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SpaceId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    WriteKeyProtected = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    AccessTokenProtected = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProfileSpaces", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ProfileSpaces_Destinations_DestinationId",
                        column: x => x.DestinationId,
                        principalTable: "Destinations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Destinations_Name",
                table: "Destinations",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Destinations_SourceId",
                table: "Destinations",
                column: "SourceId");

            migrationBuilder.CreateIndex(
                name: "IX_ProfileSpaces_DestinationId_SpaceId",
                table: "ProfileSpaces",
                columns: new[] { "DestinationId", "SpaceId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SourceCollections_SourceId_Name",
                table: "SourceCollections",
                columns: new[] { "SourceId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Sources_Name",
                table: "Sources",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProfileSpaces");

            migrationBuilder.DropTable(
                name: "SourceCollections");

            migrationBuilder.DropTable(
                name: "Destinations");

            migrationBuilder.DropTable(
                name: "Sources");
        }
    }
}
