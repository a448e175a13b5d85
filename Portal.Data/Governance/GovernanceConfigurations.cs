using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Heurist.Portal.Data.Governance;

internal sealed class GovernanceMessageConfiguration : IEntityTypeConfiguration<GovernanceMessage>
{
    public void Configure(EntityTypeBuilder<GovernanceMessage> m)
    {
        m.HasKey(x => x.Id);
        m.Property(x => x.Id).HasColumnType(ColumnTypes.Hash);
        m.Property(x => x.Kind).HasConversion<string>().HasMaxLength(ColumnTypes.EnumLength);
        m.Property(x => x.Address).HasColumnType(ColumnTypes.Address);
        m.Property(x => x.Space).HasMaxLength(ColumnTypes.SpaceLength);
        m.Property(x => x.ProposalId).HasColumnType(ColumnTypes.Hash);
        // Text, not jsonb: the envelope is served back as it was posted.
        m.Property(x => x.Envelope).HasColumnType("text");
        m.HasIndex(x => new { x.ProposalId, x.Kind });
    }
}

internal sealed class GovernanceProposalConfiguration : IEntityTypeConfiguration<GovernanceProposal>
{
    public void Configure(EntityTypeBuilder<GovernanceProposal> p)
    {
        p.HasKey(x => x.Id);
        p.Property(x => x.Id).HasColumnType(ColumnTypes.Hash);
        p.Property(x => x.Space).HasMaxLength(ColumnTypes.SpaceLength);
        p.Property(x => x.Author).HasColumnType(ColumnTypes.Address);
        p.Property(x => x.Type).HasMaxLength(ColumnTypes.EnumLength);
        p.Property(x => x.Kind).HasMaxLength(ColumnTypes.EnumLength);
        p.Property(x => x.Title).HasMaxLength(256);
        p.Property(x => x.Quorum).HasColumnType(ColumnTypes.TokenAmount);
        p.Property(x => x.Plugins).HasColumnType("text");
        p.Property(x => x.FrozenResult).HasColumnType(ColumnTypes.Json);
        // Lists by state read by start and end; the allocation service reads the latest closed allocation vote.
        p.HasIndex(x => new { x.Space, x.End });
        p.HasIndex(x => new { x.Kind, x.End });
    }
}

internal sealed class GovernanceVoteConfiguration : IEntityTypeConfiguration<GovernanceVote>
{
    public void Configure(EntityTypeBuilder<GovernanceVote> v)
    {
        v.HasKey(x => x.Id);
        v.Property(x => x.Id).HasColumnType(ColumnTypes.Hash);
        v.Property(x => x.ProposalId).HasColumnType(ColumnTypes.Hash);
        v.Property(x => x.Voter).HasColumnType(ColumnTypes.Address);
        v.Property(x => x.Choice).HasColumnType("text");
        v.Property(x => x.Power).HasColumnType(ColumnTypes.TokenAmount);
        // A voter's later vote replaces the earlier one in the tally; this finds the last one fast.
        v.HasIndex(x => new { x.ProposalId, x.Voter, x.Timestamp });
        v.HasOne<GovernanceProposal>().WithMany().HasForeignKey(x => x.ProposalId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class VotingPowerReadingConfiguration : IEntityTypeConfiguration<VotingPowerReading>
{
    public void Configure(EntityTypeBuilder<VotingPowerReading> r)
    {
        r.HasKey(x => new { x.Address, x.Block });
        r.Property(x => x.Address).HasColumnType(ColumnTypes.Address);
        r.Property(x => x.HeuWei).HasColumnType(ColumnTypes.Wei);
        r.Property(x => x.EsHeuWei).HasColumnType(ColumnTypes.Wei);
        r.Property(x => x.StakedHeuWei).HasColumnType(ColumnTypes.Wei);
        r.Property(x => x.StakedEsHeuWei).HasColumnType(ColumnTypes.Wei);
    }
}

internal sealed class ModelAllocationTargetConfiguration : IEntityTypeConfiguration<ModelAllocationTarget>
{
    public void Configure(EntityTypeBuilder<ModelAllocationTarget> t)
    {
        t.HasKey(x => x.ModelId);
        t.Property(x => x.ModelId).HasMaxLength(ColumnTypes.ModelIdLength);
        t.Property(x => x.ProposalId).HasColumnType(ColumnTypes.Hash);
    }
}

internal sealed class AllocationSampleConfiguration : IEntityTypeConfiguration<AllocationSample>
{
    public void Configure(EntityTypeBuilder<AllocationSample> s)
    {
        s.HasKey(x => new { x.At, x.ModelId });
        s.Property(x => x.ModelId).HasMaxLength(ColumnTypes.ModelIdLength);
    }
}
