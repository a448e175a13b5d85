using static System.FormattableString;

namespace Heurist.Protocol.Governance;

/// <summary>
/// Counts a proposal's votes as Snapshot does (snapshot.js's voting classes), deterministically: the same votes in any
/// order give the same result.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Only votes with Start ≤ Timestamp ≤ End count.</item>
/// <item>Votes whose choice is not valid for the proposal (<see cref="VoteChoice.Validate"/>) are skipped as if never
/// cast, so they neither count nor replace the voter's earlier vote: Snapshot's hub refuses them when they are sent.</item>
/// <item>Of each voter's remaining votes (voters compared ignoring case) only the last counts: the latest Timestamp,
/// and on equal timestamps the larger ReceiptId (ordinal).</item>
/// <item>TotalPower is the sum of the counted voters' power, VoterCount their number (a voter with 0 power counts).
/// The quorum, when there is one, is reached when TotalPower is at least the quorum. That is Snapshot's default
/// quorum, which counts every vote; for basic it is For + Against + Abstain.</item>
/// <item>Scores per type:
/// <list type="bullet">
/// <item>single-choice and basic: each voter's power goes to its choice.</item>
/// <item>approval: each voter's full power goes to each choice it approves, so scores may add up to more than TotalPower.</item>
/// <item>weighted: a choice gets Weight / (the sum of the vote's weights) × Power from each vote. Snapshot then scales
/// the scores so they add up to the total, which changes nothing but floating-point error; here the scores are
/// decimal and add up to TotalPower but for rounding in decimal's 28th significant digit.</item>
/// <item>quadratic: a choice's raw score is the square of the sum, over the votes, of √(Weight / (the sum of the
/// vote's weights) × Power); the raw scores are then scaled to add up to TotalPower. The square roots and squares are computed in
/// double, and each choice's share of the raw total converted to decimal, so the scores are accurate to about 15
/// significant digits.</item>
/// <item>ranked-choice: instant runoff. Each round counts every ballot for its highest-ranked remaining choice. It is
/// the final round when a choice has more than half of TotalPower or fewer than 3 choices remain; otherwise the
/// choice with the lowest score is eliminated, and on a tie for lowest the one with the smallest choice number, as
/// snapshot.js does. The scores are the final round's, 0 for eliminated choices.</item>
/// </list></item>
/// <item>To keep sums independent of the order of the input, the counted votes are added up in the order of their
/// voters (ordinal, ignoring case).</item>
/// </list>
/// The work is O(votes × choices), plus O(rounds × votes) for ranked-choice and sorting the counted votes. Decimal sums above about 7.9 × 10²⁸
/// throw <see cref="OverflowException"/>.
/// </remarks>
public static class VoteTally
{
    /// <summary>Tallies <paramref name="input"/>; see the class remarks for the rules.</summary>
    /// <exception cref="ArgumentException">
    /// A field is out of range or missing, or two valid votes of a voter have the same timestamp and receipt; ParamName
    /// names the field, such as <c>Votes[2].Power</c>.
    /// </exception>
    public static VoteTallyResult Compute(VoteTallyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Validate(input);

        var (counted, invalid) = LastValidVotes(input);
        var n = input.ChoiceCount;
        var total = 0m;
        foreach (var vote in counted)
        {
            total += vote.Power;
        }

        var rounds = Array.Empty<RankedChoiceRound>();
        var scores = input.Type switch
        {
            VotingType.SingleChoice or VotingType.Basic => SingleChoiceScores(counted, n),
            VotingType.Approval => ApprovalScores(counted, n),
            VotingType.Weighted => WeightedScores(counted, n),
            VotingType.Quadratic => QuadraticScores(counted, n, total),
            _ => InstantRunoff(counted, n, total, out rounds),
        };

        return new VoteTallyResult(
            input.Type,
            Array.AsReadOnly(scores),
            total,
            counted.Length,
            input.Quorum,
            input.Quorum is not { } quorum || total >= quorum,
            Leaders(input.Type, scores),
            Array.AsReadOnly(rounds),
            invalid);
    }

