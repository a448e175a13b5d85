using System.Numerics;
using Heurist.Protocol.Points;

namespace Heurist.Protocol.Rewards;

/// <summary>
/// <see cref="StakeEfficiency"/> in exact integer arithmetic on wei: the efficiency is
/// <see cref="Numerator"/>(stake) / <see cref="FullStakeWei"/>, which is 0 below 10,000 tokens, stake / 100,000 tokens
/// up to 100,000 tokens, and 1 above.
/// </summary>
public static class StakeEfficiencyWei
{
    /// <summary>10¹⁸: HEU and esHEU have 18 decimals.</summary>
    public static readonly BigInteger WeiPerToken = BigInteger.Pow(10, 18);

    /// <summary>10,000 tokens in wei: below it a miner is inactive (MinerStaking.MIN_ACTIVE_STAKE).</summary>
    public static readonly BigInteger MinimumStakeWei = new BigInteger(StakeEfficiency.MinimumStake) * WeiPerToken;

    /// <summary>100,000 tokens in wei: the stake of full efficiency, and the denominator of every efficiency.</summary>
    public static readonly BigInteger FullStakeWei = new BigInteger(StakeEfficiency.FullStake) * WeiPerToken;

    /// <summary>The efficiency's numerator over <see cref="FullStakeWei"/>: 0 below the minimum stake, else min(stake, full stake).</summary>
    /// <param name="totalStakeWei">HEU and esHEU staked on the miner together, in wei.</param>
    public static BigInteger Numerator(BigInteger totalStakeWei)
    {
        if (totalStakeWei.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(totalStakeWei), totalStakeWei, "must be at least 0");
        }
        if (totalStakeWei < MinimumStakeWei)
        {
            return BigInteger.Zero;
        }
        return BigInteger.Min(totalStakeWei, FullStakeWei);
    }

    /// <summary>The efficiency as a decimal, for display; exact, since the numerator has at most 23 digits.</summary>
    public static decimal ToDecimal(BigInteger numerator) => (decimal)numerator / (decimal)FullStakeWei;
}
