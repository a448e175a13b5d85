using System.Globalization;
using System.Numerics;
using CsCheck;
using Heurist.Protocol.Rewards;

namespace Heurist.Protocol.Tests.Rewards;

public sealed class EpochSettlementPropertyTests
{
    private const long Iterations = 2_000;

    private static readonly Int128 Token = 1_000_000_000_000_000_000;

    // A small pool of accounts, so that stakers stake on several miners and owners also stake.
    private static readonly string[] Accounts = [.. Enumerable.Range(1, 40).Select(i => "0x" + ((ulong)i * 0x9e3779b97f4a7c15UL).ToString("x40", CultureInfo.InvariantCulture))];

    private static readonly Gen<string> Account = Gen.Select(Gen.Int[0, Accounts.Length - 1], Gen.Bool, (i, upper) => upper ? "0x" + Accounts[i][2..].ToUpperInvariant() : Accounts[i]);

    private static readonly Gen<BigInteger> Stake = Gen.Frequency(
        (1, Gen.Const(Int128.Zero)),
        (3, Gen.Int128[0, 60_000 * Token]),
        (2, Gen.Int128[-1_000, 1_000].Select(d => 10_000 * Token + d)),
        (2, Gen.Int128[-1_000, 1_000].Select(d => 100_000 * Token + d)),
        (1, Gen.Int128[0, 1_000_000_000 * Token])).Select(s => (BigInteger)s);

    // Few stakers often, so that a miner's total stake lands near the 10k and 100k edges too.
    private static readonly Gen<StakerStake[]> Stakers = Gen.Frequency((2, Gen.Shuffle(Accounts, 0, 2)), (1, Gen.Shuffle(Accounts, 0, 20))).SelectMany(accounts => Stake.Array[accounts.Length].Select(stakes => accounts.Select((a, i) => new StakerStake(a, stakes[i])).ToArray()));

    private static readonly Gen<decimal> Points = Gen.Frequency(
        (2, Gen.Const(0m)),
        (4, Gen.Decimal[0m, 1_000m]),
        (1, Gen.Decimal[0m, 0.00001m]),
        (1, Gen.Decimal[0m, 10_000_000_000m]));

    private static readonly Gen<int> Bps = Gen.Frequency((1, Gen.Const(0)), (1, Gen.Const(10_000)), (4, Gen.Int[0, 10_000]));

    private static readonly Gen<BigInteger> Budget = Gen.Frequency(
        (1, Gen.Const(Int128.Zero)),
        (1, Gen.Int128[0, 1_000]),
        (4, Gen.Int128[0, 500_000_000 * Token])).Select(b => (BigInteger)b);

    private static readonly Gen<MinerEpochInput[]> Miners = Gen.Frequency((1, Gen.Int[0, 3]), (2, Gen.Int[0, 30])).SelectMany(count =>
        Gen.Select(Account, Points, Points, Bps, Stakers).Array[count].Select(miners => miners
            .Select((m, i) => new MinerEpochInput($"0x{i:x64}", m.Item1, m.Item2, m.Item3, m.Item4, m.Item5))
            .ToArray()));

    private static readonly Gen<EpochSettlementInput> Input = Gen.Select(Gen.ULong, Budget, Bps, Gen.Int[0, 10_000], Miners,
        (epoch, budget, waifuBps, esHeuBps, miners) => new EpochSettlementInput(epoch, budget, waifuBps, miners, esHeuBps));

    private static string Print(EpochSettlementInput input) =>
        $"budget {input.BudgetWei}, waifu {input.WaifuPoolBps} bps, esHEU {input.EsHeuShareBps} bps, miners: "
        + string.Join("; ", input.Miners.Select(m =>
            $"{m.MinerId[^4..]} w{m.WaifuPoints} l{m.LlamaPoints} b{m.BribeBps} [{string.Join(",", m.Stakers.Select(s => $"{s.Account[..6]}:{s.StakeWei}"))}]"));

    private static BigInteger Sum(IEnumerable<BigInteger> values) => values.Aggregate(BigInteger.Zero, (sum, v) => sum + v);

