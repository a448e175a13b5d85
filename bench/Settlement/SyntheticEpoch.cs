using System.Numerics;
using Heurist.Protocol.Rewards;

namespace Heurist.Bench.Settlement;

/// <summary>
/// A synthetic epoch drawn from a seed, since tools/NetworkGenerator writes a database (and caps its stakers at
/// 5,000) rather than handing back settlement inputs. The shape: points heavy-tailed (Pareto), some miners with no
/// points in a pool; total stakes spread over the efficiency curve, exactly on its 10,000 and 100,000 token edges and
/// one wei either side included; distinct staker addresses, every miner with at least one, most stakers on one miner
/// and some on up to eight, popular miners drawing many; bribes 0 to 10,000 bps; a third of owners stake on their own
/// miner, so their two payouts share a leaf.
/// </summary>
#pragma warning disable CA5394 // Synthetic benchmark data: reproducible from a seed, nothing secret.
internal static class SyntheticEpoch
{
    private static readonly BigInteger Wei = StakeEfficiencyWei.WeiPerToken;

    private static readonly BigInteger[] Edges =
    [
        StakeEfficiencyWei.MinimumStakeWei - 1,
        StakeEfficiencyWei.MinimumStakeWei,
        StakeEfficiencyWei.MinimumStakeWei + 1,
        StakeEfficiencyWei.FullStakeWei - 1,
        StakeEfficiencyWei.FullStakeWei,
        StakeEfficiencyWei.FullStakeWei + 1,
    ];

    public static IReadOnlyList<MinerEpochInput> Miners(int minerCount, int stakerCount, int seed)
    {
        var random = new Random(seed);
        var used = new HashSet<string>(StringComparer.Ordinal);
        string NewAddress(int bytes)
        {
            var buffer = new byte[bytes];
            string address;
            do
            {
                random.NextBytes(buffer);
                address = "0x" + Convert.ToHexStringLower(buffer);
            }
            while (!used.Add(address));
            return address;
        }

        var stakersOf = new List<string>[minerCount];
        for (var m = 0; m < minerCount; m++)
        {
            stakersOf[m] = [];
        }
        var picked = new HashSet<int>();
        for (var s = 0; s < stakerCount; s++)
        {
            var account = NewAddress(20);
            var roll = random.NextDouble();
            var count = Math.Min(minerCount, roll < 0.80 ? 1 : roll < 0.95 ? random.Next(2, 4) : random.Next(4, 9));
            picked.Clear();
            // The first stakers cover every miner once; after that, miner m is chosen with density ∝ 1/√m, a heavy tail.
            if (s < minerCount)
            {
                picked.Add(s);
            }
            while (picked.Count < count)
            {
                var u = random.NextDouble();
                picked.Add((int)(minerCount * u * u));
            }
            foreach (var m in picked)
            {
                stakersOf[m].Add(account);
            }
        }

        var miners = new MinerEpochInput[minerCount];
        for (var m = 0; m < minerCount; m++)
        {
            var id = NewAddress(32);
            var accounts = stakersOf[m];
            var selfStaked = accounts.Count > 0 && random.NextDouble() < 1.0 / 3;
            var rewardAddress = selfStaked ? accounts[random.Next(accounts.Count)] : NewAddress(20);
            var waifu = random.NextDouble() < 0.15 ? 0m : Points(random);
            var llama = random.NextDouble() < 0.30 ? 0m : Points(random);
            var bribeBps = random.NextDouble() < 0.2 ? 0 : random.Next(0, EpochSettlement.MaxBps + 1);
            miners[m] = new MinerEpochInput(id, rewardAddress, waifu, llama, bribeBps, Split(TotalStake(random), accounts, random));
        }
        return miners;
    }

    /// <summary>Pareto with α = 1.2 from 1 point, capped at 100,000 points, to the micro-point.</summary>
    private static decimal Points(Random random)
        => Math.Round((decimal)Math.Min(100_000, 1 / Math.Pow(1 - random.NextDouble(), 1 / 1.2)), 6);

    private static BigInteger TotalStake(Random random)
    {
        var roll = random.NextDouble();
        if (roll < 0.06)
        {
            return Edges[random.Next(Edges.Length)];
        }
        var tokens = roll < 0.16 ? random.NextDouble() * 10_000
            : roll < 0.76 ? LogUniform(random, 10_000, 100_000)
            : LogUniform(random, 100_000, 2_000_000);
        // Micro-token steps plus a few wei, so the amounts are not round.
        return new BigInteger(Math.Floor(tokens * 1_000_000)) * (Wei / 1_000_000) + random.Next(1_000_000);
    }

    private static double LogUniform(Random random, double min, double max)
        => Math.Exp(Math.Log(min) + (Math.Log(max) - Math.Log(min)) * random.NextDouble());

    /// <summary>Splits <paramref name="total"/> over the accounts by random heavy-tailed weights; the parts add up to it exactly.</summary>
    private static StakerStake[] Split(BigInteger total, List<string> accounts, Random random)
    {
        var weights = accounts.Select(_ => (long)Math.Min(1e12, 1_000_000 / Math.Pow(1 - random.NextDouble(), 1 / 1.5))).ToArray();
        var sum = weights.Sum();
        var stakes = new StakerStake[accounts.Count];
        var left = total;
        for (var j = 0; j < accounts.Count; j++)
        {
            var stake = j == accounts.Count - 1 ? left : total * weights[j] / sum;
            left -= stake;
            stakes[j] = new StakerStake(accounts[j], stake);
        }
        return stakes;
    }
}
