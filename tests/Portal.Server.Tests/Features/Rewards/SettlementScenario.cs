using System.Net.Http.Json;
using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.LocalChain;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Server.Tests.Features.Auth;
using Heurist.Portal.Server.Tests.Features.ChainIndexing;
using Heurist.Protocol.Api.Rewards;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Web3;

namespace Heurist.Portal.Server.Tests.Features.Rewards;

/// <summary>
/// A miner with two stakers and a bribe on the shared chain, with points in an epoch of its own. The chain's clock only
/// moves forward and other tests move it too, so the epoch is the one the bribe takes effect in (read from the chain),
/// never a number fixed in advance.
/// </summary>
internal sealed class SettlementScenario
{
    public const int BribeBps = 2_500;

    public static readonly BigInteger StakeA = 30_000 * ChainActors.Heu;

    public static readonly BigInteger StakeB = 20_000 * ChainActors.Heu;

    public required string MinerId { get; init; }

    public required EthECKey RewardKey { get; init; }

    public required EthECKey StakerA { get; init; }

    public required EthECKey StakerB { get; init; }

    public required long Epoch { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public string RewardAddress => RewardKey.GetPublicAddress().ToLowerInvariant();

    /// <summary>Registers and stakes on a new miner, sets its bribe, and credits it Waifu and Llama points in the epoch the bribe applies to.</summary>
    public static async Task<SettlementScenario> CreateAsync(PortalApp portal, DeployedChainFixture chain, CancellationToken ct)
    {
        var actors = new ChainActors(chain.Rpc, chain.Manifest);
        var minerId = $"settle-{Guid.NewGuid():N}"[..24];
        var owner = await actors.NewUserAsync(0);
        var chainId = ChainActors.MinerId(minerId);
        await actors.Staking.RegisterMinerAsync(actors.Send(owner), chainId, ct);
        var stakerA = await StakeAsync(actors, chainId, StakeA, ct);
        var stakerB = await StakeAsync(actors, chainId, StakeB, ct);
        var bribe = await actors.Staking.SetBribeAsync(actors.Send(owner), chainId, BribeBps, ct);
        var epoch = (long)actors.Staking.BribeSetEvents(bribe).Single().EffectiveEpoch;

        var genesis = (long)await actors.Staking.GenesisAsync();
        var length = (long)await actors.Staking.EpochLengthAsync();
        var start = DateTimeOffset.FromUnixTimeSeconds(genesis + epoch * length);
        var end = start.AddSeconds(length);

        var rewardKey = EthECKey.GenerateKey();
        await portal.AddMinerAsync(minerId, DateTimeOffset.UtcNow);
        await using var db = PostgresFixture.CreateContext(portal.ConnectionString);
        var miner = await db.Miners.SingleAsync(m => m.Id == minerId, ct);
        miner.RewardAddress = rewardKey.GetPublicAddress();
        db.PointsCredits.AddRange(
            new PointsCredit { JobId = Guid.NewGuid(), MinerId = minerId, Kind = PointsKind.Waifu, Points = 12.5m, CreditedAt = start.AddSeconds(1) },
            new PointsCredit { JobId = Guid.NewGuid(), MinerId = minerId, Kind = PointsKind.Waifu, Points = 3.25m, CreditedAt = end.AddSeconds(-1) },
            new PointsCredit { JobId = Guid.NewGuid(), MinerId = minerId, Kind = PointsKind.Llama, Points = 0.75m, CreditedAt = start.AddMinutes(10) });
        await db.SaveChangesAsync(ct);

        return new SettlementScenario
        {
            MinerId = minerId,
            RewardKey = rewardKey,
            StakerA = stakerA,
            StakerB = stakerB,
            Epoch = epoch,
            Start = start,
            End = end,
        };
    }

    /// <summary>A miner registered on chain and in the portal with <paramref name="stake"/> on it and no points: idle in every epoch.</summary>
    public static async Task<string> AddIdleStakedMinerAsync(PortalApp portal, DeployedChainFixture chain, BigInteger stake, CancellationToken ct)
    {
        var actors = new ChainActors(chain.Rpc, chain.Manifest);
        var minerId = $"idle-{Guid.NewGuid():N}"[..24];
        var owner = await actors.NewUserAsync(0);
        var chainId = ChainActors.MinerId(minerId);
        await actors.Staking.RegisterMinerAsync(actors.Send(owner), chainId, ct);
        await StakeAsync(actors, chainId, stake, ct);
        await portal.AddMinerAsync(minerId, DateTimeOffset.UtcNow);
        return minerId;
    }

    private static async Task<EthECKey> StakeAsync(ChainActors actors, byte[] chainId, BigInteger amount, CancellationToken ct)
    {
        var staker = await actors.NewUserAsync(amount);
        var sender = actors.Send(staker);
        await actors.Token.ApproveAsync(sender, actors.Staking.Address, amount, ct);
        await actors.Staking.StakeAsync(sender, chainId, 0, amount, ct);
        return staker;
    }

    /// <summary>Moves the chain's clock past <paramref name="time"/> and mines a block there.</summary>
    public static async Task MoveChainPastAsync(IWeb3 rpc, DateTimeOffset time)
    {
        var latest = await LatestBlockTimeAsync(rpc);
        if (latest < time)
        {
            await rpc.Client.SendRequestAsync<object>("evm_increaseTime", null, new HexBigInteger((long)(time - latest).TotalSeconds + 1).HexValue);
        }
        await rpc.Client.SendRequestAsync<object>("evm_mine");
    }

    public static async Task<DateTimeOffset> LatestBlockTimeAsync(IWeb3 rpc)
        => DateTimeOffset.FromUnixTimeSeconds((long)(await rpc.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest())).Timestamp.Value);

