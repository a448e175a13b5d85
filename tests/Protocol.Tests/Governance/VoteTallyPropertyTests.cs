using System.Globalization;
using System.Text.Json;
using CsCheck;
using Heurist.Protocol.Governance;

namespace Heurist.Protocol.Tests.Governance;

public sealed class VoteTallyPropertyTests
{
    private const long Iterations = 1_500;
    private const long Start = 1_000;
    private const long End = 2_000;

    // Few voters, so that most of them vote several times.
    private static readonly string[] Voters = [.. Enumerable.Range(1, 12).Select(i => "0x" + ((ulong)i * 0x9e3779b97f4a7c15UL).ToString("x40", CultureInfo.InvariantCulture))];

    private static readonly Gen<string> Voter = Gen.Select(Gen.Int[0, Voters.Length - 1], Gen.Bool, (i, upper) => upper ? "0x" + Voters[i][2..].ToUpperInvariant() : Voters[i]);

    // Mostly inside the window and often at the same second, so that a voter's votes tie on time; some at and beyond its edges.
    private static readonly Gen<long> Timestamp = Gen.Frequency(
        (6, Gen.Long[Start, Start + 10]),
        (1, Gen.Long[End - 1, End]),
        (1, Gen.Long[0, Start - 1]),
        (1, Gen.Long[End + 1, 3_000]));

    private static readonly Gen<long> OutsideWindow = Gen.OneOf(Gen.Long[0, Start - 1], Gen.Long[End + 1, 3_000]);

    // Small whole powers make ties (and tied runoff rounds) common; millionths up to a million test decimal sums.
    private static readonly Gen<decimal> Power = Gen.Frequency(
        (1, Gen.Const(0m)),
        (3, Gen.Int[1, 5].Select(p => (decimal)p)),
        (4, Gen.Long[0, 1_000_000_000_000].Select(p => p / 1_000_000m)));

    private static readonly Gen<VotingType> Type = Gen.Enum<VotingType>();

    private static readonly Gen<(VotingType Type, int Count)> Proposal =
        Type.SelectMany(type => (type == VotingType.Basic ? Gen.Const(3) : Gen.Int[1, 7]).Select(count => (type, count)));

    private static int[] Numbers(int count) => [.. Enumerable.Range(1, count)];

    private static Gen<VoteChoice> ValidChoice(VotingType type, int count) => type switch
    {
        VotingType.SingleChoice or VotingType.Basic => Gen.Int[1, count].Select(VoteChoice.OfChoice),
        VotingType.Approval => Gen.Shuffle(Numbers(count), 0, count).Select(c => VoteChoice.OfChoices(c)),
        VotingType.RankedChoice => Gen.Shuffle(Numbers(count)).Select(c => VoteChoice.OfChoices(c)),
        // The first weight is positive, so at least one is.
        _ => Gen.Shuffle(Numbers(count), 1, count).SelectMany(choices => Gen.Select(Gen.Int[1, 10], Gen.Int[0, 10].Array[choices.Length - 1],
            (first, rest) => VoteChoice.OfWeights(choices.Select((c, i) => new ChoiceWeight(c, i == 0 ? first : rest[i - 1] / 4m))))),
    };

    // Any shape, numbers a little out of range, negative weights: mostly invalid, sometimes valid by chance.
    private static Gen<VoteChoice> AnyChoice(int count) => Gen.OneOf(
        Gen.Int[-1, count + 1].Select(VoteChoice.OfChoice),
        Gen.Int[-1, count + 1].Array[0, count + 1].Select(c => VoteChoice.OfChoices(c)),
        Gen.Shuffle(Numbers(count + 2), 0, count + 2).SelectMany(choices => Gen.Int[-2, 3].Array[choices.Length]
            .Select(weights => VoteChoice.OfWeights(choices.Select((c, i) => new ChoiceWeight(c - 1, weights[i]))))));

    private static Gen<VoteChoice> Choice(VotingType type, int count) => Gen.Frequency((8, ValidChoice(type, count)), (1, AnyChoice(count)));

