using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Heurist.Portal.Data.Auth;

internal sealed class SignInNonceConfiguration : IEntityTypeConfiguration<SignInNonce>
{
    public void Configure(EntityTypeBuilder<SignInNonce> nonce)
    {
        nonce.HasKey(n => n.Nonce);
        nonce.Property(n => n.Nonce).HasMaxLength(64);
        nonce.Property(n => n.UsedBy).HasColumnType(ColumnTypes.Address);
        nonce.Property(n => n.MessageSha256).HasMaxLength(ColumnTypes.Sha256Length);
        // Expired nonces are deleted by age.
        nonce.HasIndex(n => n.ExpiresAt);
    }
}
