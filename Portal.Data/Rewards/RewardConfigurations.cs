using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Heurist.Portal.Data.Rewards;

internal sealed class EpochSettlementRecordConfiguration : IEntityTypeConfiguration<EpochSettlementRecord>
{
    public void Configure(EntityTypeBuilder<EpochSettlementRecord> e)
    {
        e.HasKey(x => x.Epoch);
        e.Property(x => x.Epoch).ValueGeneratedNever();
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(ColumnTypes.EnumLength);
        e.Property(x => x.Budget).HasColumnType(ColumnTypes.Wei);
        e.Property(x => x.Unallocated).HasColumnType(ColumnTypes.Wei);
        e.Property(x => x.HeuTotal).HasColumnType(ColumnTypes.Wei);
        e.Property(x => x.EsHeuTotal).HasColumnType(ColumnTypes.Wei);
        e.Property(x => x.Root).HasColumnType(ColumnTypes.Hash);
        e.Property(x => x.Tree).HasColumnType("text");
        e.Property(x => x.PostTransactionHash).HasColumnType(ColumnTypes.Hash);
        e.Property(x => x.LastError).HasMaxLength(1000);
    }
}

internal sealed class RewardLeafRecordConfiguration : IEntityTypeConfiguration<RewardLeafRecord>
{
    public void Configure(EntityTypeBuilder<RewardLeafRecord> l)
    {
        l.HasKey(x => new { x.Epoch, x.Account });
        l.Property(x => x.Account).HasColumnType(ColumnTypes.Address);
        l.Property(x => x.Heu).HasColumnType(ColumnTypes.Wei);
        l.Property(x => x.EsHeu).HasColumnType(ColumnTypes.Wei);
        l.Property(x => x.Proof).HasColumnType(ColumnTypes.Json);
        l.HasIndex(x => x.Account);
        l.HasOne<EpochSettlementRecord>().WithMany().HasForeignKey(x => x.Epoch).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EpochMinerRewardRecordConfiguration : IEntityTypeConfiguration<EpochMinerRewardRecord>
{
    public void Configure(EntityTypeBuilder<EpochMinerRewardRecord> r)
    {
        r.HasKey(x => new { x.Epoch, x.MinerChainId });
        r.Property(x => x.MinerChainId).HasColumnType(ColumnTypes.Hash);
        r.Property(x => x.RewardAddress).HasColumnType(ColumnTypes.Address);
        r.Property(x => x.StakeWei).HasColumnType(ColumnTypes.Wei);
        r.Property(x => x.EfficiencyNumerator).HasColumnType(ColumnTypes.Wei);
        r.Property(x => x.WaifuReward).HasColumnType(ColumnTypes.Wei);
        r.Property(x => x.LlamaReward).HasColumnType(ColumnTypes.Wei);
        r.Property(x => x.BribePaid).HasColumnType(ColumnTypes.Wei);
        r.Property(x => x.OwnerPaid).HasColumnType(ColumnTypes.Wei);
        // The miner page and the snapshot read a miner's latest epochs.
        r.HasIndex(x => new { x.MinerChainId, x.Epoch });
        r.HasOne<EpochSettlementRecord>().WithMany().HasForeignKey(x => x.Epoch).OnDelete(DeleteBehavior.Cascade);
    }
}