    /// <summary>The portal as its operator, signed in.</summary>
    public static async Task<SignInClient> OperatorAsync(PortalApp portal, EthECKey admin, CancellationToken ct)
    {
        var client = SignInClient.For(portal);
        await client.SignInAsync(admin, ct);
        return client;
    }

    /// <summary>
    /// Asks the portal to settle until a run has dealt with <paramref name="epoch"/>. Earlier runs may find the indexer
    /// still short of the epoch's end; it catches up on its own.
    /// </summary>
    public static async Task<SettlementRun> SettleUntilAsync(SignInClient admin, long epoch, CancellationToken ct)
    {
        while (true)
        {
            var run = await SettleAsync(admin, ct);
            if (run.Epochs.Any(e => e.Epoch == epoch))
            {
                return run;
            }
            await Task.Delay(100, ct);
        }
    }

    public static async Task<SettlementRun> SettleAsync(SignInClient admin, CancellationToken ct)
    {
        using var response = await admin.Http.PostAsync("/api/rewards/settle", null, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SettlementRun>(ct))!;
    }

    /// <summary>The RootPosted events of <paramref name="epoch"/> on chain.</summary>
    public static async Task<int> RootPostedCountAsync(DeployedChainFixture chain, long epoch)
    {
        var rootPosted = chain.Rpc.Eth.GetEvent<Heurist.Contracts.Bindings.RewardsDistributor.RootPostedEventDTO>(chain.Manifest.Contracts.RewardsDistributor);
        var filter = rootPosted.CreateFilterInput(new BigInteger(epoch), new BlockParameter(new HexBigInteger(chain.Manifest.StartBlock)), BlockParameter.CreateLatest());
        return (await rootPosted.GetAllChangesAsync(filter)).Count;
    }

    public static async Task<string> RootOnChainAsync(DeployedChainFixture chain, long epoch)
        => (await new RewardsDistributorContract(chain.Rpc, chain.Manifest.Contracts.RewardsDistributor).EpochRootAsync(epoch)).ToHex(true);

    public const string ZeroRoot = "0x0000000000000000000000000000000000000000000000000000000000000000";

    public static string KeyHex(EthECKey key) => key.GetPrivateKey();

    public static readonly string SettlementKeyHex = KeyHex(AnvilAccounts.SettlementKey);
}
