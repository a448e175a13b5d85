using System.Numerics;

namespace Heurist.Protocol.Rewards;

/// <summary>
/// An epoch's settlement: the leaves of its Merkle tree and the totals to post with its root
/// (RewardsDistributor.postRoot), with a breakdown per pool and per miner.
/// </summary>
/// <param name="Epoch">The epoch.</param>
/// <param name="BudgetWei">The budget it was computed for.</param>
/// <param name="Leaves">One per account that receives something, sorted by account (lowercase 0x hex, ordinal).</param>
/// <param name="HeuTotal">The sum of the leaves' HEU.</param>
/// <param name="EsHeuTotal">The sum of the leaves' esHEU.</param>
/// <param name="Allocated">HeuTotal + EsHeuTotal: what posting the root emits.</param>
/// <param name="Unallocated">
/// The budgets of the pools in which no miner had weight. It is not posted, and because the on-chain budget is
/// cumulative (emissionAllowed − totalEmitted) it stays available to later epochs. Allocated + Unallocated = BudgetWei.
/// </param>
/// <param name="WaifuPool">The Waifu pool.</param>
/// <param name="LlamaPool">The Llama pool.</param>
/// <param name="Miners">Every miner of the input, sorted by id (lowercased, ordinal).</param>
public sealed record EpochSettlementResult(
    ulong Epoch,
    BigInteger BudgetWei,
    IReadOnlyList<SettlementLeaf> Leaves,
    BigInteger HeuTotal,
    BigInteger EsHeuTotal,
    BigInteger Allocated,
    BigInteger Unallocated,
    PoolSettlement WaifuPool,
    PoolSettlement LlamaPool,
    IReadOnlyList<MinerSettlement> Miners)
{
    /// <summary>No miner earned anything: there is no root to post.</summary>
    public bool IsEmpty => Allocated.IsZero;
}

/// <summary>One leaf: what an account can claim for the epoch.</summary>
/// <param name="Account">Lowercase 0x hex.</param>
/// <param name="Heu">Paid as HEU, in wei.</param>
/// <param name="EsHeu">Paid as esHEU, in wei.</param>
public sealed record SettlementLeaf(string Account, BigInteger Heu, BigInteger EsHeu)
{
    public BigInteger Amount => Heu + EsHeu;
}

/// <summary>One reward pool of the epoch.</summary>
/// <param name="Budget">Its share of the epoch's budget.</param>
/// <param name="TotalWeight">The sum of its miners' weights (micro-points × efficiency numerator).</param>
/// <param name="Allocated">The whole budget when TotalWeight is positive, else 0.</param>
public sealed record PoolSettlement(BigInteger Budget, BigInteger TotalWeight, BigInteger Allocated)
{
    public BigInteger Unallocated => Budget - Allocated;
}

/// <summary>One miner's part of the epoch, for display.</summary>
/// <param name="MinerId">As given.</param>
/// <param name="RewardAddress">Lowercase 0x hex.</param>
/// <param name="StakeWei">The sum of its stakers' stakes.</param>
/// <param name="EfficiencyNumerator">Its stake efficiency over <see cref="StakeEfficiencyWei.FullStakeWei"/>.</param>
/// <param name="Efficiency">The same as a decimal, 0 to 1.</param>
/// <param name="WaifuReward">Its part of the Waifu pool, in wei.</param>
/// <param name="LlamaReward">Its part of the Llama pool, in wei.</param>
/// <param name="BribePaid">What its stakers received, in wei.</param>
/// <param name="OwnerPaid">What its reward address received, in wei: Reward − BribePaid.</param>
/// <param name="BribeShares">Each staker's part of BribePaid, sorted by account.</param>
public sealed record MinerSettlement(
    string MinerId,
    string RewardAddress,
    BigInteger StakeWei,
    BigInteger EfficiencyNumerator,
    decimal Efficiency,
    BigInteger WaifuReward,
    BigInteger LlamaReward,
    BigInteger BribePaid,
    BigInteger OwnerPaid,
    IReadOnlyList<BribeShare> BribeShares)
{
    public BigInteger Reward => WaifuReward + LlamaReward;
}

/// <summary>A staker's part of a miner's bribe.</summary>
/// <param name="Account">Lowercase 0x hex.</param>
/// <param name="StakeWei">Its stake on the miner.</param>
/// <param name="Amount">What it received, in wei; within 1 wei of BribePaid × StakeWei / the miner's stake.</param>
public sealed record BribeShare(string Account, BigInteger StakeWei, BigInteger Amount);
