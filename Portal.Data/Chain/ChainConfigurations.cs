using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Heurist.Portal.Data.Chain;

internal sealed class ChainCursorConfiguration : IEntityTypeConfiguration<ChainCursor>
{
    public void Configure(EntityTypeBuilder<ChainCursor> cursor)
    {
        cursor.HasKey(c => c.Name);
        cursor.Property(c => c.Name).HasMaxLength(64);
    }
}

internal sealed class ChainEventConfiguration : IEntityTypeConfiguration<ChainEvent>
{
    public void Configure(EntityTypeBuilder<ChainEvent> e)
    {
        e.HasKey(x => new { x.BlockNumber, x.LogIndex });
        e.Property(x => x.TransactionHash).HasColumnType(ColumnTypes.Hash);
        e.Property(x => x.Contract).HasMaxLength(64);
        e.Property(x => x.Name).HasMaxLength(64);
        e.Property(x => x.Arguments).HasColumnType(ColumnTypes.Json);
        e.HasIndex(x => new { x.Contract, x.Name });
    }
}

internal sealed class ChainMinerConfiguration : IEntityTypeConfiguration<ChainMiner>
{
    public void Configure(EntityTypeBuilder<ChainMiner> m)
    {
        m.HasKey(x => x.MinerChainId);
        m.Property(x => x.MinerChainId).HasColumnType(ColumnTypes.Hash);
        m.Property(x => x.Owner).HasColumnType(ColumnTypes.Address);
        m.HasIndex(x => x.Owner);
    }
}

internal sealed class StakeConfiguration : IEntityTypeConfiguration<Stake>
{
    public void Configure(EntityTypeBuilder<Stake> s)
    {
        s.HasKey(x => new { x.Staker, x.MinerChainId, x.Kind });
        s.Property(x => x.Staker).HasColumnType(ColumnTypes.Address);
        s.Property(x => x.MinerChainId).HasColumnType(ColumnTypes.Hash);
        s.Property(x => x.Amount).HasColumnType(ColumnTypes.Wei);
        s.HasIndex(x => x.MinerChainId);
    }
}

internal sealed class UnstakeRequestConfiguration : IEntityTypeConfiguration<UnstakeRequest>
{
    public void Configure(EntityTypeBuilder<UnstakeRequest> r)
    {
        r.HasKey(x => x.RequestId);
        r.Property(x => x.RequestId).ValueGeneratedNever();
        r.Property(x => x.Staker).HasColumnType(ColumnTypes.Address);
        r.Property(x => x.MinerChainId).HasColumnType(ColumnTypes.Hash);
        r.Property(x => x.Amount).HasColumnType(ColumnTypes.Wei);
        r.HasIndex(x => x.Staker);
    }
}

internal sealed class BribeChangeConfiguration : IEntityTypeConfiguration<BribeChange>
{
    public void Configure(EntityTypeBuilder<BribeChange> b)
    {
        b.HasKey(x => new { x.BlockNumber, x.LogIndex });
        b.Property(x => x.MinerChainId).HasColumnType(ColumnTypes.Hash);
        b.HasIndex(x => new { x.MinerChainId, x.EffectiveEpoch });
    }
}

internal sealed class NftTokenConfiguration : IEntityTypeConfiguration<NftToken>
{
    public void Configure(EntityTypeBuilder<NftToken> t)
    {
        t.HasKey(x => x.ImageHash);
        t.Property(x => x.ImageHash).HasColumnType(ColumnTypes.Hash);
        t.Property(x => x.Owner).HasColumnType(ColumnTypes.Address);
        t.Property(x => x.ModelId).HasMaxLength(ColumnTypes.ModelIdLength);
        t.Property(x => x.Uri).HasMaxLength(2048);
        t.Property(x => x.MintTransactionHash).HasColumnType(ColumnTypes.Hash);
        t.HasIndex(x => x.Owner);
    }
}

internal sealed class RewardEpochConfiguration : IEntityTypeConfiguration<RewardEpoch>
{
    public void Configure(EntityTypeBuilder<RewardEpoch> e)
    {
        e.HasKey(x => x.Epoch);
        e.Property(x => x.Epoch).ValueGeneratedNever();
        e.Property(x => x.Root).HasColumnType(ColumnTypes.Hash);
        e.Property(x => x.HeuTotal).HasColumnType(ColumnTypes.Wei);
        e.Property(x => x.EsHeuTotal).HasColumnType(ColumnTypes.Wei);
    }
}

internal sealed class RewardClaimConfiguration : IEntityTypeConfiguration<RewardClaim>
{
    public void Configure(EntityTypeBuilder<RewardClaim> c)
    {
        c.HasKey(x => new { x.Epoch, x.Account });
        c.Property(x => x.Account).HasColumnType(ColumnTypes.Address);
        c.Property(x => x.HeuAmount).HasColumnType(ColumnTypes.Wei);
        c.Property(x => x.EsHeuAmount).HasColumnType(ColumnTypes.Wei);
        c.Property(x => x.TransactionHash).HasColumnType(ColumnTypes.Hash);
        c.HasIndex(x => x.Account);
    }
}
