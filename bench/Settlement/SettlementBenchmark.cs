using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Heurist.Bench.Portal;
using Heurist.Contracts.Rewards;
using Heurist.Protocol.Rewards;

namespace Heurist.Bench.Settlement;

/// <summary>
/// One epoch settled as the settlement job would: EpochSettlement.Settle, the RewardLeaf list, the Merkle tree and a
/// proof for every leaf, timed together; then, outside the timer, the sums are checked and a sample of proofs verified.
/// </summary>
internal static class SettlementBenchmark
{
    private const ulong Epoch = 1;
    private const int WaifuPoolBps = 5_000;
    private const int SampledProofs = 1_000;

    // The first month of RewardsDistributor's schedule: 500,000,000 HEU over 120 months of 30 days. Assuming a 1-day
    // epoch, one epoch's budget is MINING_EMISSION / (120 × 30), what emissionAllowed grows by in a day (floored).
    private static readonly BigInteger BudgetWei = 500_000_000 * StakeEfficiencyWei.WeiPerToken / (120 * 30);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var values = Arguments.Read(args, ["--miners", "--stakers", "--seed", "--events"]);
        var minerCount = Arguments.Positive(values, "--miners", 10_000);
        var stakerCount = Arguments.Positive(values, "--stakers", 100_000);
        var seed = Arguments.Positive(values, "--seed", 1);
        var events = Arguments.Positive(values, "--events", 10_000);

        // Warm-up on a small epoch, so the timed run measures the settlement and not the JIT.
        SettleAndProve(new EpochSettlementInput(Epoch, BudgetWei, WaifuPoolBps, SyntheticEpoch.Miners(50, 500, seed + 1)));

        var input = new EpochSettlementInput(Epoch, BudgetWei, WaifuPoolBps, SyntheticEpoch.Miners(minerCount, stakerCount, seed));
        GC.Collect();
        var clock = Stopwatch.StartNew();
        var settled = SettleAndProve(input);
        var seconds = clock.Elapsed.TotalSeconds;

        Print("settle.miners", minerCount);
        Print("settle.stakers", stakerCount);
        Print("settle.leaves", settled.Result.Leaves.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"settle.seconds={seconds:0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"settle.budget_wei={BudgetWei}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"settle.unallocated_wei={settled.Result.Unallocated}"));
        Console.WriteLine($"settle.sum_exact={(IsExact(settled, seed) ? "true" : "false")}");
        Print("proof.depth", settled.Depth);

        // The chain side: a claim with a proof of this tree's depth, and the indexer reading a burst of stakes.
        await ChainBenchmark.RunAsync(settled.Leaves, settled.Tree, settled.Result.HeuTotal, settled.Result.EsHeuTotal, events);
        return 0;
    }

    private sealed record Settled(EpochSettlementResult Result, IReadOnlyList<RewardLeaf> Leaves, MerkleTree Tree, List<byte[]>[] Proofs)
    {
        public int Depth => Proofs.Length == 0 ? 0 : Proofs.Max(p => p.Count);
    }

    private static Settled SettleAndProve(EpochSettlementInput input)
    {
        var result = EpochSettlement.Settle(input);
        var leaves = result.Leaves.Select(l => new RewardLeaf(result.Epoch, l.Account, l.Heu, l.EsHeu)).ToList();
        var tree = MerkleTree.Build(leaves);
        var proofs = new List<byte[]>[leaves.Count];
        for (var i = 0; i < proofs.Length; i++)
        {
            proofs[i] = tree.Proof(i);
        }
        return new Settled(result, leaves, tree, proofs);
    }

    /// <summary>The leaves add up to the posted totals, nothing is lost from the budget, and sampled proofs verify.</summary>
    private static bool IsExact(Settled settled, int seed)
    {
        var result = settled.Result;
        var heu = settled.Leaves.Aggregate(BigInteger.Zero, (sum, l) => sum + l.Heu);
        var esHeu = settled.Leaves.Aggregate(BigInteger.Zero, (sum, l) => sum + l.EsHeu);
        var sums = heu == result.HeuTotal
            && esHeu == result.EsHeuTotal
            && heu + esHeu == result.Allocated
            && result.Allocated + result.Unallocated == result.BudgetWei;

#pragma warning disable CA5394 // Which leaves to sample: reproducible from the seed, nothing secret.
        var random = new Random(seed);
        var root = settled.Tree.Root;
        var proofs = Enumerable.Range(0, Math.Min(SampledProofs, settled.Leaves.Count))
            .Select(_ => random.Next(settled.Leaves.Count))
            .All(i => MerkleTree.Verify(settled.Proofs[i], root, settled.Leaves[i].Hash()));
#pragma warning restore CA5394
        return sums && proofs;
    }

    private static void Print(string key, int value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}={value}"));
}