    [Fact]
    public void The_leaves_add_up_to_what_is_allocated_and_the_rest_is_unallocated()
        => Input.Sample(input =>
        {
            var result = EpochSettlement.Settle(input);

            Assert.Equal(result.HeuTotal, Sum(result.Leaves.Select(l => l.Heu)));
            Assert.Equal(result.EsHeuTotal, Sum(result.Leaves.Select(l => l.EsHeu)));
            Assert.Equal(result.Allocated, result.HeuTotal + result.EsHeuTotal);
            Assert.Equal(input.BudgetWei, result.Allocated + result.Unallocated);
            Assert.Equal(input.BudgetWei, result.WaifuPool.Budget + result.LlamaPool.Budget);
            Assert.Equal(input.BudgetWei * input.WaifuPoolBps / 10_000, result.WaifuPool.Budget);
            Assert.Equal(result.IsEmpty, result.Leaves.Count == 0);
        }, iter: Iterations, print: Print);

    [Fact]
    public void Nothing_is_negative_and_no_leaf_is_zero()
        => Input.Sample(input =>
        {
            var result = EpochSettlement.Settle(input);

            Assert.All(result.Leaves, l => Assert.True(l.Heu.Sign >= 0 && l.EsHeu.Sign >= 0 && l.Amount.Sign > 0));
            Assert.All(result.Miners, m => Assert.True(
                m.WaifuReward.Sign >= 0 && m.LlamaReward.Sign >= 0 && m.BribePaid.Sign >= 0 && m.OwnerPaid.Sign >= 0
                && m.BribeShares.All(s => s.Amount.Sign >= 0)));
            Assert.True(result.Unallocated.Sign >= 0);
        }, iter: Iterations, print: Print);

    [Fact]
    public void Each_leaf_is_split_into_esheu_and_heu_by_the_configured_share()
        => Input.Sample(input =>
        {
            var result = EpochSettlement.Settle(input);

            Assert.All(result.Leaves, l => Assert.Equal(l.Amount * input.EsHeuShareBps / 10_000, l.EsHeu));
            Assert.Equal(result.Leaves.OrderBy(l => l.Account, StringComparer.Ordinal).Select(l => l.Account), result.Leaves.Select(l => l.Account));
            Assert.All(result.Leaves, l => Assert.Equal(l.Account.ToLowerInvariant(), l.Account));
            Assert.Equal(result.Leaves.Count, result.Leaves.Select(l => l.Account).Distinct().Count());
        }, iter: Iterations, print: Print);

