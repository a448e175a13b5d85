using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Heurist.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class GaslessMinting : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "nft_metadata_documents",
                columns: table => new
                {
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    image_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    json = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_nft_metadata_documents", x => x.sha256);
                });

            migrationBuilder.CreateTable(
                name: "mint_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    image_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    owner = table.Column<string>(type: "character varying(42)", nullable: false),
                    account = table.Column<string>(type: "character varying(42)", nullable: false),
                    client_ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    metadata_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    operation = table.Column<string>(type: "jsonb", nullable: false),
                    user_op_hash = table.Column<string>(type: "character varying(66)", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    authorization_deadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sponsorship_valid_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    transaction_hash = table.Column<string>(type: "character varying(66)", nullable: true),
                    error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mint_requests", x => x.id);
                    table.ForeignKey(
                        name: "fk_mint_requests_nft_metadata_documents_metadata_sha256",
                        column: x => x.metadata_sha256,
                        principalTable: "nft_metadata_documents",
                        principalColumn: "sha256",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_mint_requests_client_ip_sent_at",
                table: "mint_requests",
                columns: new[] { "client_ip", "sent_at" });

            migrationBuilder.CreateIndex(
                name: "ix_mint_requests_image_sha256_state",
                table: "mint_requests",
                columns: new[] { "image_sha256", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_mint_requests_metadata_sha256",
                table: "mint_requests",
                column: "metadata_sha256");

            migrationBuilder.CreateIndex(
                name: "ix_mint_requests_owner_sent_at",
                table: "mint_requests",
                columns: new[] { "owner", "sent_at" });

            migrationBuilder.CreateIndex(
                name: "ix_mint_requests_user_op_hash",
                table: "mint_requests",
                column: "user_op_hash");

            migrationBuilder.CreateIndex(
                name: "ix_nft_metadata_documents_image_sha256",
                table: "nft_metadata_documents",
                column: "image_sha256");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mint_requests");

            migrationBuilder.DropTable(
                name: "nft_metadata_documents");
        }
    }
}
