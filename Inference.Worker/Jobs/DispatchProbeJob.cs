using Heurist.Inference.Worker.Mining;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Inference.Worker.Jobs;

/// <summary>Answers a dispatch probe: records when this miner started it and that it finished.</summary>
public sealed class DispatchProbeJob(
    IDbContextFactory<PortalDbContext> databases,
    MinerRegistry registry,
    TimeProvider clock,
    ILogger<DispatchProbeJob> logger) : IDispatchProbeJob
{
    public async Task RunAsync(Guid probeId, CancellationToken cancellationToken)
    {
        var startedAt = clock.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var probe = await db.DispatchProbes.SingleOrDefaultAsync(p => p.Id == probeId, cancellationToken);
        if (probe is null)
        {
            logger.LogWarning("Probe {ProbeId} does not exist; nothing to do", probeId);
            return;
        }
        if (probe.CompletedAt is not null)
        {
            return;
        }
        probe.StartedAt ??= startedAt;
        probe.MinerId = registry.MinerId;
        probe.CompletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }
}
