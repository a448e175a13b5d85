using System.Numerics;
using Heurist.Protocol.Rewards;

namespace Heurist.Protocol.Tests.Rewards;

public sealed class EpochSettlementTests
{
    private static readonly BigInteger Token = BigInteger.Pow(10, 18);

    private const string OwnerA = "0x1000000000000000000000000000000000000001";
    private const string OwnerB = "0x2000000000000000000000000000000000000002";
    private const string StakerOne = "0xabc0000000000000000000000000000000000001";
    private const string StakerTwo = "0xdef0000000000000000000000000000000000002";

    /// <summary>
    /// Two miners. A: 2 Waifu and 1 Llama point, 100,000 tokens staked (efficiency 1), bribe 25%, stakers one (60,000)
    /// and two (40,000). B: 1 Waifu and 3 Llama points, 25,000 tokens staked by staker one alone (efficiency 0.25),
    /// bribe 50%. Staker one is written in another case on A, so it must be merged.
    /// </summary>
    private static EpochSettlementInput TwoMiners() => new(
        Epoch: 7,
        BudgetWei: 1_000_003,
        WaifuPoolBps: 7_000,
        Miners:
        [
            new MinerEpochInput("miner-a", OwnerA, 2m, 1m, 2_500,
                [new StakerStake("0xABC0000000000000000000000000000000000001", 60_000 * Token), new StakerStake(StakerTwo, 40_000 * Token)]),
            new MinerEpochInput("miner-b", OwnerB, 1m, 3m, 5_000, [new StakerStake(StakerOne, 25_000 * Token)]),
        ]);

    [Fact]
    public void Two_miners_are_paid_exactly_the_hand_computed_wei()
    {
        // Pools: Waifu floor(1,000,003 × 0.7) = 700,002; Llama 1,000,003 − 700,002 = 300,001.
        // Waifu weights: A 2,000,000 µpt × 1e23, B 1,000,000 µpt × 2.5e22, so 8 : 1.
        //   700,002 × 8/9 = 622,224 and 700,002 × 1/9 = 77,778, exactly.
        // Llama weights: A 1,000,000 × 1e23, B 3,000,000 × 2.5e22, so 4 : 3.
        //   300,001 × 4/7 = 171,429 rem 1/7 and × 3/7 = 128,571 rem 6/7; the one wei left goes to B: 128,572.
        // A: reward 622,224 + 171,429 = 793,653; bribe floor(793,653 × 0.25) = 198,413; owner 595,240.
        //   Bribe over 60 : 40: 119,047.8 → 119,047 and 79,365.2 → 79,365; the wei left goes to the .8: 119,048.
        // B: reward 77,778 + 128,572 = 206,350; bribe 103,175 to staker one; owner 103,175.
        // Accounts: owner A 595,240; owner B 103,175; staker one 119,048 + 103,175 = 222,223; staker two 79,365.
        // esHEU is floor(half): 297,620 | 51,587 | 111,111 | 39,682, and HEU the rest.
        var result = EpochSettlement.Settle(TwoMiners());

        Assert.Equal(
            [
                new SettlementLeaf(OwnerA, 297_620, 297_620),
                new SettlementLeaf(OwnerB, 51_588, 51_587),
                new SettlementLeaf(StakerOne, 111_112, 111_111),
                new SettlementLeaf(StakerTwo, 39_683, 39_682),
            ],
            result.Leaves);
        Assert.Equal(7UL, result.Epoch);
        Assert.Equal(new BigInteger(500_003), result.HeuTotal);
        Assert.Equal(new BigInteger(500_000), result.EsHeuTotal);
        Assert.Equal(new BigInteger(1_000_003), result.Allocated);
        Assert.Equal(BigInteger.Zero, result.Unallocated);
        Assert.False(result.IsEmpty);

        var a = result.Miners[0];
        Assert.Equal(("miner-a", 100_000 * Token, 1m), (a.MinerId, a.EfficiencyNumerator, a.Efficiency));
        Assert.Equal((622_224, 171_429, 198_413, 595_240), ((int)a.WaifuReward, (int)a.LlamaReward, (int)a.BribePaid, (int)a.OwnerPaid));
        Assert.Equal(
            [new BribeShare(StakerOne, 60_000 * Token, 119_048), new BribeShare(StakerTwo, 40_000 * Token, 79_365)],
            a.BribeShares);
        var b = result.Miners[1];
        Assert.Equal(("miner-b", 25_000 * Token, 0.25m), (b.MinerId, b.EfficiencyNumerator, b.Efficiency));
        Assert.Equal((77_778, 128_572, 103_175, 103_175), ((int)b.WaifuReward, (int)b.LlamaReward, (int)b.BribePaid, (int)b.OwnerPaid));
    }

