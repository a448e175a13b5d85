using System.Reflection;
using System.Text.Json;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Device;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Miners;
using Heurist.Portal.Data.Network;
using Heurist.Protocol.Miners;
using Heurist.Protocol.Network;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heurist.Inference.Worker.Mining;

/// <summary>This worker's row in the miners table: registration at start, heartbeats, and a clean stop.</summary>
public sealed class MinerRegistry(
    IDbContextFactory<PortalDbContext> databases,
    IOptions<WorkerOptions> options,
    DeviceInfo device,
    ModelHost models,
    TimeProvider clock)
{
    /// <summary>Identifies this run of the worker; a restart gets a new one.</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    public string MinerId => options.Value.MinerId;

    /// <summary>The queues this worker serves: the configured ones and one per model it serves.</summary>
    public IReadOnlyList<string> Queues => [.. options.Value.Queues.Union(models.ConfiguredModelIds(), StringComparer.Ordinal)];

    public static string WorkerVersion { get; } =
        typeof(MinerRegistry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Refuses to start when another machine is online under the same miner id.</summary>
    public async Task EnsureIdIsFreeAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var existing = await db.Miners.AsNoTracking().SingleOrDefaultAsync(m => m.Id == MinerId, cancellationToken);
        if (existing is not null
            && !string.Equals(existing.HostName, Environment.MachineName, StringComparison.Ordinal)
            && MinerPresence.IsOnline(existing.LastHeartbeatAt, existing.StoppedAt, clock.GetUtcNow(), MinerPresence.DefaultOnlineWindow))
        {
            throw new InvalidOperationException(
                $"'{MinerId}' is already online on host {existing.HostName}; give this worker another id.");
        }
    }

    /// <summary>Creates or refreshes the miner's row with this run's device, queues and start time.</summary>
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // The row, its models and the uptime session appear together: the portal never sees half a registration.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var miner = await db.Miners.SingleOrDefaultAsync(m => m.Id == MinerId, cancellationToken);
        if (miner is null)
        {
            miner = new Miner
            {
                Id = MinerId,
                RewardAddress = "",
                DeviceName = "",
                DeviceKind = device.Kind,
                Queues = [],
                HostName = "",
                WorkerVersion = "",
                RegisteredAt = now,
            };
            db.Miners.Add(miner);
        }
        miner.RewardAddress = options.Value.RewardAddress!;
        miner.DeviceName = device.Name;
        miner.DeviceKind = device.Kind;
        miner.MemoryBytes = device.MemoryBytes;
        miner.Queues = [.. Queues];
        miner.HostName = Environment.MachineName;
        miner.WorkerVersion = WorkerVersion;
        miner.InstanceId = InstanceId;
        miner.StartedAt = now;
        miner.LastHeartbeatAt = now;
        miner.StoppedAt = null;

        // The models served, with the hash of every file as loaded: what this run can be held to.
        var served = models.Served;
        var previous = await db.MinerModels.Where(m => m.MinerId == MinerId).ToListAsync(cancellationToken);
        db.MinerModels.RemoveRange(previous.Where(p => served.All(s => s.ModelId != p.ModelId)));
        foreach (var folder in served)
        {
            var row = previous.FirstOrDefault(p => p.ModelId == folder.ModelId);
            if (row is null)
            {
                row = new MinerModel { MinerId = MinerId, ModelId = folder.ModelId, FileHashes = "{}" };
                db.MinerModels.Add(row);
            }
            row.Demo = folder.Demo;
            row.FileHashes = JsonSerializer.Serialize(folder.FileHashes);
            row.RegisteredAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        await NetworkRollups.RecordHeartbeatAsync(db, MinerId, now, HeartbeatGap, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The silence after which the next heartbeat starts a new uptime session.</summary>
    private TimeSpan HeartbeatGap => MinerUptime.MaxGap(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds));

    /// <summary>Records a heartbeat. Registers again if the row is gone or another run of this miner took it over.</summary>
    public async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var updated = await db.Miners
                .Where(m => m.Id == MinerId && m.InstanceId == InstanceId)
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.LastHeartbeatAt, now), cancellationToken);
            if (updated == 1)
            {
                await NetworkRollups.RecordHeartbeatAsync(db, MinerId, now, HeartbeatGap, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return;
            }
        }
        await RegisterAsync(cancellationToken);
    }

    /// <summary>Marks the miner as stopped, so the portal shows it offline at once rather than after the online window.</summary>
    public async Task MarkStoppedAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Miners
            .Where(m => m.Id == MinerId && m.InstanceId == InstanceId)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.StoppedAt, now), cancellationToken);
    }
}
