using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Heurist.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class EpochMinerRewards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "epoch_miner_rewards",
                columns: table => new
                {
                    epoch = table.Column<long>(type: "bigint", nullable: false),
                    miner_chain_id = table.Column<string>(type: "character varying(66)", nullable: false),
                    reward_address = table.Column<string>(type: "character varying(42)", nullable: false),
                    stake_wei = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    efficiency_numerator = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    waifu_reward = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    llama_reward = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    bribe_paid = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    owner_paid = table.Column<decimal>(type: "numeric(78,0)", nullable: false),
                    bribe_bps = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_epoch_miner_rewards", x => new { x.epoch, x.miner_chain_id });
                    table.ForeignKey(
                        name: "fk_epoch_miner_rewards_epoch_settlements_epoch",
                        column: x => x.epoch,
                        principalTable: "epoch_settlements",
                        principalColumn: "epoch",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_epoch_miner_rewards_miner_chain_id_epoch",
                table: "epoch_miner_rewards",
                columns: new[] { "miner_chain_id", "epoch" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "epoch_miner_rewards");
        }
    }
}
