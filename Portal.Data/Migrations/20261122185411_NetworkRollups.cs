using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Heurist.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class NetworkRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "miner_hourly",
                columns: table => new
                {
                    miner_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    jobs_done = table.Column<long>(type: "bigint", nullable: false),
                    waifu_points = table.Column<decimal>(type: "numeric(20,6)", nullable: false),
                    llama_points = table.Column<decimal>(type: "numeric(20,6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_miner_hourly", x => new { x.miner_id, x.hour });
                });

            migrationBuilder.CreateTable(
                name: "miner_latency_daily",
                columns: table => new
                {
                    miner_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    bucket = table.Column<short>(type: "smallint", nullable: false),
                    jobs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_miner_latency_daily", x => new { x.miner_id, x.day, x.bucket });
                });

            migrationBuilder.CreateTable(
                name: "miner_sessions",
                columns: table => new
                {
                    miner_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_miner_sessions", x => new { x.miner_id, x.started_at });
                });

            migrationBuilder.CreateTable(
                name: "miner_summaries",
                columns: table => new
                {
                    miner_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    jobs_done = table.Column<long>(type: "bigint", nullable: false),
                    waifu_points = table.Column<decimal>(type: "numeric(20,6)", nullable: false),
                    llama_points = table.Column<decimal>(type: "numeric(20,6)", nullable: false),
                    last_job_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    points24h = table.Column<decimal>(type: "numeric(20,6)", nullable: false),
                    points7d = table.Column<decimal>(type: "numeric(20,6)", nullable: false),
                    jobs7d = table.Column<long>(type: "bigint", nullable: false),
                    uptime24h = table.Column<double>(type: "double precision", nullable: false),
                    uptime7d = table.Column<double>(type: "double precision", nullable: false),
                    median_latency_ms = table.Column<double>(type: "double precision", nullable: true),
                    windows_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_miner_summaries", x => x.miner_id);
                });

            migrationBuilder.CreateTable(
                name: "network_hourly",
                columns: table => new
                {
                    hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    model_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: false),
                    images_generated = table.Column<long>(type: "bigint", nullable: false),
                    waifu_points = table.Column<decimal>(type: "numeric(20,6)", nullable: false),
                    llama_points = table.Column<decimal>(type: "numeric(20,6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_network_hourly", x => new { x.hour, x.model_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_miner_hourly_hour",
                table: "miner_hourly",
                column: "hour");

            migrationBuilder.CreateIndex(
                name: "ix_miner_latency_daily_day",
                table: "miner_latency_daily",
                column: "day");

            migrationBuilder.CreateIndex(
                name: "ix_miner_sessions_last_seen_at",
                table: "miner_sessions",
                column: "last_seen_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "miner_hourly");

            migrationBuilder.DropTable(
                name: "miner_latency_daily");

            migrationBuilder.DropTable(
                name: "miner_sessions");

            migrationBuilder.DropTable(
                name: "miner_summaries");

            migrationBuilder.DropTable(
                name: "network_hourly");
        }
    }
}
