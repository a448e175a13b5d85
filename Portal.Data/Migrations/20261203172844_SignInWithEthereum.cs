using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Heurist.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class SignInWithEthereum : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "owner_address",
                table: "image_jobs",
                type: "character varying(42)",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "sign_in_nonces",
                columns: table => new
                {
                    nonce = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    used_by = table.Column<string>(type: "character varying(42)", nullable: true),
                    message_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sign_in_nonces", x => x.nonce);
                });

            migrationBuilder.CreateIndex(
                name: "ix_image_jobs_owner_address_created_at",
                table: "image_jobs",
                columns: new[] { "owner_address", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_sign_in_nonces_expires_at",
                table: "sign_in_nonces",
                column: "expires_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sign_in_nonces");

            migrationBuilder.DropIndex(
                name: "ix_image_jobs_owner_address_created_at",
                table: "image_jobs");

            migrationBuilder.DropColumn(
                name: "owner_address",
                table: "image_jobs");
        }
    }
}
