using System.Globalization;
using System.Numerics;
using Heurist.Protocol.Chain;

namespace Heurist.Protocol.Rewards;

/// <summary>One settled epoch of a miner: what it earned in all (owner and stakers), at the efficiency it had then.</summary>
/// <param name="Epoch">The epoch.</param>
/// <param name="RewardWei">Its Waifu and Llama rewards together, before the bribe split.</param>
/// <param name="EfficiencyNumerator">Its stake efficiency in that epoch, over <see cref="StakeEfficiencyWei.FullStakeWei"/>.</param>
public sealed record MinerEpochReward(ulong Epoch, BigInteger RewardWei, BigInteger EfficiencyNumerator);

/// <summary>What a staker can expect from a miner, from its recent settled epochs.</summary>
/// <param name="History">The miner's last settled epochs (at most <see cref="ExpectedApr.HistoryEpochs"/> are read).</param>
/// <param name="BribeBps">Its bribe for the next epoch, 0 to 10,000.</param>
/// <param name="TotalStakeWei">HEU and esHEU staked on it now.</param>
/// <param name="UptimePpm">Its uptime over the last 7 days, in millionths (1,000,000 = always up).</param>
/// <param name="EpochLengthSeconds">MinerStaking's epoch length.</param>
public sealed record MinerOutlookInput(
    IReadOnlyList<MinerEpochReward> History,
    int BribeBps,
    BigInteger TotalStakeWei,
    long UptimePpm,
    ulong EpochLengthSeconds);

/// <summary>The expected APR of staking on a miner; <see cref="Apr"/> is null when there is nothing to base it on.</summary>
/// <param name="HasHistory">At least one recent settled epoch in which the miner was active.</param>
/// <param name="Apr">The annual rate as a fraction (0.142 = 14.2 %); null without history or without stake.</param>
/// <param name="RewardPerFullEfficiencyWei">ρ: what the miner earned per epoch at efficiency 1, over its recent epochs.</param>
/// <param name="ExpectedMinerRewardWei">ρ × its efficiency now × its uptime: the miner's expected reward next epoch.</param>
/// <param name="ExpectedStakersRewardWei">That × the bribe: what its stakers share next epoch.</param>
/// <param name="EpochsUsed">How many settled epochs went into ρ.</param>
/// <param name="Formula">The formula with this miner's numbers in it, for a tooltip.</param>
public sealed record AprEstimate(
    bool HasHistory,
    decimal? Apr,
    BigInteger RewardPerFullEfficiencyWei,
    BigInteger ExpectedMinerRewardWei,
    BigInteger ExpectedStakersRewardWei,
    int EpochsUsed,
    string Formula);

/// <summary>What one more stake does: the staker's expected reward per epoch, and the other stakers' before and after.</summary>
public sealed record StakeWhatIf(
    bool HasHistory,
    BigInteger EfficiencyBefore,
    BigInteger EfficiencyAfter,
    BigInteger StakerRewardPerEpochWei,
    BigInteger OthersRewardBeforeWei,
    BigInteger OthersRewardAfterWei,
    decimal? StakerApr);

/// <summary>
/// A miner's expected APR for its stakers. A miner's reward in an epoch is its points' share of the pool times its
/// stake efficiency, so its recent epochs give ρ = Σ reward ÷ Σ efficiency (the reward it would have had at
/// efficiency 1; epochs in which it was inactive carry no information and are skipped). The next epoch is expected
/// to pay the miner ρ × efficiency(stake) × uptime, its stakers that × bribe, and a year holds 365 days ÷ epoch
/// length epochs: APR = ρ × efficiency × uptime × bribe × epochs per year ÷ stake. Integer wei until the last
/// division; pure, so the leaderboard, the miner page and the stake dialog agree.
/// </summary>
public static class ExpectedApr
{
    /// <summary>How many recent settled epochs ρ is taken from.</summary>
    public const int HistoryEpochs = 7;

    private const long PpmScale = 1_000_000;
    private const int BpsScale = 10_000;
    private const ulong SecondsPerYear = 365UL * 24 * 60 * 60;

    public static AprEstimate Estimate(MinerOutlookInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Check(input);
        var (rho, used) = RewardPerFullEfficiency(input.History);
        if (used == 0)
        {
            return new AprEstimate(false, null, 0, 0, 0, 0, "No history: the miner has no settled epoch in which it was active.");
        }
        var minerReward = ExpectedMinerReward(rho, StakeEfficiencyWei.Numerator(input.TotalStakeWei), input.UptimePpm);
        var stakersReward = minerReward * input.BribeBps / BpsScale;
        decimal? apr = input.TotalStakeWei.IsZero ? null : Annualize(stakersReward, input.TotalStakeWei, input.EpochLengthSeconds);
        return new AprEstimate(true, apr, rho, minerReward, stakersReward, used, Describe(input, rho, used, apr));
    }