    private static (Vote[] Counted, int Invalid) LastValidVotes(VoteTallyInput input)
    {
        var last = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var invalid = 0;
        for (var i = 0; i < input.Votes.Count; i++)
        {
            var vote = input.Votes[i];
            if (vote.Timestamp < input.Start || vote.Timestamp > input.End)
            {
                continue;
            }
            if (vote.Choice.Validate(input.Type, input.ChoiceCount) is not null)
            {
                invalid++;
                continue;
            }
            if (!last.TryGetValue(vote.Voter, out var j) || IsLater(vote, input.Votes[j], i, j))
            {
                last[vote.Voter] = i;
            }
        }

        var counted = new Vote[last.Count];
        var k = 0;
        foreach (var i in last.Values)
        {
            counted[k++] = input.Votes[i];
        }
        Array.Sort(counted, static (a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Voter, b.Voter));
        return (counted, invalid);
    }

    private static bool IsLater(Vote vote, Vote current, int index, int currentIndex)
    {
        if (vote.Timestamp != current.Timestamp)
        {
            return vote.Timestamp > current.Timestamp;
        }
        var byReceipt = string.CompareOrdinal(vote.ReceiptId, current.ReceiptId);
        // Otherwise which vote counts would depend on the order of the input.
        return byReceipt != 0
            ? byReceipt > 0
            : throw new ArgumentException(
                Invariant($"'{vote.ReceiptId}' is also the receipt of Votes[{currentIndex}], a valid vote by the same voter at the same time"),
                Invariant($"{nameof(VoteTallyInput.Votes)}[{index}].{nameof(Vote.ReceiptId)}"));
    }

    private static decimal[] SingleChoiceScores(Vote[] votes, int n)
    {
        var scores = new decimal[n];
        foreach (var vote in votes)
        {
            scores[vote.Choice.Choice - 1] += vote.Power;
        }
        return scores;
    }

    private static decimal[] ApprovalScores(Vote[] votes, int n)
    {
        var scores = new decimal[n];
        foreach (var vote in votes)
        {
            foreach (var c in vote.Choice.ChoiceArray)
            {
                scores[c - 1] += vote.Power;
            }
        }
        return scores;
    }

    private static decimal[] WeightedScores(Vote[] votes, int n)
    {
        var scores = new decimal[n];
        foreach (var vote in votes)
        {
            var weights = vote.Choice.WeightArray;
            var sum = SumOfWeights(weights);
            var perWeight = PowerPerWeight(vote.Power, sum);
            foreach (var (c, w) in weights)
            {
                scores[c - 1] += Share(w, sum, vote.Power, perWeight);
            }
        }
        return scores;
    }

    private static decimal[] QuadraticScores(Vote[] votes, int n, decimal total)
    {
        var roots = new double[n];
        foreach (var vote in votes)
        {
            var weights = vote.Choice.WeightArray;
            var sum = SumOfWeights(weights);
            var perWeight = PowerPerWeight(vote.Power, sum);
            foreach (var (c, w) in weights)
            {
                roots[c - 1] += Math.Sqrt((double)Share(w, sum, vote.Power, perWeight));
            }
        }
        var squares = 0d;
        for (var i = 0; i < n; i++)
        {
            roots[i] *= roots[i];
            squares += roots[i];
        }
        var scores = new decimal[n];
        if (squares > 0d)
        {
            for (var i = 0; i < n; i++)
            {
                scores[i] = total * (decimal)(roots[i] / squares);
            }
        }
        return scores;
    }

    // One division per vote rather than per weight, and exact whenever the power per unit of weight is (weights 0.5
    // and 0.25 of 12: 12 / 0.75 = 16, so 8 and 4, where 0.25 / 0.75 × 12 would be 3.99…96). When Power / sum could
    // overflow (a sum below 1 with a huge power) the fraction Weight / sum, at most 1, is taken first instead.
    private static decimal? PowerPerWeight(decimal power, decimal sumOfWeights) =>
        sumOfWeights >= 1m || power <= decimal.MaxValue * sumOfWeights ? power / sumOfWeights : null;

    private static decimal Share(decimal weight, decimal sumOfWeights, decimal power, decimal? powerPerWeight) =>
        powerPerWeight is { } perWeight ? weight * perWeight : weight / sumOfWeights * power;

    private static decimal SumOfWeights(ChoiceWeight[] weights)
    {
        var sum = 0m;
        foreach (var (_, w) in weights)
        {
            sum += w;
        }
        return sum;
    }

