using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Heurist.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class EpochSettlement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "epoch_settlements",
                columns: table => new
                {
                    epoch = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    budget = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    unallocated = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    heu_total = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    es_heu_total = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    leaf_count = table.Column<int>(type: "integer", nullable: false),
                    root = table.Column<string>(type: "character varying(66)", nullable: true),
                    tree = table.Column<string>(type: "text", nullable: true),
                    post_transaction_hash = table.Column<string>(type: "character varying(66)", nullable: true),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    posted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_epoch_settlements", x => x.epoch);
                });

            migrationBuilder.CreateTable(
                name: "reward_leaves",
                columns: table => new
                {
                    epoch = table.Column<long>(type: "bigint", nullable: false),
                    account = table.Column<string>(type: "character varying(42)", nullable: false),
                    heu = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    es_heu = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    tree_index = table.Column<int>(type: "integer", nullable: false),
                    proof = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reward_leaves", x => new { x.epoch, x.account });
                    table.ForeignKey(
                        name: "fk_reward_leaves_epoch_settlements_epoch",
                        column: x => x.epoch,
                        principalTable: "epoch_settlements",
                        principalColumn: "epoch",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_reward_leaves_account",
                table: "reward_leaves",
                column: "account");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "reward_leaves");

            migrationBuilder.DropTable(
                name: "epoch_settlements");
        }
    }
}
