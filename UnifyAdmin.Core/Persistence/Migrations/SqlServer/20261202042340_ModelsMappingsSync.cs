using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UnifyAdmin.Core.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ModelsMappingsSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ApiBudgetPercent",
                table: "Sources",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "SyncCron",
                table: "Sources",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ApiUsageSamples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SourceId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Used = table.Column<long>(type: "bigint", nullable: false),
                    Allowed = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiUsageSamples", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApiUsageSamples_Sources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "Sources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Models",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SourceId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Collection = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Fields = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Filter = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    SchemaSnapshot = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Models", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Models_Sources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "Sources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SchemaNotices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SourceId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ModelId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MappingId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    Collection = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Message = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Resolved = table.Column<bool>(type: "bit", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SchemaNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SchemaNotices_Sources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "Sources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SyncRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SourceId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Trigger = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    EstimatedRecords = table.Column<long>(type: "bigint", nullable: true),
                    RecordsRead = table.Column<long>(type: "bigint", nullable: false),
                    ApiCalls = table.Column<long>(type: "bigint", nullable: false),
                    BytesSent = table.Column<long>(type: "bigint", nullable: false),
                    CancelRequested = table.Column<bool>(type: "bit", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncRuns_Sources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "Sources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Mappings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ModelId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    DestinationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProfileSpaceId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Action = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    UserIdField = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    AnonymousIdField = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    GroupIdField = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Traits = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Naming = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    SendNulls = table.Column<bool>(type: "bit", nullable: false),
                    TimestampField = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Revision = table.Column<int>(type: "int", nullable: false),
                    Enabled = table.Column<bool>(type: "bit", nullable: false),
                    DeletePolicy = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    DeletedTrait = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    CursorModstamp = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    CursorId = table.Column<string>(type: "nvarchar(18)", maxLength: 18, nullable: true),
                    InitialSyncDone = table.Column<bool>(type: "bit", nullable: false),
                    PausedReason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    PausedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Mappings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Mappings_Destinations_DestinationId",
                        column: x => x.DestinationId,
                        principalTable: "Destinations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Mappings_Models_ModelId",
                        column: x => x.ModelId,
                        principalTable: "Models",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Mappings_ProfileSpaces_ProfileSpaceId",
                        column: x => x.ProfileSpaceId,
                        principalTable: "ProfileSpaces",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "RecordErrors",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    MappingId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    RunId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    RecordId = table.Column<string>(type: "nvarchar(18)", maxLength: 18, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    PayloadSample = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    FirstSeenAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    State = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecordErrors", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RecordErrors_Mappings_MappingId",
                        column: x => x.MappingId,
                        principalTable: "Mappings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RecordStates",
                columns: table => new
                {
                    MappingId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    RecordId = table.Column<string>(type: "nvarchar(18)", maxLength: 18, nullable: false),
                    SystemModstamp = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    PayloadHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    MessageId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    State = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecordStates", x => new { x.MappingId, x.RecordId });
                    table.ForeignKey(
                        name: "FK_RecordStates_Mappings_MappingId",
                        column: x => x.MappingId,
                        principalTable: "Mappings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SyncRunMappings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    RunId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MappingId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    RecordsRead = table.Column<long>(type: "bigint", nullable: false),
                    MessagesSent = table.Column<long>(type: "bigint", nullable: false),
                    Accepted = table.Column<long>(type: "bigint", nullable: false),
                    Failed = table.Column<long>(type: "bigint", nullable: false),
                    Deleted = table.Column<long>(type: "bigint", nullable: false),
                    Retried = table.Column<long>(type: "bigint", nullable: false),
                    GivenUp = table.Column<long>(type: "bigint", nullable: false),
                    Unchanged = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncRunMappings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncRunMappings_Mappings_MappingId",
                        column: x => x.MappingId,
                        principalTable: "Mappings",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_SyncRunMappings_SyncRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "SyncRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiUsageSamples_SourceId_At",
                table: "ApiUsageSamples",
                columns: new[] { "SourceId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Mappings_DestinationId",
                table: "Mappings",
                column: "DestinationId");

            migrationBuilder.CreateIndex(
                name: "IX_Mappings_ModelId",
                table: "Mappings",
                column: "ModelId");

            migrationBuilder.CreateIndex(
                name: "IX_Mappings_ProfileSpaceId",
                table: "Mappings",
                column: "ProfileSpaceId");

            migrationBuilder.CreateIndex(
                name: "IX_Models_SourceId_Name",
                table: "Models",
                columns: new[] { "SourceId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RecordErrors_MappingId_RecordId",
                table: "RecordErrors",
                columns: new[] { "MappingId", "RecordId" });

            migrationBuilder.CreateIndex(
                name: "IX_RecordErrors_MappingId_State",
                table: "RecordErrors",
                columns: new[] { "MappingId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_RecordErrors_RecordId",
                table: "RecordErrors",
                column: "RecordId");

            migrationBuilder.CreateIndex(
                name: "IX_RecordErrors_RunId_Reason",
                table: "RecordErrors",
                columns: new[] { "RunId", "Reason" });

            migrationBuilder.CreateIndex(
                name: "IX_RecordStates_RecordId",
                table: "RecordStates",
                column: "RecordId");

            migrationBuilder.CreateIndex(
                name: "IX_SchemaNotices_SourceId_Resolved",
                table: "SchemaNotices",
                columns: new[] { "SourceId", "Resolved" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncRunMappings_MappingId_RunId",
                table: "SyncRunMappings",
                columns: new[] { "MappingId", "RunId" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncRunMappings_RunId",
                table: "SyncRunMappings",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_SyncRuns_SourceId_StartedAt",
                table: "SyncRuns",
                columns: new[] { "SourceId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncRuns_StartedAt",
                table: "SyncRuns",
                column: "StartedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApiUsageSamples");

            migrationBuilder.DropTable(
                name: "RecordErrors");

            migrationBuilder.DropTable(
                name: "RecordStates");

            migrationBuilder.DropTable(
                name: "SchemaNotices");

            migrationBuilder.DropTable(
                name: "SyncRunMappings");

            migrationBuilder.DropTable(
                name: "Mappings");

            migrationBuilder.DropTable(
                name: "SyncRuns");

            migrationBuilder.DropTable(
                name: "Models");

            migrationBuilder.DropColumn(
                name: "ApiBudgetPercent",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "SyncCron",
                table: "Sources");
        }
    }
}
