using Heurist.Portal.Data.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Heurist.Portal.Data.Provenance;

internal sealed class ImageVerificationConfiguration : IEntityTypeConfiguration<ImageVerification>
{
    public void Configure(EntityTypeBuilder<ImageVerification> verification)
    {
        verification.HasKey(v => v.Id);
        verification.Property(v => v.ImageSha256).HasMaxLength(ColumnTypes.Sha256Length);
        verification.Property(v => v.ModelId).HasMaxLength(ColumnTypes.ModelIdLength);
        // "CannotVerify" is longer than the other enums' names.
        verification.Property(v => v.State).HasConversion<string>().HasMaxLength(32);
        verification.Property(v => v.ExpectedSha256).HasMaxLength(ColumnTypes.Sha256Length);
        verification.Property(v => v.ActualSha256).HasMaxLength(ColumnTypes.Sha256Length);
        verification.Property(v => v.Reason).HasMaxLength(ImageVerification.MaxReasonLength);
        verification.Property(v => v.MinerId).HasMaxLength(ColumnTypes.MinerIdLength);
        verification.Property(v => v.HangfireJobId).HasMaxLength(64);
        verification.HasOne<StoredImage>().WithMany().HasForeignKey(v => v.ImageSha256).OnDelete(DeleteBehavior.Cascade);
        // An image's page lists its verifications, newest first.
        verification.HasIndex(v => new { v.ImageSha256, v.CreatedAt });
    }
}
