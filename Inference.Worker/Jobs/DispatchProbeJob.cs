using System.Diagnostics;
using Heurist.Inference.Worker.Mining;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Inference.Worker.Jobs;

/// <summary>Answers a dispatch probe: records when this miner started it and that it finished.</summary>
public sealed partial class DispatchProbeJob(
    IDbContextFactory<PortalDbContext> databases,
    MinerRegistry registry,
    JobTelemetry telemetry,
    TimeProvider clock,
    ILogger<DispatchProbeJob> logger) : IDispatchProbeJob
{
    public async Task RunAsync(Guid probeId, CancellationToken cancellationToken)
    {
        using var activity = JobTelemetry.Source.StartActivity("dispatch_probe.run", ActivityKind.Consumer);
        activity?.SetTag(JobTelemetry.Tags.JobId, probeId).SetTag(JobTelemetry.Tags.Miner, registry.MinerId);
        var started = Stopwatch.GetTimestamp();
        var startedAt = clock.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var probe = await db.DispatchProbes.SingleOrDefaultAsync(p => p.Id == probeId, cancellationToken);
        if (probe is null)
        {
            LogProbeMissing(logger, probeId);
            activity?.SetTag(JobTelemetry.Tags.Outcome, JobTelemetry.Outcomes.Skipped);
            return;
        }
        activity?.SetTag(JobTelemetry.Tags.Queue, probe.Queue);
        if (probe.CompletedAt is not null)
        {
            activity?.SetTag(JobTelemetry.Tags.Outcome, JobTelemetry.Outcomes.Skipped);
            return;
        }
        probe.StartedAt ??= startedAt;
        probe.MinerId = registry.MinerId;
        probe.CompletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        activity?.SetTag(JobTelemetry.Tags.Outcome, JobTelemetry.Outcomes.Succeeded);
        telemetry.Completed(JobTelemetry.Kinds.Probe, probe.Queue, registry.MinerId, JobTelemetry.Outcomes.Succeeded, Stopwatch.GetElapsedTime(started));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Probe {ProbeId} does not exist; nothing to do")]
    private static partial void LogProbeMissing(ILogger logger, Guid probeId);
}
