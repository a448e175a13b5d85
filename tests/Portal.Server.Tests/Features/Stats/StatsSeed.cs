using Heurist.Contracts.Staking;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Chain;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Miners;
using Heurist.Portal.Data.Network;
using Heurist.Portal.Server.Features.Stats;
using Heurist.Protocol.Miners;
using Heurist.Testing;
using Microsoft.Extensions.DependencyInjection;
using Heurist.Contracts.LocalChain;

namespace Heurist.Portal.Server.Tests.Features.Stats;

/// <summary>Writes miners, summaries, stakes and bribes straight into a portal's database, as workers and the indexer would.</summary>
internal static class StatsSeed
{
    public const decimal Wei = 1_000_000_000_000_000_000m;

    public static Miner Miner(string id, string device, DateTimeOffset lastHeartbeat, long memoryBytes = 24L << 30) => new()
    {
        Id = id,
        RewardAddress = AnvilAccounts.Address(1).ToLowerInvariant(),
        DeviceName = device,
        DeviceKind = DeviceKind.Cuda,
        MemoryBytes = memoryBytes,
        Queues = ["sd15"],
        HostName = "host-" + id,
        WorkerVersion = "1.2.3",
        InstanceId = Guid.NewGuid(),
        RegisteredAt = lastHeartbeat.AddDays(-3),
        StartedAt = lastHeartbeat.AddHours(-1),
        LastHeartbeatAt = lastHeartbeat,
    };

    public static MinerSummary Summary(string minerId, decimal waifu, long jobs) => new()
    {
        MinerId = minerId,
        JobsDone = jobs,
        WaifuPoints = waifu,
    };

    public static MinerModel Model(string minerId, string modelId) => new()
    {
        MinerId = minerId,
        ModelId = modelId,
        FileHashes = "{}",
        RegisteredAt = DateTimeOffset.UtcNow,
    };

    public static Stake Stake(string staker, string minerId, StakeKind kind, decimal tokens)
        => new() { Staker = staker, MinerChainId = MinerChainId.Of(minerId), Kind = kind, Amount = tokens * Wei, UpdatedBlock = 1 };

    public static BribeChange Bribe(string minerId, long block, int basisPoints, DateTimeOffset at)
        => new() { BlockNumber = block, LogIndex = 0, MinerChainId = MinerChainId.Of(minerId), BasisPoints = basisPoints, EffectiveEpoch = block, ChangedAt = at };

    public static PortalDbContext Database(PortalApp portal) => PostgresFixture.CreateContext(portal.ConnectionString);

    /// <summary>Rebuilds the portal's snapshot now, as the refresher would on its next tick.</summary>
    public static Task<NetworkSnapshot> RefreshAsync(PortalApp portal)
        => portal.Services.GetRequiredService<NetworkSnapshotService>().RefreshAsync(TestContext.Current.CancellationToken);
}
