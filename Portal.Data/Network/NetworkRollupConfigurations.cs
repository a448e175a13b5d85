using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Heurist.Portal.Data.Network;

internal sealed class NetworkHourlyConfiguration : IEntityTypeConfiguration<NetworkHourly>
{
    public void Configure(EntityTypeBuilder<NetworkHourly> h)
    {
        h.HasKey(x => new { x.Hour, x.ModelId });
        h.Property(x => x.ModelId).HasMaxLength(ColumnTypes.ModelIdLength);
        h.Property(x => x.WaifuPoints).HasColumnType(ColumnTypes.Points);
        h.Property(x => x.LlamaPoints).HasColumnType(ColumnTypes.Points);
    }
}

internal sealed class MinerHourlyConfiguration : IEntityTypeConfiguration<MinerHourly>
{
    public void Configure(EntityTypeBuilder<MinerHourly> h)
    {
        h.HasKey(x => new { x.MinerId, x.Hour });
        h.Property(x => x.MinerId).HasMaxLength(ColumnTypes.MinerIdLength);
        h.Property(x => x.WaifuPoints).HasColumnType(ColumnTypes.Points);
        h.Property(x => x.LlamaPoints).HasColumnType(ColumnTypes.Points);
        h.HasIndex(x => x.Hour);
    }
}

internal sealed class MinerLatencyDailyConfiguration : IEntityTypeConfiguration<MinerLatencyDaily>
{
    public void Configure(EntityTypeBuilder<MinerLatencyDaily> l)
    {
        l.HasKey(x => new { x.MinerId, x.Day, x.Bucket });
        l.Property(x => x.MinerId).HasMaxLength(ColumnTypes.MinerIdLength);
        l.HasIndex(x => x.Day);
    }
}

internal sealed class MinerSessionConfiguration : IEntityTypeConfiguration<MinerSession>
{
    public void Configure(EntityTypeBuilder<MinerSession> s)
    {
        s.HasKey(x => new { x.MinerId, x.StartedAt });
        s.Property(x => x.MinerId).HasMaxLength(ColumnTypes.MinerIdLength);
        s.HasIndex(x => x.LastSeenAt);
    }
}

internal sealed class MinerSummaryConfiguration : IEntityTypeConfiguration<MinerSummary>
{
    public void Configure(EntityTypeBuilder<MinerSummary> s)
    {
        s.HasKey(x => x.MinerId);
        s.Property(x => x.MinerId).HasMaxLength(ColumnTypes.MinerIdLength);
        s.Property(x => x.WaifuPoints).HasColumnType(ColumnTypes.Points);
        s.Property(x => x.LlamaPoints).HasColumnType(ColumnTypes.Points);
        s.Property(x => x.Points24h).HasColumnType(ColumnTypes.Points);
        s.Property(x => x.Points7d).HasColumnType(ColumnTypes.Points);
    }
}
