using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UnifyAdmin.Core.Persistence.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "SyncCron",
                table: "Sources",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ApiUsageSamples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SourceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Used = table.Column<long>(type: "INTEGER", nullable: false),
                    Allowed = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SourceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Collection = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Fields = table.Column<string>(type: "TEXT", nullable: false),
                    Filter = table.Column<string>(type: "TEXT", nullable: true),
                    SchemaSnapshot = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SourceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MappingId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Collection = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Resolved = table.Column<bool>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SourceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EstimatedRecords = table.Column<long>(type: "INTEGER", nullable: true),
                    RecordsRead = table.Column<long>(type: "INTEGER", nullable: false),
                    ApiCalls = table.Column<long>(type: "INTEGER", nullable: false),
                    BytesSent = table.Column<long>(type: "INTEGER", nullable: false),
                    CancelRequested = table.Column<bool>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DestinationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProfileSpaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserIdField = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    AnonymousIdField = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    GroupIdField = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Traits = table.Column<string>(type: "TEXT", nullable: false),
                    Naming = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SendNulls = table.Column<bool>(type: "INTEGER", nullable: false),
                    TimestampField = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    DeletePolicy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DeletedTrait = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CursorModstamp = table.Column<long>(type: "INTEGER", nullable: true),
                    CursorId = table.Column<string>(type: "TEXT", maxLength: 18, nullable: true),
                    InitialSyncDone = table.Column<bool>(type: "INTEGER", nullable: false),
                    PausedReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    PausedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MappingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordId = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PayloadSample = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    FirstSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
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
                    MappingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordId = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    SystemModstamp = table.Column<long>(type: "INTEGER", nullable: false),
                    PayloadHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MappingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RecordsRead = table.Column<long>(type: "INTEGER", nullable: false),
                    MessagesSent = table.Column<long>(type: "INTEGER", nullable: false),
                    Accepted = table.Column<long>(type: "INTEGER", nullable: false),
                    Failed = table.Column<long>(type: "INTEGER", nullable: false),
                    Deleted = table.Column<long>(type: "INTEGER", nullable: false),
                    Retried = table.Column<long>(type: "INTEGER", nullable: false),
                    GivenUp = table.Column<long>(type: "INTEGER", nullable: false),
                    Unchanged = table.Column<long>(type: "INTEGER", nullable: false)
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
