using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Heurist.Portal.Data.Minting;

internal sealed class MintRequestConfiguration : IEntityTypeConfiguration<MintRequest>
{
    public void Configure(EntityTypeBuilder<MintRequest> m)
    {
        m.HasKey(x => x.Id);
        m.Property(x => x.ImageSha256).HasMaxLength(ColumnTypes.Sha256Length);
        m.Property(x => x.Owner).HasColumnType(ColumnTypes.Address);
        m.Property(x => x.Account).HasColumnType(ColumnTypes.Address);
        m.Property(x => x.ClientIp).HasMaxLength(64);
        m.Property(x => x.MetadataSha256).HasMaxLength(ColumnTypes.Sha256Length);
        m.Property(x => x.Operation).HasColumnType(ColumnTypes.Json);
        m.Property(x => x.UserOpHash).HasColumnType(ColumnTypes.Hash);
        m.Property(x => x.State).HasConversion<string>().HasMaxLength(ColumnTypes.EnumLength);
        m.Property(x => x.TransactionHash).HasColumnType(ColumnTypes.Hash);
        m.Property(x => x.Error).HasMaxLength(MintRequest.MaxErrorLength);
        m.HasIndex(x => x.UserOpHash);
        m.HasIndex(x => new { x.ImageSha256, x.State });
        // The quotas count a wallet's, and an address's, mints sent in the last day.
        m.HasIndex(x => new { x.Owner, x.SentAt });
        m.HasIndex(x => new { x.ClientIp, x.SentAt });
        m.HasOne<NftMetadataDocument>().WithMany().HasForeignKey(x => x.MetadataSha256).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class NftMetadataDocumentConfiguration : IEntityTypeConfiguration<NftMetadataDocument>
{
    public void Configure(EntityTypeBuilder<NftMetadataDocument> d)
    {
        d.HasKey(x => x.Sha256);
        d.Property(x => x.Sha256).HasMaxLength(ColumnTypes.Sha256Length);
        d.Property(x => x.ImageSha256).HasMaxLength(ColumnTypes.Sha256Length);
        // Text, not jsonb: the bytes served must hash to the key, and jsonb would reorder and respace them.
        d.Property(x => x.Json).HasColumnType("text");
        d.HasIndex(x => x.ImageSha256);
    }
}
