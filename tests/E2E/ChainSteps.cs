using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rewards;
using Heurist.Contracts.Rpc;
using Heurist.Portal.Data.Images;
using Heurist.Testing;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Util;
using Nethereum.Web3;

namespace Heurist.E2E;

/// <summary>
/// What the journeys do on the chain outside the browser: set the scene (tokens, a registered miner, points) and move
/// anvil's clock, then read back what the browser's transactions did. Signed with anvil's dev keys.
/// </summary>
public sealed class ChainSteps(IWeb3 rpc, DeploymentManifest manifest)
{
    public static readonly BigInteger Token = BigInteger.Pow(10, 18);

    public HeuristTokenContract Heu { get; } = new(rpc, manifest.Contracts.HeuristToken);

    public EscrowedHeuristContract EsHeu { get; } = new(rpc, manifest.Contracts.EscrowedHeurist);

    public MinerStakingContract Staking { get; } = new(rpc, manifest.Contracts.MinerStaking);

    public RewardsDistributorContract Distributor { get; } = new(rpc, manifest.Contracts.RewardsDistributor);

    public ImaginariesNftContract Nft { get; } = new(rpc, manifest.Contracts.ImaginariesNft);

    public static byte[] MinerChainId(string minerId) => Sha3Keccack.Current.CalculateHash(System.Text.Encoding.UTF8.GetBytes(minerId));

    private Web3 As(EthECKey key) => rpc.As(key, manifest.ChainId, TimeSpan.FromMilliseconds(20));

    /// <summary>Tops <paramref name="account"/> up to at least <paramref name="tokens"/> HEU from the treasury.</summary>
    public async Task FundHeuAsync(string account, BigInteger tokens)
    {
        var balance = await Heu.BalanceOfAsync(account);
        if (balance < tokens * Token)
        {
            await Heu.TransferAsync(As(AnvilAccounts.Owner), account, tokens * Token - balance);
        }
    }

    /// <summary>Registers <paramref name="minerId"/> on chain from dev account <paramref name="ownerIndex"/> unless it is registered.</summary>
    public async Task EnsureRegisteredAsync(string minerId, int ownerIndex)
    {
        var chainId = MinerChainId(minerId);
        if (await Staking.MinerOwnerAsync(chainId) == AddressUtil.ZERO_ADDRESS)
        {
            await Staking.RegisterMinerAsync(As(AnvilAccounts.Key(ownerIndex)), chainId);
        }
    }

    /// <summary>Stakes from dev account <paramref name="stakerIndex"/> until it has at least <paramref name="tokens"/> HEU on the miner.</summary>
    public async Task EnsureStakeAsync(string minerId, int stakerIndex, BigInteger tokens)
    {
        var staker = AnvilAccounts.Address(stakerIndex);
        var chainId = MinerChainId(minerId);
        var missing = tokens * Token - await Staking.StakeOfAsync(staker, chainId, 0);
        if (missing <= 0)
        {
            return;
        }
        await FundHeuAsync(staker, tokens);
        var send = As(AnvilAccounts.Key(stakerIndex));
        await Heu.ApproveAsync(send, Staking.Address, missing);
        await Staking.StakeAsync(send, chainId, 0, missing);
    }

    public Task SetBribeAsync(string minerId, int ownerIndex, ushort bps)
        => Staking.SetBribeAsync(As(AnvilAccounts.Key(ownerIndex)), MinerChainId(minerId), bps);

    /// <summary>
    /// Gives <paramref name="account"/> esHEU the only way there is: a reward root for an epoch far beyond any the
    /// portal settles, with one leaf, claimed at once.
    /// </summary>
    public async Task GrantEsHeuAsync(string account, BigInteger tokens)
    {
        // The schedule must have emitted enough by now: an hour of it is about 5,700 HEU.
        await IncreaseTimeAsync(TimeSpan.FromHours(1));
        var epoch = new BigInteger(1_000_000_000 + Random.Shared.Next(1_000_000));
        var leaf = new RewardLeaf(epoch, account, 0, tokens * Token);
        await Distributor.PostRootAsync(As(AnvilAccounts.SettlementKey), epoch, leaf.Hash(), 0, tokens * Token);
        await Distributor.ClaimAsync(As(AnvilAccounts.Owner), epoch, account, 0, tokens * Token, []);
    }

    /// <summary>Moves anvil's clock forward and mines a block at the new time.</summary>
    public async Task IncreaseTimeAsync(TimeSpan by)
    {
        await rpc.Client.SendRequestAsync<object>("evm_increaseTime", null, (long)by.TotalSeconds);
        await rpc.Client.SendRequestAsync<object>("evm_mine", null);
    }

    public async Task<DateTimeOffset> LatestBlockTimeAsync()
    {
        var block = await rpc.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
        return DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value);
    }

    /// <summary>Mines blocks until the chain's current epoch is past <paramref name="epoch"/>.</summary>
    public async Task EndEpochAsync(ulong epoch)
    {
        var length = await Staking.EpochLengthAsync();
        while (await Staking.CurrentEpochAsync() <= epoch)
        {
            await IncreaseTimeAsync(TimeSpan.FromSeconds(length));
        }
    }

    /// <summary>Credits the miner points the way a finished job would, at the chain's current time (so in its current epoch).</summary>
    public async Task CreditPointsAsync(string connectionString, string minerId, decimal points)
    {
        var at = await LatestBlockTimeAsync();
        await using var db = PostgresFixture.CreateContext(connectionString);
        db.PointsCredits.Add(new PointsCredit { JobId = Guid.NewGuid(), MinerId = minerId, Kind = PointsKind.Waifu, Points = points, CreditedAt = at });
        await db.SaveChangesAsync();
    }

    public async Task<BigInteger> EthBalanceAsync(string account) => (await rpc.Eth.GetBalance.SendRequestAsync(account)).Value;

    public static string Hex(BigInteger value) => new HexBigInteger(value).HexValue;
}
