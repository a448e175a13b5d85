using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Heurist.Portal.Data.Probes;

internal sealed class DispatchProbeConfiguration : IEntityTypeConfiguration<DispatchProbe>
{
    public void Configure(EntityTypeBuilder<DispatchProbe> probe)
    {
        probe.HasKey(p => p.Id);
        // A queue is a model id or "default".
        probe.Property(p => p.Queue).HasMaxLength(ColumnTypes.ModelIdLength);
        probe.Property(p => p.MinerId).HasMaxLength(ColumnTypes.MinerIdLength);
        probe.HasIndex(p => p.RequestedAt);
    }
}
