using System.Numerics;
using Heurist.Protocol.Miners;

namespace Heurist.Protocol.Rewards;

/// <summary>
/// Settles an epoch: turns each miner's points, stake and bribe into what every account can claim, in integer wei,
/// deterministically (the same input in any order gives the same result).
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Points become integers: micro-points = floor(points × 1,000,000).</item>
/// <item>A miner's stake efficiency is <see cref="StakeEfficiencyWei.Numerator"/> of its total stake, over 100,000 tokens.</item>
/// <item>The Waifu pool gets floor(budget × WaifuPoolBps / 10,000), the Llama pool the rest. In each pool a miner's
/// weight is micro-points × efficiency numerator, and the pool is split over the weights with
/// <see cref="LargestRemainder"/> (ties by miner id). A pool whose weights sum to 0 allocates nothing.</item>
/// <item>A miner's reward is its Waifu part plus its Llama part. The bribe, floor(reward × BribeBps / 10,000), is split
/// over its stakers by stake with <see cref="LargestRemainder"/> (ties by account); the rest goes to its reward address.</item>
/// <item>Each account's amounts, over all miners and roles, are added up; esHEU = floor(amount × EsHeuShareBps / 10,000)
/// and HEU is the rest. Accounts with nothing get no leaf.</item>
/// </list>
/// Every split distributes exactly its amount, so the leaves add up to the budgets of the pools that had weight.
/// Addresses are compared ignoring case and written in lowercase 0x hex.
/// </remarks>
public static class EpochSettlement
{
    /// <summary>10,000 basis points are 100%.</summary>
    public const int MaxBps = 10_000;

    /// <summary>Half of each payout in esHEU, half in HEU.</summary>
    public const int DefaultEsHeuShareBps = 5_000;

    /// <summary>Points are settled in millionths of a point.</summary>
    public const int MicroPointsPerPoint = 1_000_000;

