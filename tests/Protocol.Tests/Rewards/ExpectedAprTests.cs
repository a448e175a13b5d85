using System.Numerics;
using CsCheck;
using Heurist.Protocol.Rewards;

namespace Heurist.Protocol.Tests.Rewards;

public sealed class ExpectedAprTests
{
    private static readonly BigInteger Token = BigInteger.Pow(10, 18);
    private const ulong Day = 24 * 60 * 60;

    private static MinerOutlookInput Input(BigInteger stakeTokens, int bribeBps = 5_000, long uptimePpm = 1_000_000, params MinerEpochReward[] history)
        => new(history, bribeBps, stakeTokens * Token, uptimePpm, Day);

    // 1,000 HEU earned at 50,000 staked (efficiency 0.5): 2,000 HEU per epoch at full efficiency.
    private static readonly MinerEpochReward HalfEfficientEpoch = new(3, 1_000 * Token, 50_000 * Token);

    [Fact]
    public void A_miner_without_settled_epochs_has_no_history_rather_than_zero()
    {
        var estimate = ExpectedApr.Estimate(Input(50_000));
        Assert.False(estimate.HasHistory);
        Assert.Null(estimate.Apr);
        Assert.StartsWith("No history", estimate.Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void Epochs_in_which_the_miner_was_inactive_say_nothing_about_its_rate()
    {
        var estimate = ExpectedApr.Estimate(Input(50_000, history: [new MinerEpochReward(1, 0, 0), new MinerEpochReward(2, 0, 0)]));
        Assert.False(estimate.HasHistory);
        Assert.Null(estimate.Apr);
    }

    [Fact]
    public void The_rate_is_the_reward_at_full_efficiency_times_efficiency_uptime_and_bribe_annualized_over_the_stake()
    {
        var estimate = ExpectedApr.Estimate(Input(100_000, history: HalfEfficientEpoch));

        Assert.True(estimate.HasHistory);
        Assert.Equal(2_000 * Token, estimate.RewardPerFullEfficiencyWei);
        Assert.Equal(2_000 * Token, estimate.ExpectedMinerRewardWei);
        Assert.Equal(1_000 * Token, estimate.ExpectedStakersRewardWei);
        // 1,000 HEU a day to 100,000 staked: 365,000 a year, 365 %.
        Assert.Equal(3.65m, estimate.Apr);
        Assert.Equal(1, estimate.EpochsUsed);
        Assert.Equal("2,000 HEU per epoch at full efficiency (last 1 settled epoch) × efficiency 1 × uptime 100% × bribe 50% × 365 epochs a year ÷ stake 100,000 = 365%", estimate.Formula);
    }

    [Fact]
    public void Half_the_uptime_halves_the_rate_and_a_zero_bribe_pays_stakers_nothing()
    {
        Assert.Equal(1.825m, ExpectedApr.Estimate(Input(100_000, uptimePpm: 500_000, history: HalfEfficientEpoch)).Apr);
        Assert.Equal(0m, ExpectedApr.Estimate(Input(100_000, bribeBps: 0, history: HalfEfficientEpoch)).Apr);
    }

    [Fact]
    public void A_miner_with_history_and_no_stake_has_no_rate_and_says_why()
    {
        var estimate = ExpectedApr.Estimate(Input(0, history: HalfEfficientEpoch));
        Assert.True(estimate.HasHistory);
        Assert.Null(estimate.Apr);
        Assert.EndsWith("no stake yet, so no rate", estimate.Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_last_seven_settled_epochs_count()
    {
        // Ten epochs: the three oldest paid ten times more, and are left out.
        var history = Enumerable.Range(0, 10)
            .Select(i => new MinerEpochReward((ulong)i, (i < 3 ? 10_000 : 1_000) * Token, 50_000 * Token))
            .ToArray();
        var estimate = ExpectedApr.Estimate(Input(100_000, history: history));
        Assert.Equal(7, estimate.EpochsUsed);
        Assert.Equal(2_000 * Token, estimate.RewardPerFullEfficiencyWei);
    }

    [Fact]
    public void A_stake_that_activates_a_miner_earns_the_whole_bribe_at_the_new_efficiency()
    {
        var whatIf = ExpectedApr.WhatIf(Input(0, history: HalfEfficientEpoch), 10_000 * Token, 0);

        Assert.True(whatIf.HasHistory);
        Assert.Equal(BigInteger.Zero, whatIf.EfficiencyBefore);
        Assert.Equal(10_000 * Token, whatIf.EfficiencyAfter);
        // ρ 2,000 × efficiency 0.1 × bribe 50 %.
        Assert.Equal(100 * Token, whatIf.StakerRewardPerEpochWei);
        Assert.Equal(BigInteger.Zero, whatIf.OthersRewardBeforeWei);
        Assert.Equal(3.65m, whatIf.StakerApr);
    }

    [Fact]
    public void Doubling_a_half_efficient_miner_keeps_the_others_reward_and_pays_the_newcomer_as_much()
    {
        // 50,000 staked by others; 50,000 more brings efficiency from 0.5 to 1, so the stakers' pot doubles.
        var whatIf = ExpectedApr.WhatIf(Input(50_000, history: HalfEfficientEpoch), 50_000 * Token, 0);

        Assert.Equal(500 * Token, whatIf.OthersRewardBeforeWei);
        Assert.Equal(500 * Token, whatIf.OthersRewardAfterWei);
        Assert.Equal(500 * Token, whatIf.StakerRewardPerEpochWei);
    }

    [Fact]
    public void Above_full_efficiency_a_new_stake_only_dilutes_the_others()
    {
        var whatIf = ExpectedApr.WhatIf(Input(100_000, history: HalfEfficientEpoch), 100_000 * Token, 0);

        Assert.Equal(1_000 * Token, whatIf.OthersRewardBeforeWei);
        Assert.Equal(500 * Token, whatIf.OthersRewardAfterWei);
        Assert.Equal(500 * Token, whatIf.StakerRewardPerEpochWei);
    }

    [Fact]
    public void Without_history_the_what_if_still_shows_the_efficiency_change()
    {
        var whatIf = ExpectedApr.WhatIf(Input(5_000), 5_000 * Token, 0);
        Assert.False(whatIf.HasHistory);
        Assert.Equal(BigInteger.Zero, whatIf.EfficiencyBefore);
        Assert.Equal(10_000 * Token, whatIf.EfficiencyAfter);
        Assert.Null(whatIf.StakerApr);
    }

    [Fact]
    public void Out_of_range_inputs_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpectedApr.Estimate(Input(1, bribeBps: 10_001)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpectedApr.Estimate(Input(1, uptimePpm: -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpectedApr.WhatIf(Input(10), -1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpectedApr.WhatIf(Input(10), 1, 11 * Token));
    }

    [Fact]
    public void What_the_stakers_are_expected_to_share_is_never_overpaid()
    {
        var gen = Gen.Select(Gen.Long[0, 1_000_000], Gen.Long[0, 1_000_000], Gen.Long[0, 1_000_000], Gen.Int[0, 10_000], Gen.Long[0, 1_000_000])
            .Select((others, own, added, bribe, uptime) => (Others: (BigInteger)others * Token, Own: (BigInteger)own * Token, Added: (BigInteger)added * Token, Bribe: bribe, Uptime: uptime));
        gen.Sample(c =>
        {
            var input = new MinerOutlookInput([HalfEfficientEpoch], c.Bribe, c.Others + c.Own, c.Uptime, Day);
            var whatIf = ExpectedApr.WhatIf(input, c.Added, c.Own);
            var pot = ExpectedApr.Estimate(input with { TotalStakeWei = c.Others + c.Own + c.Added }).ExpectedStakersRewardWei;
            return whatIf.StakerRewardPerEpochWei.Sign >= 0 && whatIf.OthersRewardAfterWei.Sign >= 0
                && whatIf.StakerRewardPerEpochWei + whatIf.OthersRewardAfterWei <= pot
                && pot - whatIf.StakerRewardPerEpochWei - whatIf.OthersRewardAfterWei <= 2;
        }, iter: 2_000);
    }
}