    [Fact]
    public void Each_leaf_is_what_its_account_earned_as_owner_and_as_staker_over_all_miners()
        => Input.Sample(input =>
        {
            var result = EpochSettlement.Settle(input);

            var owed = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
            foreach (var m in result.Miners)
            {
                owed[m.RewardAddress] = owed.GetValueOrDefault(m.RewardAddress) + m.OwnerPaid;
                foreach (var s in m.BribeShares)
                {
                    owed[s.Account] = owed.GetValueOrDefault(s.Account) + s.Amount;
                }
            }
            Assert.Equal(owed.Where(o => !o.Value.IsZero).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => (o.Key, o.Value)),
                result.Leaves.Select(l => (l.Account, l.Amount)));
        }, iter: Iterations, print: Print);

    [Fact]
    public void Each_stakers_bribe_is_within_one_wei_of_its_exact_pro_rata_share()
        => Input.Sample(input =>
        {
            var result = EpochSettlement.Settle(input);

            foreach (var (m, miner) in result.Miners.Join(input.Miners, r => r.MinerId, i => i.MinerId, (r, i) => (r, i)))
            {
                Assert.Equal(m.Reward * miner.BribeBps / 10_000, m.BribePaid);
                Assert.Equal(m.Reward - m.BribePaid, m.OwnerPaid);
                Assert.Equal(m.BribePaid, Sum(m.BribeShares.Select(s => s.Amount)));
                Assert.Equal(Sum(miner.Stakers.Select(s => s.StakeWei)), m.StakeWei);
                foreach (var share in m.BribeShares)
                {
                    // |share − bribe × stake / total| ≤ 1, multiplied through by total.
                    Assert.True(BigInteger.Abs(share.Amount * m.StakeWei - m.BribePaid * share.StakeWei) <= m.StakeWei,
                        $"{share.Account} got {share.Amount} of {m.BribePaid} for {share.StakeWei} of {m.StakeWei}");
                    if (share.StakeWei.IsZero)
                    {
                        Assert.Equal(BigInteger.Zero, share.Amount);
                    }
                }
            }
        }, iter: Iterations, print: Print);

    [Fact]
    public void Each_miner_gets_its_pools_pro_rata_within_one_wei_and_nothing_without_points_or_efficiency()
        => Input.Sample(input =>
        {
            var result = EpochSettlement.Settle(input);

            foreach (var (m, miner) in result.Miners.Join(input.Miners, r => r.MinerId, i => i.MinerId, (r, i) => (r, i)))
            {
                var efficiency = StakeEfficiencyWei.Numerator(Sum(miner.Stakers.Select(s => s.StakeWei)));
                Assert.Equal(efficiency, m.EfficiencyNumerator);
                var waifuWeight = EpochSettlement.MicroPoints(miner.WaifuPoints) * efficiency;
                var llamaWeight = EpochSettlement.MicroPoints(miner.LlamaPoints) * efficiency;
                if (efficiency.IsZero || (waifuWeight.IsZero && llamaWeight.IsZero))
                {
                    Assert.Equal(BigInteger.Zero, m.Reward);
                    Assert.DoesNotContain(m.BribeShares, s => !s.Amount.IsZero);
                }
                if (!result.WaifuPool.TotalWeight.IsZero)
                {
                    Assert.True(BigInteger.Abs(m.WaifuReward * result.WaifuPool.TotalWeight - result.WaifuPool.Budget * waifuWeight) <= result.WaifuPool.TotalWeight);
                }
                if (!result.LlamaPool.TotalWeight.IsZero)
                {
                    Assert.True(BigInteger.Abs(m.LlamaReward * result.LlamaPool.TotalWeight - result.LlamaPool.Budget * llamaWeight) <= result.LlamaPool.TotalWeight);
                }
            }
        }, iter: Iterations, print: Print);

    [Fact]
    public void A_pool_without_weight_leaves_exactly_its_budget_unallocated_and_one_with_weight_pays_it_all()
        => Input.Sample(input =>
        {
            var result = EpochSettlement.Settle(input);

            var efficiencies = input.Miners.ToDictionary(m => m.MinerId, m => StakeEfficiencyWei.Numerator(Sum(m.Stakers.Select(s => s.StakeWei))));
            var waifuWeight = Sum(input.Miners.Select(m => EpochSettlement.MicroPoints(m.WaifuPoints) * efficiencies[m.MinerId]));
            var llamaWeight = Sum(input.Miners.Select(m => EpochSettlement.MicroPoints(m.LlamaPoints) * efficiencies[m.MinerId]));
            Assert.Equal(waifuWeight, result.WaifuPool.TotalWeight);
            Assert.Equal(llamaWeight, result.LlamaPool.TotalWeight);

            var waifuPaid = Sum(result.Miners.Select(m => m.WaifuReward));
            var llamaPaid = Sum(result.Miners.Select(m => m.LlamaReward));
            Assert.Equal(waifuWeight.IsZero ? BigInteger.Zero : result.WaifuPool.Budget, waifuPaid);
            Assert.Equal(llamaWeight.IsZero ? BigInteger.Zero : result.LlamaPool.Budget, llamaPaid);
            var expectedUnallocated = (waifuWeight.IsZero ? result.WaifuPool.Budget : 0) + (llamaWeight.IsZero ? result.LlamaPool.Budget : 0);
            Assert.Equal(expectedUnallocated, result.Unallocated);
            Assert.Equal(waifuPaid + llamaPaid, result.Allocated);
        }, iter: Iterations, print: Print);

    [Fact]
    public void The_result_does_not_depend_on_the_order_of_miners_and_stakers_or_the_case_of_addresses()
        => Gen.Select(Input, Gen.Int).Sample((input, seed) =>
        {
            var random = new Random(seed);
            var miners = input.Miners.Select(m => m with
            {
                RewardAddress = random.Next(2) == 0 ? m.RewardAddress.ToLowerInvariant() : "0x" + m.RewardAddress[2..].ToUpperInvariant(),
                Stakers = [.. m.Stakers.OrderBy(_ => random.Next()).Select(s => s with { Account = random.Next(2) == 0 ? s.Account.ToLowerInvariant() : s.Account })],
            }).OrderBy(_ => random.Next()).ToArray();

            var expected = Describe(EpochSettlement.Settle(input));
            var actual = Describe(EpochSettlement.Settle(input with { Miners = miners }));

            Assert.Equal(expected, actual);
        }, iter: Iterations);

    private static string Describe(EpochSettlementResult result) => string.Join("\n",
        new[] { $"{result.Epoch} {result.HeuTotal} {result.EsHeuTotal} {result.Allocated} {result.Unallocated} {result.WaifuPool} {result.LlamaPool}" }
            .Concat(result.Leaves.Select(l => l.ToString()))
            .Concat(result.Miners.Select(m => (m with { BribeShares = [] }).ToString() + " " + string.Join(",", m.BribeShares))));
}
