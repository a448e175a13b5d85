using System.Diagnostics;
using Heurist.Protocol.Governance;

namespace Heurist.Bench.Governance;

/// <summary>tally.ms: VoteTally over 100,000 votes of each voting type, the median of five runs, in process.</summary>
internal static class TallyBenchmark
{
    public const int Votes = 100_000;

    public const int Choices = 5;

    private const int Runs = 5;

    public static void Run()
    {
        var slowest = 0.0;
        foreach (var type in Enum.GetValues<VotingType>())
        {
            var choices = type == VotingType.Basic ? ProposalChoices.BasicCount : Choices;
            var input = new VoteTallyInput(type, choices, Ballots(type, choices, seed: 42), Start: 0, End: 1_000_000);
            VoteTally.Compute(input);
            var times = new List<double>();
            for (var run = 0; run < Runs; run++)
            {
                var clock = Stopwatch.StartNew();
                var result = VoteTally.Compute(input);
                times.Add(clock.Elapsed.TotalMilliseconds);
                if (result.VoterCount != Votes)
                {
                    throw new InvalidOperationException($"{type.ToWire()} counted {result.VoterCount} voters of {Votes}.");
                }
            }
            times.Sort();
            var median = times[Runs / 2];
            slowest = Math.Max(slowest, median);
            Output.Line($"tally.ms.{type.ToWire()}", median);
        }
        Output.Line("tally.ms", slowest);
    }

    /// <summary>One vote per voter, with the choice shapes a real Snapshot client sends for the type.</summary>
    private static List<Vote> Ballots(VotingType type, int choices, int seed)
    {
        var random = new Random(seed);
        var votes = new List<Vote>(Votes);
        for (var i = 0; i < Votes; i++)
        {
            var voter = "0x" + i.ToString("x40", System.Globalization.CultureInfo.InvariantCulture);
            var power = (decimal)random.Next(1, 1_000_000) / 100m;
            votes.Add(new Vote(voter, random.Next(1, 1_000_000), Choice(type, choices, random), power, $"0x{i:x64}"));
        }
        return votes;
    }

    private static VoteChoice Choice(VotingType type, int choices, Random random)
    {
        switch (type)
        {
            case VotingType.SingleChoice:
            case VotingType.Basic:
                return VoteChoice.OfChoice(random.Next(1, choices + 1));
            case VotingType.Approval:
                return VoteChoice.OfChoices(Enumerable.Range(1, choices).Where(_ => random.Next(2) == 1));
            case VotingType.RankedChoice:
                var order = Enumerable.Range(1, choices).ToArray();
                random.Shuffle(order);
                return VoteChoice.OfChoices(order);
            default:
                return VoteChoice.OfWeights(Enumerable.Range(1, choices)
                    .Select(c => new ChoiceWeight(c, random.Next(0, 4)))
                    .Where(w => w.Weight > 0)
                    .DefaultIfEmpty(new ChoiceWeight(1, 1)));
        }
    }
}
