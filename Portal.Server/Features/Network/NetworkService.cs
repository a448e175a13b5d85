using System.Diagnostics;
using Hangfire;
using Hangfire.States;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Jobs;
using Heurist.Portal.Data.Miners;
using Heurist.Portal.Data.Probes;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Network;
using Heurist.Protocol.Miners;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Network;

/// <summary>The server's <see cref="INetworkClient"/>: reads miners from PostgreSQL and queues from Hangfire's storage.</summary>
public sealed partial class NetworkService(
    IDbContextFactory<PortalDbContext> databases,
    JobStorage jobStorage,
    IBackgroundJobClient jobs,
    IOptions<PortalOptions> options,
    JobTelemetry telemetry,
    TimeProvider clock,
    ILogger<NetworkService> logger) : INetworkClient
{
    private TimeSpan OnlineWindow => TimeSpan.FromSeconds(options.Value.OnlineWindowSeconds);

    public async Task<IReadOnlyList<OnlineWorker>> GetOnlineWorkersAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - OnlineWindow;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var recent = await db.Miners.AsNoTracking()
            .Where(m => m.LastHeartbeatAt >= cutoff)
            .OrderBy(m => m.Id)
            .ToListAsync(cancellationToken);
        var online = recent.Where(m => MinerPresence.IsOnline(m.LastHeartbeatAt, m.StoppedAt, now, OnlineWindow)).ToList();
        var ids = online.Select(m => m.Id).ToList();
        var held = (await db.MinerModels.AsNoTracking()
                .Where(m => ids.Contains(m.MinerId))
                .Select(m => new { m.MinerId, m.ModelId })
                .ToListAsync(cancellationToken))
            .ToLookup(m => m.MinerId, m => m.ModelId, StringComparer.Ordinal);
        return [.. online.Select(m => ToOnlineWorker(m) with { Models = [.. held[m.Id].Order(StringComparer.Ordinal)] })];
    }

    public async Task<IReadOnlyList<QueueStatus>> GetQueuesAsync(CancellationToken cancellationToken = default)
    {
        var workers = await GetOnlineWorkersAsync(cancellationToken);
        var servedBy = workers
            .SelectMany(w => w.Queues)
            .GroupBy(q => q, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        // Hangfire lists only queues that hold jobs; the queues that workers serve are shown even when empty.
        var inStorage = jobStorage.GetMonitoringApi().Queues()
            .ToDictionary(q => q.Name, q => (Waiting: q.Length, Running: q.Fetched ?? 0), StringComparer.Ordinal);
        return [.. servedBy.Keys.Union(inStorage.Keys)
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                var counts = inStorage.GetValueOrDefault(name);
                return new QueueStatus(name, counts.Waiting, counts.Running, servedBy.GetValueOrDefault(name));
            })];
    }

    public async Task<ProbeStatus> StartProbeAsync(StartProbeRequest request, CancellationToken cancellationToken = default)
    {
        if (StartProbeRequestRules.Validate(request) is { IsValid: false } errors)
        {
            throw ApiException.Invalid(StartProbeRequestRules.InvalidTitle, errors);
        }

        using var activity = JobTelemetry.Source.StartActivity("dispatch_probe.submit", ActivityKind.Producer);
        var probe = new DispatchProbe { Id = Guid.NewGuid(), Queue = request.Queue!, RequestedAt = clock.GetUtcNow() };
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            db.DispatchProbes.Add(probe);
            await db.SaveChangesAsync(cancellationToken);
        }
        // The row is committed before the job exists, so the worker always finds it.
        var probeId = probe.Id;
        var hangfireJobId = jobs.Create<IDispatchProbeJob>(job => job.RunAsync(probeId, CancellationToken.None), new EnqueuedState(probe.Queue));
        telemetry.Submitted(JobTelemetry.Kinds.Probe, probe.Queue);
        activity?.SetTag(JobTelemetry.Tags.JobId, probe.Id).SetTag(JobTelemetry.Tags.Queue, probe.Queue);
        LogProbeQueued(logger, probe.Id, probe.Queue, hangfireJobId);
        return ToStatus(probe);
    }

    public async Task<ProbeStatus?> GetProbeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var probe = await db.DispatchProbes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        return probe is null ? null : ToStatus(probe);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Probe {ProbeId} queued on {Queue} as Hangfire job {HangfireJobId}")]
    private static partial void LogProbeQueued(ILogger logger, Guid probeId, string queue, string hangfireJobId);

    private static OnlineWorker ToOnlineWorker(Miner miner) => new(
        miner.Id,
        miner.RewardAddress,
        miner.DeviceName,
        miner.DeviceKind,
        miner.MemoryBytes,
        miner.Queues,
        miner.HostName,
        miner.WorkerVersion,
        miner.StartedAt,
        miner.LastHeartbeatAt);

    private static ProbeStatus ToStatus(DispatchProbe probe)
        => new(probe.Id, probe.Queue, probe.RequestedAt, probe.StartedAt, probe.CompletedAt, probe.MinerId);
}