    /// <summary>floor(points × 1,000,000), exact for any decimal.</summary>
    public static BigInteger MicroPoints(decimal points)
    {
        if (points < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(points), points, "must be at least 0");
        }
        // Split off the whole part first: points × 1,000,000 can overflow decimal, the fraction × 1,000,000 cannot.
        var whole = decimal.Truncate(points);
        return new BigInteger(whole) * MicroPointsPerPoint + new BigInteger(decimal.Truncate((points - whole) * MicroPointsPerPoint));
    }

    /// <summary>Settles <paramref name="input"/>; see the class remarks for the rules.</summary>
    /// <exception cref="ArgumentException">
    /// A field is out of range or malformed, or a miner id or a miner's staker appears twice; ParamName names the
    /// field, such as <c>Miners[2].Stakers[0].StakeWei</c>.
    /// </exception>
    public static EpochSettlementResult Settle(EpochSettlementInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Validate(input);

        var miners = input.Miners.OrderBy(m => m.MinerId.ToLowerInvariant(), StringComparer.Ordinal).ToArray();
        var ids = miners.Select(m => m.MinerId).ToArray();
        var stakes = miners.Select(m => m.Stakers.Aggregate(BigInteger.Zero, (sum, s) => sum + s.StakeWei)).ToArray();
        var efficiencies = stakes.Select(StakeEfficiencyWei.Numerator).ToArray();

        var waifuBudget = input.BudgetWei * input.WaifuPoolBps / MaxBps;
        var llamaBudget = input.BudgetWei - waifuBudget;
        var (waifuPool, waifuRewards) = SplitPool(waifuBudget, miners.Select((m, i) => MicroPoints(m.WaifuPoints) * efficiencies[i]).ToArray(), ids);
        var (llamaPool, llamaRewards) = SplitPool(llamaBudget, miners.Select((m, i) => MicroPoints(m.LlamaPoints) * efficiencies[i]).ToArray(), ids);

        var payouts = new SortedDictionary<string, BigInteger>(StringComparer.Ordinal);
        var breakdown = new List<MinerSettlement>(miners.Length);
        for (var i = 0; i < miners.Length; i++)
        {
            var miner = miners[i];
            var reward = waifuRewards[i] + llamaRewards[i];
            // Without stake there is no efficiency and so no reward; the guard only keeps a bribe from having nowhere to go.
            var bribe = stakes[i].IsZero ? BigInteger.Zero : reward * miner.BribeBps / MaxBps;
            var stakers = miner.Stakers.OrderBy(s => s.Account.ToLowerInvariant(), StringComparer.Ordinal).ToArray();
            var parts = LargestRemainder.Split(bribe, stakers.Select(s => s.StakeWei).ToArray(), stakers.Select(s => s.Account).ToArray());
            var shares = new BribeShare[stakers.Length];
            for (var j = 0; j < stakers.Length; j++)
            {
                shares[j] = new BribeShare(stakers[j].Account.ToLowerInvariant(), stakers[j].StakeWei, parts[j]);
                Credit(payouts, shares[j].Account, parts[j]);
            }
            var owner = reward - bribe;
            Credit(payouts, miner.RewardAddress, owner);
            breakdown.Add(new MinerSettlement(
                miner.MinerId,
                miner.RewardAddress.ToLowerInvariant(),
                stakes[i],
                efficiencies[i],
                StakeEfficiencyWei.ToDecimal(efficiencies[i]),
                waifuRewards[i],
                llamaRewards[i],
                bribe,
                owner,
                shares));
        }

        var leaves = new List<SettlementLeaf>(payouts.Count);
        foreach (var (account, amount) in payouts)
        {
            var esHeu = amount * input.EsHeuShareBps / MaxBps;
            leaves.Add(new SettlementLeaf(account, amount - esHeu, esHeu));
        }
        var heuTotal = leaves.Aggregate(BigInteger.Zero, (sum, l) => sum + l.Heu);
        var esHeuTotal = leaves.Aggregate(BigInteger.Zero, (sum, l) => sum + l.EsHeu);
        var allocated = heuTotal + esHeuTotal;
        var unallocated = waifuPool.Unallocated + llamaPool.Unallocated;
        // Posting more than the pools hold would take from later epochs' emission; fail loudly instead.
        if (allocated != waifuPool.Allocated + llamaPool.Allocated || allocated + unallocated != input.BudgetWei)
        {
            throw new InvalidOperationException(
                $"Epoch {input.Epoch}: leaves add up to {allocated} with {unallocated} unallocated, but the budget is {input.BudgetWei}.");
        }

        return new EpochSettlementResult(input.Epoch, input.BudgetWei, leaves, heuTotal, esHeuTotal, allocated, unallocated, waifuPool, llamaPool, breakdown);
    }

    private static (PoolSettlement Pool, BigInteger[] Rewards) SplitPool(BigInteger budget, BigInteger[] weights, string[] minerIds)
    {
        var totalWeight = weights.Aggregate(BigInteger.Zero, (sum, w) => sum + w);
        if (totalWeight.IsZero)
        {
            return (new PoolSettlement(budget, totalWeight, BigInteger.Zero), new BigInteger[weights.Length]);
        }
        return (new PoolSettlement(budget, totalWeight, budget), LargestRemainder.Split(budget, weights, minerIds));
    }

    private static void Credit(SortedDictionary<string, BigInteger> payouts, string account, BigInteger amount)
    {
        if (amount.IsZero)
        {
            return;
        }
        var key = account.ToLowerInvariant();
        payouts[key] = payouts.GetValueOrDefault(key) + amount;
    }

    private static void Validate(EpochSettlementInput input)
    {
        RequireNotNegative(input.BudgetWei, nameof(input.BudgetWei));
        RequireBps(input.WaifuPoolBps, nameof(input.WaifuPoolBps));
        RequireBps(input.EsHeuShareBps, nameof(input.EsHeuShareBps));
        if (input.Miners is null)
        {
            throw Missing(nameof(input.Miners));
        }

        var minerIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < input.Miners.Count; i++)
        {
            var field = $"{nameof(input.Miners)}[{i}]";
            var miner = input.Miners[i] ?? throw Missing(field);
            if (string.IsNullOrWhiteSpace(miner.MinerId))
            {
                throw Missing($"{field}.{nameof(miner.MinerId)}");
            }
            if (!minerIds.Add(miner.MinerId.ToLowerInvariant()))
            {
                throw new ArgumentException($"'{miner.MinerId}' appears twice (ignoring case)", $"{field}.{nameof(miner.MinerId)}");
            }
            RequireAddress(miner.RewardAddress, $"{field}.{nameof(miner.RewardAddress)}");
            RequireNotNegative(miner.WaifuPoints, $"{field}.{nameof(miner.WaifuPoints)}");
            RequireNotNegative(miner.LlamaPoints, $"{field}.{nameof(miner.LlamaPoints)}");
            RequireBps(miner.BribeBps, $"{field}.{nameof(miner.BribeBps)}");
            if (miner.Stakers is null)
            {
                throw Missing($"{field}.{nameof(miner.Stakers)}");
            }

            var accounts = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < miner.Stakers.Count; j++)
            {
                var stakerField = $"{field}.{nameof(miner.Stakers)}[{j}]";
                var staker = miner.Stakers[j] ?? throw Missing(stakerField);
                RequireAddress(staker.Account, $"{stakerField}.{nameof(staker.Account)}");
                if (!accounts.Add(staker.Account.ToLowerInvariant()))
                {
                    throw new ArgumentException($"'{staker.Account}' stakes on this miner twice", $"{stakerField}.{nameof(staker.Account)}");
                }
                RequireNotNegative(staker.StakeWei, $"{stakerField}.{nameof(staker.StakeWei)}");
            }
        }
    }

    private static ArgumentException Missing(string field) => new("is required", field);

    private static void RequireNotNegative(BigInteger value, string field)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(field, value, "must be at least 0");
        }
    }

    private static void RequireNotNegative(decimal value, string field)
    {
        if (value < 0m)
        {
            throw new ArgumentOutOfRangeException(field, value, "must be at least 0");
        }
    }

    private static void RequireBps(int value, string field)
    {
        if (value is < 0 or > MaxBps)
        {
            throw new ArgumentOutOfRangeException(field, value, $"must be 0 to {MaxBps} basis points");
        }
    }

    private static void RequireAddress(string? value, string field)
    {
        if (MinerIdentity.ValidateRewardAddress(value) is { } problem)
        {
            throw new ArgumentException(problem, field);
        }
    }
}