    private static Gen<Vote[]> Votes(VotingType type, int count, Gen<long> timestamp) =>
        Gen.Select(Voter, timestamp, Choice(type, count), Power).Array[0, 30]
            .Select(votes => votes.Select((v, i) => new Vote(v.Item1, v.Item2, v.Item3, v.Item4, $"receipt-{i:D3}")).ToArray());

    private static readonly Gen<VoteTallyInput> Input = Proposal.SelectMany(p => Gen.Select(
        Votes(p.Type, p.Count, Timestamp),
        Gen.Frequency((1, Gen.Const((decimal?)null)), (2, Gen.Long[0, 100_000_000].Select(q => (decimal?)(q / 10_000m)))),
        (votes, quorum) => new VoteTallyInput(p.Type, p.Count, votes, Start, End, quorum)));

    private static string Print(VoteTallyInput input) =>
        $"{input.Type.ToWire()} of {input.ChoiceCount}, quorum {input.Quorum}: "
        + string.Join("; ", input.Votes.Select(v => $"{v.Voter[..6]}{v.Voter[^2..]} t{v.Timestamp} {v.Choice} p{v.Power} {v.ReceiptId[^3..]}"));

    private static string Describe(VoteTallyResult result) =>
        $"{result.Type} [{string.Join(", ", result.Scores)}] total {result.TotalPower} voters {result.VoterCount} quorum {result.Quorum} "
        + $"{result.QuorumReached} leaders [{string.Join(",", result.Leaders)}] invalid {result.InvalidVotes} rounds "
        + string.Join(" | ", result.Rounds.Select(r => $"{r.Number}: [{string.Join(", ", r.Scores.Select(s => s?.ToString(CultureInfo.InvariantCulture) ?? "-"))}] out {r.Eliminated}"));

    /// <summary>Each voter's last valid vote in the window, worked out without the tally's code.</summary>
    private static Vote[] LastValidVotes(VoteTallyInput input) =>
        [.. input.Votes
            .Where(v => v.Timestamp >= input.Start && v.Timestamp <= input.End && v.Choice.Validate(input.Type, input.ChoiceCount) is null)
            .GroupBy(v => v.Voter.ToLowerInvariant())
            .Select(g => g.OrderByDescending(v => v.Timestamp).ThenByDescending(v => v.ReceiptId, StringComparer.Ordinal).First())];

    [Fact]
    public void The_result_does_not_depend_on_the_order_of_the_votes_or_the_case_of_addresses()
        => Gen.Select(Input, Gen.Int).Sample((input, seed) =>
        {
            var random = new Random(seed);
            var shuffled = input.Votes
                .Select(v => v with { Voter = random.Next(2) == 0 ? v.Voter.ToLowerInvariant() : "0x" + v.Voter[2..].ToUpperInvariant() })
                .OrderBy(_ => random.Next())
                .ToArray();

            Assert.Equal(Describe(VoteTally.Compute(input)), Describe(VoteTally.Compute(input with { Votes = shuffled })));
        }, iter: Iterations);

    [Fact]
    public void Only_each_voters_last_valid_vote_in_the_window_counts()
        => Input.Sample(input =>
        {
            var last = LastValidVotes(input);
            var result = VoteTally.Compute(input);
            var fromLastOnly = VoteTally.Compute(input with { Votes = last });

            Assert.Equal(Describe(fromLastOnly with { InvalidVotes = 0 }), Describe(result with { InvalidVotes = 0 }));
            Assert.Equal(last.Length, result.VoterCount);
        }, iter: Iterations, print: Print);

    [Fact]
    public void The_total_power_is_the_sum_of_the_counted_voters_power_and_the_quorum_is_measured_against_it()
        => Input.Sample(input =>
        {
            var result = VoteTally.Compute(input);

            var total = LastValidVotes(input).Sum(v => v.Power);
            Assert.Equal(total, result.TotalPower);
            Assert.Equal(input.Quorum is null || total >= input.Quorum, result.QuorumReached);
            var windowInvalid = input.Votes.Count(v => v.Timestamp >= input.Start && v.Timestamp <= input.End
                && v.Choice.Validate(input.Type, input.ChoiceCount) is not null);
            Assert.Equal(windowInvalid, result.InvalidVotes);
        }, iter: Iterations, print: Print);