    private static decimal[] InstantRunoff(Vote[] ballots, int n, decimal total, out RankedChoiceRound[] rounds)
    {
        var finalScores = new decimal[n];
        if (ballots.Length == 0)
        {
            rounds = [];
            return finalScores;
        }

        // Each ballot's position in its ranking: it only moves down, past eliminated choices, so over all rounds the
        // moves cost O(votes × choices) and each round's count O(votes).
        var position = new int[ballots.Length];
        var eliminated = new bool[n];
        var remaining = n;
        var list = new List<RankedChoiceRound>();
        while (true)
        {
            var scores = new decimal[n];
            for (var b = 0; b < ballots.Length; b++)
            {
                var ranking = ballots[b].Choice.ChoiceArray;
                var p = position[b];
                while (eliminated[ranking[p] - 1])
                {
                    p++;
                }
                position[b] = p;
                scores[ranking[p] - 1] += ballots[b].Power;
            }

            var top = decimal.MinValue;
            var bottom = -1;
            for (var i = 0; i < n; i++)
            {
                if (eliminated[i])
                {
                    continue;
                }
                top = Math.Max(top, scores[i]);
                // Strictly lower only: on a tie for lowest the smallest choice number stays the one eliminated.
                if (bottom < 0 || scores[i] < scores[bottom])
                {
                    bottom = i;
                }
            }

            var standing = new decimal?[n];
            for (var i = 0; i < n; i++)
            {
                standing[i] = eliminated[i] ? null : scores[i];
            }
            // top > total − top is top > total / 2 without rounding the half.
            if (top > total - top || remaining < 3)
            {
                list.Add(new RankedChoiceRound(list.Count + 1, Array.AsReadOnly(standing), null));
                Array.Copy(scores, finalScores, n);
                break;
            }
            list.Add(new RankedChoiceRound(list.Count + 1, Array.AsReadOnly(standing), bottom + 1));
            eliminated[bottom] = true;
            remaining--;
        }
        rounds = [.. list];
        return finalScores;
    }

    private static int[] Leaders(VotingType type, decimal[] scores)
    {
        // Abstain is a way to be counted without taking a side, so it never leads.
        var candidates = type == VotingType.Basic ? ProposalChoices.BasicAgainst : scores.Length;
        var top = 0m;
        for (var i = 0; i < candidates; i++)
        {
            top = Math.Max(top, scores[i]);
        }
        if (top <= 0m)
        {
            return [];
        }
        var leaders = new List<int>();
        for (var i = 0; i < candidates; i++)
        {
            // An eliminated choice's final score is 0, below top, so ranked-choice leaders are among the last round's.
            if (scores[i] == top)
            {
                leaders.Add(i + 1);
            }
        }
        return [.. leaders];
    }

    private static void Validate(VoteTallyInput input)
    {
        if (!Enum.IsDefined(input.Type))
        {
            throw OutOfRange(nameof(input.Type), input.Type, "is not a voting type");
        }
        if (ProposalChoices.ValidateCount(input.Type, input.ChoiceCount) is { } problem)
        {
            throw OutOfRange(nameof(input.ChoiceCount), input.ChoiceCount, problem);
        }
        if (input.End < input.Start)
        {
            throw OutOfRange(nameof(input.End), input.End, "must not be before Start");
        }
        if (input.Quorum < 0m)
        {
            throw OutOfRange(nameof(input.Quorum), input.Quorum, "must be at least 0");
        }
        if (input.Votes is null)
        {
            throw Missing(nameof(input.Votes));
        }
        for (var i = 0; i < input.Votes.Count; i++)
        {
            var field = Invariant($"{nameof(input.Votes)}[{i}]");
            var vote = input.Votes[i] ?? throw Missing(field);
            if (string.IsNullOrWhiteSpace(vote.Voter))
            {
                throw Missing($"{field}.{nameof(vote.Voter)}");
            }
            if (vote.Choice is null)
            {
                throw Missing($"{field}.{nameof(vote.Choice)}");
            }
            if (vote.ReceiptId is null)
            {
                throw Missing($"{field}.{nameof(vote.ReceiptId)}");
            }
            if (vote.Power < 0m)
            {
                throw OutOfRange($"{field}.{nameof(vote.Power)}", vote.Power, "must be at least 0");
            }
        }
    }

    private static ArgumentException Missing(string field) => new("is required", field);

    private static ArgumentOutOfRangeException OutOfRange(string field, object? value, string message) => new(field, value, message);
}
