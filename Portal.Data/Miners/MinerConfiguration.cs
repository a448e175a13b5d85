using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Heurist.Portal.Data.Miners;

internal sealed class MinerConfiguration : IEntityTypeConfiguration<Miner>
{
    public void Configure(EntityTypeBuilder<Miner> miner)
    {
        miner.HasKey(m => m.Id);
        miner.Property(m => m.Id).HasMaxLength(ColumnTypes.MinerIdLength);
        miner.Property(m => m.RewardAddress).HasColumnType(ColumnTypes.Address);
        miner.Property(m => m.DeviceName).HasMaxLength(200);
        miner.Property(m => m.ExecutionProvider).HasMaxLength(64).HasDefaultValue("");
        miner.Property(m => m.ExecutionProviderReason).HasMaxLength(400).HasDefaultValue("");
        miner.Property(m => m.DeviceKind).HasConversion<string>().HasMaxLength(ColumnTypes.EnumLength);
        miner.Property(m => m.HostName).HasMaxLength(255);
        miner.Property(m => m.WorkerVersion).HasMaxLength(64);
        miner.HasIndex(m => m.LastHeartbeatAt);
    }
}
