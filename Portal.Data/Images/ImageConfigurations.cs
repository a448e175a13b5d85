using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Heurist.Portal.Data.Images;

internal sealed class ImageJobConfiguration : IEntityTypeConfiguration<ImageJob>
{
    public void Configure(EntityTypeBuilder<ImageJob> job)
    {
        job.HasKey(j => j.Id);
        job.Property(j => j.CreatorId).HasMaxLength(100);
        job.Property(j => j.Prompt).HasMaxLength(ColumnTypes.PromptLength);
        job.Property(j => j.NegativePrompt).HasMaxLength(ColumnTypes.PromptLength);
        job.Property(j => j.ModelId).HasMaxLength(ColumnTypes.ModelIdLength);
        job.Property(j => j.Scheduler).HasMaxLength(50);
        job.Property(j => j.State).HasConversion<string>().HasMaxLength(ColumnTypes.EnumLength);
        job.Property(j => j.HangfireJobId).HasMaxLength(64);
        job.Property(j => j.MinerId).HasMaxLength(ColumnTypes.MinerIdLength);
        job.Property(j => j.Error).HasMaxLength(ImageJob.MaxErrorLength);
        job.Property(j => j.ImageSha256).HasMaxLength(ColumnTypes.Sha256Length);
        job.Property(j => j.Points).HasColumnType(ColumnTypes.Points);
        job.Property(j => j.OwnerAddress).HasColumnType(ColumnTypes.Address);
        job.HasIndex(j => new { j.CreatorId, j.CreatedAt });
        job.HasIndex(j => new { j.OwnerAddress, j.CreatedAt });
        job.HasIndex(j => j.State);
        // The model allocation reads the jobs submitted within its demand window every few seconds.
        job.HasIndex(j => j.CreatedAt);
    }
}

internal sealed class StoredImageConfiguration : IEntityTypeConfiguration<StoredImage>
{
    public void Configure(EntityTypeBuilder<StoredImage> image)
    {
        image.HasKey(i => i.Sha256);
        image.Property(i => i.Sha256).HasMaxLength(ColumnTypes.Sha256Length);
        image.Property(i => i.Metadata).HasColumnType(ColumnTypes.Json);
    }
}

internal sealed class PointsCreditConfiguration : IEntityTypeConfiguration<PointsCredit>
{
    public void Configure(EntityTypeBuilder<PointsCredit> credit)
    {
        credit.HasKey(c => c.JobId);
        credit.Property(c => c.MinerId).HasMaxLength(ColumnTypes.MinerIdLength);
        credit.Property(c => c.Kind).HasConversion<string>().HasMaxLength(ColumnTypes.EnumLength);
        credit.Property(c => c.Points).HasColumnType(ColumnTypes.Points);
        credit.HasIndex(c => new { c.MinerId, c.CreditedAt });
        // The stats page lists the latest finished jobs.
        credit.HasIndex(c => c.CreditedAt);
    }
}

internal sealed class MinerModelConfiguration : IEntityTypeConfiguration<MinerModel>
{
    public void Configure(EntityTypeBuilder<MinerModel> model)
    {
        model.HasKey(m => new { m.MinerId, m.ModelId });
        model.Property(m => m.MinerId).HasMaxLength(ColumnTypes.MinerIdLength);
        model.Property(m => m.ModelId).HasMaxLength(ColumnTypes.ModelIdLength);
        model.Property(m => m.FileHashes).HasColumnType(ColumnTypes.Json);
    }
}