    [Fact]
    public void The_esheu_share_is_configurable_and_all_of_it_can_be_esheu()
    {
        var result = EpochSettlement.Settle(TwoMiners() with { EsHeuShareBps = 10_000 });
        Assert.All(result.Leaves, leaf => Assert.Equal(BigInteger.Zero, leaf.Heu));
        Assert.Equal(new BigInteger(222_223), result.Leaves.Single(l => l.Account == StakerOne).EsHeu);
        Assert.Equal(BigInteger.Zero, result.HeuTotal);
        Assert.Equal(new BigInteger(1_000_003), result.EsHeuTotal);
    }

    [Fact]
    public void A_pool_nobody_earned_in_is_left_unallocated_for_later_epochs()
    {
        // Only Llama points: the Waifu pool (floor(1,000,003 × 0.7) = 700,002) stays unposted; A's Llama weight is
        // 1,000,000 × 1e23 and B's 3,000,000 × 2.5e22 as before, so the Llama pool splits 171,429 / 128,572.
        var input = TwoMiners();
        input = input with { Miners = [.. input.Miners.Select(m => m with { WaifuPoints = 0m })] };

        var result = EpochSettlement.Settle(input);

        Assert.Equal(new PoolSettlement(700_002, 0, 0), result.WaifuPool);
        Assert.Equal(new BigInteger(700_002), result.WaifuPool.Unallocated);
        Assert.Equal(new BigInteger(300_001), result.LlamaPool.Allocated);
        Assert.Equal(new BigInteger(300_001), result.Allocated);
        Assert.Equal(new BigInteger(700_002), result.Unallocated);
        Assert.Equal(new BigInteger(300_001), result.Leaves.Aggregate(BigInteger.Zero, (sum, l) => sum + l.Amount));
        Assert.Equal([171_429, 128_572], result.Miners.Select(m => (int)m.LlamaReward));
    }

    [Fact]
    public void An_epoch_without_points_posts_nothing()
    {
        var input = TwoMiners();
        input = input with { Miners = [.. input.Miners.Select(m => m with { WaifuPoints = 0m, LlamaPoints = 0m })] };

        var result = EpochSettlement.Settle(input);

        Assert.True(result.IsEmpty);
        Assert.Empty(result.Leaves);
        Assert.Equal(new BigInteger(1_000_003), result.Unallocated);
        Assert.Equal(2, result.Miners.Count);
        Assert.All(result.Miners, m => Assert.Equal(BigInteger.Zero, m.Reward));
    }

    [Fact]
    public void An_epoch_without_miners_posts_nothing()
    {
        var result = EpochSettlement.Settle(new EpochSettlementInput(1, 5 * Token, 5_000, []));
        Assert.True(result.IsEmpty);
        Assert.Equal(5 * Token, result.Unallocated);
    }

    [Fact]
    public void A_miner_below_the_minimum_stake_earns_nothing_and_the_others_share_its_pool()
    {
        // B's 25,000 becomes 9,999.99 tokens: inactive, so A takes both pools whole.
        var input = TwoMiners();
        input = input with
        {
            Miners = [input.Miners[0], input.Miners[1] with { Stakers = [new StakerStake(StakerOne, 999_999 * Token / 100)] }],
        };

        var result = EpochSettlement.Settle(input);

        var b = result.Miners[1];
        Assert.Equal((BigInteger.Zero, 0m, BigInteger.Zero), (b.EfficiencyNumerator, b.Efficiency, b.Reward));
        Assert.Equal(new BigInteger(1_000_003), result.Miners[0].Reward);
        Assert.DoesNotContain(result.Leaves, l => l.Account == OwnerB);
    }

    [Fact]
    public void A_full_bribe_pays_everything_to_the_stakers_and_the_owner_gets_no_leaf()
    {
        // One miner, one pool; 1,000 wei, bribe 100%, stakers 3 : 1 → 750 and 250.
        var input = new EpochSettlementInput(2, 1_000, 10_000,
            [new MinerEpochInput("m", OwnerA, 1m, 0m, 10_000, [new StakerStake(StakerOne, 75_000 * Token), new StakerStake(StakerTwo, 25_000 * Token)])]);

        var result = EpochSettlement.Settle(input);

        Assert.Equal([StakerOne, StakerTwo], result.Leaves.Select(l => l.Account));
        Assert.Equal([750, 250], result.Leaves.Select(l => (int)l.Amount));
        Assert.Equal(BigInteger.Zero, result.Miners[0].OwnerPaid);
    }

