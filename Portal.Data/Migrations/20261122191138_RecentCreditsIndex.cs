using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Heurist.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class RecentCreditsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_points_credits_credited_at",
                table: "points_credits",
                column: "credited_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_points_credits_credited_at",
                table: "points_credits");
        }
    }
}
