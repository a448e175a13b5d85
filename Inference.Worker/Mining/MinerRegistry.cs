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
using Npgsql;

namespace Heurist.Inference.Worker.Mining;

/// <summary>This worker's row in the miners table: registration at start, heartbeats, and a clean stop.</summary>
public sealed class MinerRegistry(
    IDbContextFactory<PortalDbContext> databases,
    IOptions<WorkerOptions> options,
    DeviceInfo device,
    ExecutionProviderChoice provider,
    ModelHost models,
    QueueAssignment assignment,
    TimeProvider clock)
{
    /// <summary>Identifies this run of the worker; a restart gets a new one.</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    public string MinerId => options.Value.MinerId;

    /// <summary>The models this worker loaded and can serve.</summary>
    public IReadOnlyList<string> HeldModels => [.. models.Served.Select(f => f.ModelId)];

    /// <summary>The queues to serve for <paramref name="assigned"/> (see <see cref="WorkerQueues.For"/>).</summary>
    public IReadOnlyList<string> QueuesFor(IReadOnlyList<string>? assigned) => WorkerQueues.For(assigned, HeldModels, options.Value.Queues);

    /// <summary>The provider's reason as the miners table keeps it (at most 400 characters).</summary>
    private string ProviderReason => provider.Reason.Length <= 400 ? provider.Reason : provider.Reason[..399] + "…";

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

    /// <summary>
    /// Creates or refreshes the miner's row with this run's device, models, queues and start time, and returns the
    /// portal's assignment: the one on the row when this run holds every model in it, otherwise none (it is cleared,
    /// and the worker serves every model it holds until the portal assigns it again). The queues it asks for are
    /// handed to <see cref="QueueAssignment"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>?> RegisterAsync(CancellationToken cancellationToken)
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
        miner.ExecutionProvider = provider.Provider;
        miner.ExecutionProviderReason = ProviderReason;
        var held = HeldModels;
        if (miner.AssignedModels is { } before && !before.All(held.Contains))
        {
            miner.AssignedModels = null;
            miner.AssignedAt = null;
        }
        var assigned = miner.AssignedModels is { } kept ? (IReadOnlyList<string>)[.. kept] : null;
        miner.Queues = [.. assignment.Serving ?? QueuesFor(assigned)];
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
        assignment.Want(QueuesFor(assigned));
        return assigned;
    }

    /// <summary>The silence after which the next heartbeat starts a new uptime session.</summary>
    private TimeSpan HeartbeatGap => MinerUptime.MaxGap(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds));

    /// <summary>
    /// Records a heartbeat with the queues served now, and returns the portal's assignment (null: none, serve every
    /// model held), whose queues it hands to <see cref="QueueAssignment"/>. Registers again if the row is gone or
    /// another run of this miner took it over.
    /// </summary>
    /// <remarks>
    /// One statement, so one round trip: it moves the miner's last heartbeat, writes what it serves, extends its uptime
    /// session or opens a new one (the rule of <see cref="MinerUptime.Extends"/>, as NetworkRollups.RecordHeartbeatAsync
    /// applies it at registration), and returns assigned_models. Only this run (its instance id) touches the row, so
    /// no two of these statements race over one miner's sessions.
    /// </remarks>
    public async Task<IReadOnlyList<string>?> HeartbeatAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(HeartbeatSql, connection))
        {
            command.Parameters.AddWithValue("id", MinerId);
            command.Parameters.AddWithValue("instance", InstanceId);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("queues", assignment.Reported.ToArray());
            command.Parameters.AddWithValue("max_gap", HeartbeatGap);
            command.Parameters.AddWithValue("provider", provider.Provider);
            command.Parameters.AddWithValue("provider_reason", ProviderReason);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                IReadOnlyList<string>? assigned = await reader.IsDBNullAsync(0, cancellationToken) ? null : await reader.GetFieldValueAsync<string[]>(0, cancellationToken);
                assignment.Want(QueuesFor(assigned));
                return assigned;
            }
        }
        return await RegisterAsync(cancellationToken);
    }

    private const string HeartbeatSql = """
        WITH beat AS (
            UPDATE miners SET last_heartbeat_at = @now, queues = @queues, execution_provider = @provider, execution_provider_reason = @provider_reason
            WHERE id = @id AND instance_id = @instance
            RETURNING assigned_models
        ), latest AS (
            SELECT started_at, last_seen_at FROM miner_sessions
            WHERE miner_id = @id AND EXISTS (SELECT FROM beat)
            ORDER BY started_at DESC
            LIMIT 1
        ), extended AS (
            UPDATE miner_sessions AS s SET last_seen_at = @now
            FROM latest
            WHERE s.miner_id = @id AND s.started_at = latest.started_at
              AND @now >= latest.last_seen_at AND @now - latest.last_seen_at <= @max_gap
            RETURNING s.miner_id
        ), opened AS (
            INSERT INTO miner_sessions (miner_id, started_at, last_seen_at)
            SELECT @id, @now, @now
            WHERE EXISTS (SELECT FROM beat) AND NOT EXISTS (SELECT FROM extended)
            ON CONFLICT (miner_id, started_at) DO NOTHING
        )
        SELECT assigned_models FROM beat
        """;

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
