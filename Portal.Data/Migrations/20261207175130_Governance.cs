using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Heurist.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class Governance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "assigned_at",
                table: "miners",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "assigned_models",
                table: "miners",
                type: "text[]",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "allocation_samples",
                columns: table => new
                {
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    model_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    target_share = table.Column<double>(type: "double precision", nullable: false),
                    actual_share = table.Column<double>(type: "double precision", nullable: false),
                    workers = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_allocation_samples", x => new { x.at, x.model_id });
                });

            migrationBuilder.CreateTable(
                name: "governance_messages",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(66)", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    address = table.Column<string>(type: "character varying(42)", nullable: false),
                    space = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    timestamp = table.Column<long>(type: "bigint", nullable: false),
                    proposal_id = table.Column<string>(type: "character varying(66)", nullable: false),
                    envelope = table.Column<string>(type: "text", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_governance_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "governance_proposals",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(66)", nullable: false),
                    space = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    author = table.Column<string>(type: "character varying(42)", nullable: false),
                    created = table.Column<long>(type: "bigint", nullable: false),
                    type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    title = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    discussion = table.Column<string>(type: "text", nullable: false),
                    choices = table.Column<List<string>>(type: "text[]", nullable: false),
                    start = table.Column<long>(type: "bigint", nullable: false),
                    end = table.Column<long>(type: "bigint", nullable: false),
                    snapshot_block = table.Column<long>(type: "bigint", nullable: false),
                    quorum = table.Column<decimal>(type: "numeric(46,18)", nullable: true),
                    plugins = table.Column<string>(type: "text", nullable: false),
                    app = table.Column<string>(type: "text", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    frozen_result = table.Column<string>(type: "jsonb", nullable: true),
                    frozen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_governance_proposals", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "model_allocation_targets",
                columns: table => new
                {
                    model_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    voted_share = table.Column<double>(type: "double precision", nullable: false),
                    demand_share = table.Column<double>(type: "double precision", nullable: false),
                    target_share = table.Column<double>(type: "double precision", nullable: false),
                    proposal_id = table.Column<string>(type: "character varying(66)", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_model_allocation_targets", x => x.model_id);
                });

            migrationBuilder.CreateTable(
                name: "voting_power_readings",
                columns: table => new
                {
                    address = table.Column<string>(type: "character varying(42)", nullable: false),
                    block = table.Column<long>(type: "bigint", nullable: false),
                    heu_wei = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    es_heu_wei = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    staked_heu_wei = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    staked_es_heu_wei = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    read_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_voting_power_readings", x => new { x.address, x.block });
                });

            migrationBuilder.CreateTable(
                name: "governance_votes",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(66)", nullable: false),
                    proposal_id = table.Column<string>(type: "character varying(66)", nullable: false),
                    voter = table.Column<string>(type: "character varying(42)", nullable: false),
                    timestamp = table.Column<long>(type: "bigint", nullable: false),
                    choice = table.Column<string>(type: "text", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false),
                    app = table.Column<string>(type: "text", nullable: false),
                    power = table.Column<decimal>(type: "numeric(46,18)", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_governance_votes", x => x.id);
                    table.ForeignKey(
                        name: "fk_governance_votes_governance_proposals_proposal_id",
                        column: x => x.proposal_id,
                        principalTable: "governance_proposals",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_image_jobs_created_at",
                table: "image_jobs",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_governance_messages_proposal_id_kind",
                table: "governance_messages",
                columns: new[] { "proposal_id", "kind" });

            migrationBuilder.CreateIndex(
                name: "ix_governance_proposals_kind_end",
                table: "governance_proposals",
                columns: new[] { "kind", "end" });

            migrationBuilder.CreateIndex(
                name: "ix_governance_proposals_space_end",
                table: "governance_proposals",
                columns: new[] { "space", "end" });

            migrationBuilder.CreateIndex(
                name: "ix_governance_votes_proposal_id_voter_timestamp",
                table: "governance_votes",
                columns: new[] { "proposal_id", "voter", "timestamp" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "allocation_samples");

            migrationBuilder.DropTable(
                name: "governance_messages");

            migrationBuilder.DropTable(
                name: "governance_votes");

            migrationBuilder.DropTable(
                name: "model_allocation_targets");

            migrationBuilder.DropTable(
                name: "voting_power_readings");

            migrationBuilder.DropTable(
                name: "governance_proposals");

            migrationBuilder.DropIndex(
                name: "ix_image_jobs_created_at",
                table: "image_jobs");

            migrationBuilder.DropColumn(
                name: "assigned_at",
                table: "miners");

            migrationBuilder.DropColumn(
                name: "assigned_models",
                table: "miners");
        }
    }
}
