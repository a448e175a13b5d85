using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Heurist.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class ChainLayer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bribe_changes",
                columns: table => new
                {
                    block_number = table.Column<long>(type: "bigint", nullable: false),
                    log_index = table.Column<int>(type: "integer", nullable: false),
                    miner_chain_id = table.Column<string>(type: "character varying(66)", nullable: false),
                    basis_points = table.Column<int>(type: "integer", nullable: false),
                    effective_epoch = table.Column<long>(type: "bigint", nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bribe_changes", x => new { x.block_number, x.log_index });
                });

            migrationBuilder.CreateTable(
                name: "chain_cursors",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    next_block = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_chain_cursors", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "chain_events",
                columns: table => new
                {
                    block_number = table.Column<long>(type: "bigint", nullable: false),
                    log_index = table.Column<int>(type: "integer", nullable: false),
                    transaction_hash = table.Column<string>(type: "character varying(66)", nullable: false),
                    block_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    contract = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    arguments = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_chain_events", x => new { x.block_number, x.log_index });
                });

            migrationBuilder.CreateTable(
                name: "chain_miners",
                columns: table => new
                {
                    miner_chain_id = table.Column<string>(type: "character varying(66)", nullable: false),
                    owner = table.Column<string>(type: "character varying(42)", nullable: false),
                    registered_block = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_chain_miners", x => x.miner_chain_id);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "nft_tokens",
                columns: table => new
                {
                    image_hash = table.Column<string>(type: "character varying(66)", nullable: false),
                    owner = table.Column<string>(type: "character varying(42)", nullable: false),
                    model_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    uri = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    minted_block = table.Column<long>(type: "bigint", nullable: false),
                    mint_transaction_hash = table.Column<string>(type: "character varying(66)", nullable: false),
                    minted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_nft_tokens", x => x.image_hash);
                });

            migrationBuilder.CreateTable(
                name: "reward_claims",
                columns: table => new
                {
                    epoch = table.Column<long>(type: "bigint", nullable: false),
                    account = table.Column<string>(type: "character varying(42)", nullable: false),
                    heu_amount = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    es_heu_amount = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    claimed_block = table.Column<long>(type: "bigint", nullable: false),
                    transaction_hash = table.Column<string>(type: "character varying(66)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reward_claims", x => new { x.epoch, x.account });
                });

            migrationBuilder.CreateTable(
                name: "reward_epochs",
                columns: table => new
                {
                    epoch = table.Column<long>(type: "bigint", nullable: false),
                    root = table.Column<string>(type: "character varying(66)", nullable: false),
                    heu_total = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    es_heu_total = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    posted_block = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reward_epochs", x => x.epoch);
                });

            migrationBuilder.CreateTable(
                name: "stakes",
                columns: table => new
                {
                    staker = table.Column<string>(type: "character varying(42)", nullable: false),
                    miner_chain_id = table.Column<string>(type: "character varying(66)", nullable: false),
                    kind = table.Column<short>(type: "smallint", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    updated_block = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stakes", x => new { x.staker, x.miner_chain_id, x.kind });
                });

            migrationBuilder.CreateTable(
                name: "unstake_requests",
                columns: table => new
                {
                    request_id = table.Column<long>(type: "bigint", nullable: false),
                    staker = table.Column<string>(type: "character varying(42)", nullable: false),
                    miner_chain_id = table.Column<string>(type: "character varying(66)", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    available_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    withdrawn = table.Column<bool>(type: "boolean", nullable: false),
                    requested_block = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_unstake_requests", x => x.request_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_bribe_changes_miner_chain_id_effective_epoch",
                table: "bribe_changes",
                columns: new[] { "miner_chain_id", "effective_epoch" });

            migrationBuilder.CreateIndex(
                name: "ix_chain_events_contract_name",
                table: "chain_events",
                columns: new[] { "contract", "name" });

            migrationBuilder.CreateIndex(
                name: "ix_chain_miners_owner",
                table: "chain_miners",
                column: "owner");

            migrationBuilder.CreateIndex(
                name: "ix_nft_tokens_owner",
                table: "nft_tokens",
                column: "owner");

            migrationBuilder.CreateIndex(
                name: "ix_reward_claims_account",
                table: "reward_claims",
                column: "account");

            migrationBuilder.CreateIndex(
                name: "ix_stakes_miner_chain_id",
                table: "stakes",
                column: "miner_chain_id");

            migrationBuilder.CreateIndex(
                name: "ix_unstake_requests_staker",
                table: "unstake_requests",
                column: "staker");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bribe_changes");

            migrationBuilder.DropTable(
                name: "chain_cursors");

            migrationBuilder.DropTable(
                name: "chain_events");

            migrationBuilder.DropTable(
                name: "chain_miners");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "nft_tokens");

            migrationBuilder.DropTable(
                name: "reward_claims");

            migrationBuilder.DropTable(
                name: "reward_epochs");

            migrationBuilder.DropTable(
                name: "stakes");

            migrationBuilder.DropTable(
                name: "unstake_requests");
        }
    }
}