    /// <summary>
    /// The staker's expected reward per epoch after adding <paramref name="addedStakeWei"/> to the
    /// <paramref name="ownStakeWei"/> it already has on the miner (included in the input's total stake).
    /// </summary>
    public static StakeWhatIf WhatIf(MinerOutlookInput input, BigInteger addedStakeWei, BigInteger ownStakeWei)
    {
        ArgumentNullException.ThrowIfNull(input);
        Check(input);
        if (addedStakeWei.Sign < 0 || ownStakeWei.Sign < 0 || ownStakeWei > input.TotalStakeWei)
        {
            throw new ArgumentOutOfRangeException(nameof(addedStakeWei), "the stakes must be at least 0, and the own stake at most the total");
        }
        var before = input.TotalStakeWei;
        var after = before + addedStakeWei;
        var efficiencyBefore = StakeEfficiencyWei.Numerator(before);
        var efficiencyAfter = StakeEfficiencyWei.Numerator(after);
        var (rho, used) = RewardPerFullEfficiency(input.History);
        if (used == 0)
        {
            return new StakeWhatIf(false, efficiencyBefore, efficiencyAfter, 0, 0, 0, null);
        }
        var stakersBefore = ExpectedMinerReward(rho, efficiencyBefore, input.UptimePpm) * input.BribeBps / BpsScale;
        var stakersAfter = ExpectedMinerReward(rho, efficiencyAfter, input.UptimePpm) * input.BribeBps / BpsScale;
        var others = before - ownStakeWei;
        var own = ownStakeWei + addedStakeWei;
        var stakerReward = after.IsZero ? 0 : stakersAfter * own / after;
        var othersBefore = before.IsZero ? 0 : stakersBefore * others / before;
        var othersAfter = after.IsZero ? 0 : stakersAfter * others / after;
        decimal? apr = own.IsZero ? null : Annualize(stakerReward, own, input.EpochLengthSeconds);
        return new StakeWhatIf(true, efficiencyBefore, efficiencyAfter, stakerReward, othersBefore, othersAfter, apr);
    }

    private static (BigInteger Rho, int Used) RewardPerFullEfficiency(IReadOnlyList<MinerEpochReward> history)
    {
        BigInteger rewards = 0, efficiencies = 0;
        var used = 0;
        foreach (var epoch in history.OrderByDescending(e => e.Epoch).Take(HistoryEpochs))
        {
            if (epoch.EfficiencyNumerator.Sign <= 0)
            {
                continue;
            }
            rewards += epoch.RewardWei;
            efficiencies += epoch.EfficiencyNumerator;
            used++;
        }
        return used == 0 ? (0, 0) : (rewards * StakeEfficiencyWei.FullStakeWei / efficiencies, used);
    }

    private static BigInteger ExpectedMinerReward(BigInteger rho, BigInteger efficiencyNumerator, long uptimePpm)
        => rho * efficiencyNumerator / StakeEfficiencyWei.FullStakeWei * uptimePpm / PpmScale;

    // reward per epoch × epochs per year ÷ stake, to six decimals (0.0001 %), rounded down.
    private static decimal Annualize(BigInteger rewardPerEpochWei, BigInteger stakeWei, ulong epochLengthSeconds)
    {
        var ppm = rewardPerEpochWei * SecondsPerYear * PpmScale / (stakeWei * epochLengthSeconds);
        return ppm > new BigInteger(decimal.MaxValue) ? decimal.MaxValue : (decimal)ppm / PpmScale;
    }

    private static void Check(MinerOutlookInput input)
    {
        if (input.BribeBps is < 0 or > BpsScale)
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.BribeBps, "the bribe must be between 0 and 10,000 bps");
        }
        if (input.UptimePpm is < 0 or > PpmScale)
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.UptimePpm, "the uptime must be between 0 and 1,000,000 ppm");
        }
        if (input.TotalStakeWei.Sign < 0 || input.EpochLengthSeconds == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(input), "the stake must be at least 0 and the epoch length positive");
        }
    }

    private static string Describe(MinerOutlookInput input, BigInteger rho, int used, decimal? apr)
    {
        var efficiency = StakeEfficiencyWei.ToDecimal(StakeEfficiencyWei.Numerator(input.TotalStakeWei));
        var epochsPerYear = (decimal)SecondsPerYear / input.EpochLengthSeconds;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{TokenAmounts.Format(rho)} HEU per epoch at full efficiency (last {used} settled epoch{(used == 1 ? "" : "s")}) "
            + $"× efficiency {efficiency:0.####} × uptime {input.UptimePpm / 10_000m:0.####}% × bribe {input.BribeBps / 100m:0.##}% "
            + $"× {epochsPerYear:0.##} epochs a year ÷ stake {TokenAmounts.Format(input.TotalStakeWei)}");
        return apr is { } rate
            ? string.Create(CultureInfo.InvariantCulture, $"{text} = {rate * 100:0.##}%")
            : text + ": no stake yet, so no rate";
    }
}