    [Fact]
    public void A_staker_with_no_stake_gets_no_bribe_and_no_leaf()
    {
        var input = new EpochSettlementInput(2, 1_001, 10_000,
            [new MinerEpochInput("m", OwnerA, 1m, 0m, 10_000, [new StakerStake(StakerOne, 0), new StakerStake(StakerTwo, 50_000 * Token)])]);

        var result = EpochSettlement.Settle(input);

        Assert.Equal([StakerTwo], result.Leaves.Select(l => l.Account));
        Assert.Equal([BigInteger.Zero, new BigInteger(1_001)], result.Miners[0].BribeShares.Select(s => s.Amount));
    }

    [Fact]
    public void An_owner_who_also_stakes_gets_one_leaf_for_both_roles()
    {
        // Bribe 50% of 1,000: the owner stakes 3 of 4 parts, so it gets 500 + 375 and the other staker 125.
        var input = new EpochSettlementInput(3, 1_000, 10_000,
            [new MinerEpochInput("m", OwnerA.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal), 1m, 0m, 5_000,
                [new StakerStake(OwnerA, 75_000 * Token), new StakerStake(StakerTwo, 25_000 * Token)])]);

        var result = EpochSettlement.Settle(input);

        Assert.Equal([(OwnerA, 875), (StakerTwo, 125)], result.Leaves.Select(l => (l.Account, (int)l.Amount)));
    }

    [Theory]
    [InlineData("1.2345678", 1_234_567)]
    [InlineData("0.0000009", 0)]
    [InlineData("0.000001", 1)]
    [InlineData("3.0833333333333333333333333333", 3_083_333)]
    [InlineData("0", 0)]
    public void Points_become_micro_points_rounded_down(string points, long expected)
        => Assert.Equal(new BigInteger(expected), EpochSettlement.MicroPoints(decimal.Parse(points, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Micro_points_do_not_overflow_on_the_largest_decimal()
        => Assert.Equal(BigInteger.Parse("79228162514264337593543950335", System.Globalization.CultureInfo.InvariantCulture) * 1_000_000,
            EpochSettlement.MicroPoints(decimal.MaxValue));

    public static TheoryData<string, Func<EpochSettlementInput, EpochSettlementInput>> BadInputs => new()
    {
        { "BudgetWei", i => i with { BudgetWei = -1 } },
        { "WaifuPoolBps", i => i with { WaifuPoolBps = 10_001 } },
        { "WaifuPoolBps", i => i with { WaifuPoolBps = -1 } },
        { "EsHeuShareBps", i => i with { EsHeuShareBps = 10_001 } },
        { "Miners", i => i with { Miners = null! } },
        { "Miners[1].MinerId", i => WithMiner(i, 1, m => m with { MinerId = "MINER-A" }) },
        { "Miners[0].MinerId", i => WithMiner(i, 0, m => m with { MinerId = " " }) },
        { "Miners[1].RewardAddress", i => WithMiner(i, 1, m => m with { RewardAddress = "0x12" }) },
        { "Miners[0].RewardAddress", i => WithMiner(i, 0, m => m with { RewardAddress = "1000000000000000000000000000000000000001" }) },
        { "Miners[0].WaifuPoints", i => WithMiner(i, 0, m => m with { WaifuPoints = -0.000001m }) },
        { "Miners[1].LlamaPoints", i => WithMiner(i, 1, m => m with { LlamaPoints = -1m }) },
        { "Miners[0].BribeBps", i => WithMiner(i, 0, m => m with { BribeBps = 10_001 }) },
        { "Miners[1].BribeBps", i => WithMiner(i, 1, m => m with { BribeBps = -1 }) },
        { "Miners[0].Stakers", i => WithMiner(i, 0, m => m with { Stakers = null! }) },
        { "Miners[0].Stakers[1].StakeWei", i => WithMiner(i, 0, m => m with { Stakers = [m.Stakers[0], m.Stakers[1] with { StakeWei = -1 }] }) },
        { "Miners[0].Stakers[1].Account", i => WithMiner(i, 0, m => m with { Stakers = [m.Stakers[0], m.Stakers[1] with { Account = "0xzz" }] }) },
        { "Miners[0].Stakers[1].Account", i => WithMiner(i, 0, m => m with { Stakers = [m.Stakers[0], m.Stakers[0] with { Account = StakerOne }] }) },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_is_refused_naming_the_field(string field, Func<EpochSettlementInput, EpochSettlementInput> spoil)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => EpochSettlement.Settle(spoil(TwoMiners())));
        Assert.Equal(field, error.ParamName);
    }

    private static EpochSettlementInput WithMiner(EpochSettlementInput input, int index, Func<MinerEpochInput, MinerEpochInput> change)
        => input with { Miners = [.. input.Miners.Select((m, i) => i == index ? change(m) : m)] };
}
