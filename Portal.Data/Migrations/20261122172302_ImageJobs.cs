using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Heurist.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class ImageJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "image_jobs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    creator_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    prompt = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    negative_prompt = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    model_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    width = table.Column<int>(type: "integer", nullable: false),
                    height = table.Column<int>(type: "integer", nullable: false),
                    steps = table.Column<int>(type: "integer", nullable: false),
                    guidance = table.Column<double>(type: "double precision", nullable: false),
                    seed = table.Column<long>(type: "bigint", nullable: false),
                    scheduler = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    progress_step = table.Column<int>(type: "integer", nullable: false),
                    preview = table.Column<byte[]>(type: "bytea", nullable: true),
                    hangfire_job_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    miner_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancel_requested = table.Column<bool>(type: "boolean", nullable: false),
                    error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    image_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    points = table.Column<decimal>(type: "numeric(20,6)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_image_jobs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "images",
                columns: table => new
                {
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    png = table.Column<byte[]>(type: "bytea", nullable: false),
                    width = table.Column<int>(type: "integer", nullable: false),
                    height = table.Column<int>(type: "integer", nullable: false),
                    metadata = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_images", x => x.sha256);
                });

            migrationBuilder.CreateTable(
                name: "miner_models",
                columns: table => new
                {
                    miner_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    model_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    demo = table.Column<bool>(type: "boolean", nullable: false),
                    file_hashes = table.Column<string>(type: "jsonb", nullable: false),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_miner_models", x => new { x.miner_id, x.model_id });
                });

            migrationBuilder.CreateTable(
                name: "points_credits",
                columns: table => new
                {
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    miner_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    points = table.Column<decimal>(type: "numeric(20,6)", nullable: false),
                    credited_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_points_credits", x => x.job_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_image_jobs_creator_id_created_at",
                table: "image_jobs",
                columns: new[] { "creator_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_image_jobs_state",
                table: "image_jobs",
                column: "state");

            migrationBuilder.CreateIndex(
                name: "ix_points_credits_miner_id_credited_at",
                table: "points_credits",
                columns: new[] { "miner_id", "credited_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "image_jobs");

            migrationBuilder.DropTable(
                name: "images");

            migrationBuilder.DropTable(
                name: "miner_models");

            migrationBuilder.DropTable(
                name: "points_credits");
        }
    }
}