    [Fact]
    public void Single_choice_basic_and_ranked_choice_scores_add_up_exactly_to_the_total_power()
        => Input.Where(i => i.Type is VotingType.SingleChoice or VotingType.Basic or VotingType.RankedChoice).Sample(input =>
        {
            var result = VoteTally.Compute(input);

            Assert.Equal(result.TotalPower, result.Scores.Sum());
            Assert.All(result.Scores, s => Assert.True(s >= 0m));
        }, iter: Iterations, print: Print);

    [Fact]
    public void Weighted_and_quadratic_scores_add_up_to_the_total_power_within_rounding()
        => Input.Where(i => i.Type is VotingType.Weighted or VotingType.Quadratic).Sample(input =>
        {
            var result = VoteTally.Compute(input);

            // Decimal division rounds in the 28th digit; quadratic's double shares carry about 15 digits.
            var tolerance = input.Type == VotingType.Weighted ? 1e-18m : result.TotalPower * 1e-12m;
            Assert.True(Math.Abs(result.Scores.Sum() - result.TotalPower) <= tolerance,
                $"scores add up to {result.Scores.Sum()}, the total is {result.TotalPower}");
            Assert.All(result.Scores, s => Assert.True(s >= 0m));
        }, iter: Iterations, print: Print);

    [Fact]
    public void Weighted_and_quadratic_scores_match_a_recount_in_double_as_snapshot_js_counts()
        => Input.Where(i => i.Type is VotingType.Weighted or VotingType.Quadratic).Sample(input =>
        {
            var result = VoteTally.Compute(input);

            var votes = LastValidVotes(input);
            var expected = new double[input.ChoiceCount];
            foreach (var vote in votes)
            {
                var sum = vote.Choice.Weights.Sum(w => (double)w.Weight);
                foreach (var (c, w) in vote.Choice.Weights)
                {
                    var share = (double)w / sum * (double)vote.Power;
                    expected[c - 1] += input.Type == VotingType.Weighted ? share : Math.Sqrt(share);
                }
            }
            if (input.Type == VotingType.Quadratic)
            {
                var squares = expected.Sum(r => r * r);
                expected = [.. expected.Select(r => squares > 0 ? r * r / squares * (double)result.TotalPower : 0)];
            }
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], (double)result.Scores[i], 1e-9 * Math.Max(1, (double)result.TotalPower));
            }
        }, iter: Iterations, print: Print);

    [Fact]
    public void Each_approval_score_is_the_power_of_the_voters_who_approve_it_and_at_most_the_total()
        => Input.Where(i => i.Type == VotingType.Approval).Sample(input =>
        {
            var result = VoteTally.Compute(input);

            var votes = LastValidVotes(input);
            for (var c = 1; c <= input.ChoiceCount; c++)
            {
                Assert.Equal(votes.Where(v => v.Choice.Choices.Contains(c)).Sum(v => v.Power), result.Scores[c - 1]);
                Assert.True(result.Scores[c - 1] <= result.TotalPower);
            }
        }, iter: Iterations, print: Print);

    [Fact]
    public void A_vote_outside_the_window_never_changes_anything()
        => Input.SelectMany(input => Votes(input.Type, input.ChoiceCount, OutsideWindow).Select(extra => (input, extra))).Sample((input, extra) =>
        {
            var renamed = extra.Select(v => v with { ReceiptId = "outside-" + v.ReceiptId }).ToArray();

            Assert.Equal(Describe(VoteTally.Compute(input)), Describe(VoteTally.Compute(input with { Votes = [.. input.Votes, .. renamed] })));
        }, iter: Iterations);

    [Fact]
    public void An_invalid_vote_changes_nothing_but_the_count_of_invalid_votes()
        => Input.SelectMany(input => Gen.Select(Voter, Gen.Long[Start, End], AnyChoice(input.ChoiceCount), Power).Array[1, 10]
            .Select(extra => (input, extra.Select((v, i) => new Vote(v.Item1, v.Item2, v.Item3, v.Item4, $"extra-{i:D3}")).ToArray()))).Sample((input, extra) =>
        {
            var invalid = extra.Where(v => v.Choice.Validate(input.Type, input.ChoiceCount) is not null).ToArray();
            var before = VoteTally.Compute(input);
            var after = VoteTally.Compute(input with { Votes = [.. input.Votes, .. invalid] });

            Assert.Equal(before.InvalidVotes + invalid.Length, after.InvalidVotes);
            Assert.Equal(Describe(before with { InvalidVotes = 0 }), Describe(after with { InvalidVotes = 0 }));
        }, iter: Iterations);

    [Fact]
    public void Each_runoff_round_eliminates_the_lowest_choice_until_one_has_a_majority_or_two_remain()
        => Input.Where(i => i.Type == VotingType.RankedChoice).Sample(input =>
        {
            var result = VoteTally.Compute(input);

            Assert.Equal(result.VoterCount == 0, result.Rounds.Count == 0);
            var eliminated = new HashSet<int>();
            for (var r = 0; r < result.Rounds.Count; r++)
            {
                var round = result.Rounds[r];
                Assert.Equal(r + 1, round.Number);
                var remaining = Enumerable.Range(1, input.ChoiceCount).Where(c => !eliminated.Contains(c)).ToArray();
                Assert.All(Enumerable.Range(1, input.ChoiceCount), c => Assert.Equal(eliminated.Contains(c), round.Scores[c - 1] is null));
                Assert.Equal(result.TotalPower, round.Scores.Sum(s => s ?? 0m));
                var top = remaining.Max(c => round.Scores[c - 1]!.Value);
                var majority = top > result.TotalPower / 2;
                var last = r == result.Rounds.Count - 1;
                Assert.Equal(last, majority || remaining.Length < 3);
                if (last)
                {
                    Assert.Null(round.Eliminated);
                    Assert.Equal(remaining.Select(c => round.Scores[c - 1]!.Value), remaining.Select(c => result.Scores[c - 1]));
                    Assert.All(eliminated, c => Assert.Equal(0m, result.Scores[c - 1]));
                }
                else
                {
                    var lowest = remaining.Min(c => round.Scores[c - 1]!.Value);
                    Assert.Equal(remaining.First(c => round.Scores[c - 1] == lowest), round.Eliminated);
                    eliminated.Add(round.Eliminated!.Value);
                }
            }
        }, iter: Iterations, print: Print);

    [Fact]
    public void The_leaders_are_the_choices_with_the_top_score_and_abstain_never_leads()
        => Input.Sample(input =>
        {
            var result = VoteTally.Compute(input);

            var candidates = input.Type == VotingType.Basic ? 2 : input.ChoiceCount;
            var top = result.Scores.Take(candidates).Max();
            var expected = top > 0m ? Enumerable.Range(1, candidates).Where(c => result.Scores[c - 1] == top) : [];
            Assert.Equal(expected, result.Leaders);
        }, iter: Iterations, print: Print);

    [Fact]
    public void Every_valid_choice_reads_back_from_its_json_and_is_accepted_and_out_of_range_choices_are_refused()
        => Proposal.SelectMany(p => Gen.Select(ValidChoice(p.Type, p.Count), Gen.Int[1, 3], Gen.Bool, (choice, by, above) => (p, choice, by, above)))
            .Sample(t =>
            {
                var (type, count) = t.p;
                using var document = JsonDocument.Parse(t.choice.ToString());
                Assert.True(VoteChoice.TryParse(document.RootElement, out var read, out var error), error);
                Assert.Equal(t.choice, read);
                Assert.Null(read.Validate(type, count));

                // Move one choice number out of range: above the count, or to 0 or below.
                var wrong = t.above ? count + t.by : 1 - t.by;
                var outOfRange = t.choice.Kind switch
                {
                    VoteChoiceKind.Choice => VoteChoice.OfChoice(wrong),
                    VoteChoiceKind.Choices when t.choice.Choices.Count > 0 => VoteChoice.OfChoices([wrong, .. t.choice.Choices.Skip(1)]),
                    VoteChoiceKind.Choices => VoteChoice.OfChoices([wrong]),
                    _ => VoteChoice.OfWeights([new ChoiceWeight(wrong, 1m), .. t.choice.Weights]),
                };
                Assert.Equal($"choice {wrong} is out of range: the proposal has {count} choice{(count == 1 ? "" : "s")}", outOfRange.Validate(type, count));
            }, iter: Iterations);
}
