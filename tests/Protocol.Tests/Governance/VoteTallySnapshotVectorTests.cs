using Heurist.Protocol.Governance;
using static Heurist.Protocol.Tests.Governance.Ballots;

namespace Heurist.Protocol.Tests.Governance;

/// <summary>
/// The expected scores and totals are what snapshot.js 0.17.5 computes for the same votes, one voter each: run
/// snapshot-vectors.mjs (next to this file) to print them. Snapshot counts in double, so the types whose scores are
/// not sums of the given powers are compared to within 1e-9.
/// </summary>
public sealed class VoteTallySnapshotVectorTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void A_single_choice_vote_gives_all_its_power_to_its_choice()
    {
        var result = Tally(VotingType.SingleChoice, 3, ("1", 10m), ("2", 5.5m), ("1", 2.25m), ("3", 0.125m));

        Assert.Equal([12.25m, 5.5m, 0.125m], result.Scores);
        Assert.Equal(17.875m, result.TotalPower);
        Assert.Equal(4, result.VoterCount);
        Assert.Equal([1], result.Leaders);
        Assert.Empty(result.Rounds);
    }

    [Fact]
    public void A_basic_vote_counts_like_single_choice_but_abstain_never_leads()
    {
        var result = Tally(VotingType.Basic, 3, ("1", 40m), ("2", 35m), ("3", 50m), ("2", 7.5m));

        Assert.Equal([40m, 42.5m, 50m], result.Scores);
        Assert.Equal(132.5m, result.TotalPower);
        Assert.Equal([2], result.Leaders);
    }

    [Fact]
    public void An_approval_vote_counts_its_full_power_for_each_choice()
    {
        var result = Tally(VotingType.Approval, 4, ("[1,2]", 10m), ("[2,3]", 5m), ("[]", 3m), ("[4]", 7m), ("[1,2,3,4]", 1m));

        Assert.Equal([11m, 16m, 6m, 8m], result.Scores);
        // The empty approval approves nothing but its voter and power are counted, as in Snapshot's total.
        Assert.Equal(26m, result.TotalPower);
        Assert.Equal(5, result.VoterCount);
        Assert.Equal([2], result.Leaders);
    }

    [Theory]
    [InlineData(3, new[] { "[1,2,3]", "[2,3,1]", "[3,2,1]" }, new[] { 60, 25, 15 }, new[] { 60, 25, 15 })]
    [InlineData(4, new[] { "[1,2,3,4]", "[2,3,1,4]", "[3,2,1,4]", "[4,2,3,1]" }, new[] { 40, 30, 20, 10 }, new[] { 40, 60, 0, 0 })]
    [InlineData(3, new[] { "[1,2,3]", "[2,3,1]", "[3,1,2]" }, new[] { 40, 30, 30 }, new[] { 40, 0, 60 })]
    [InlineData(4, new[] { "[1,4,2,3]", "[2,4,1,3]", "[3,4,1,2]" }, new[] { 40, 35, 25 }, new[] { 65, 35, 0, 0 })]
    [InlineData(3, new[] { "[1,2,3]", "[2,1,3]", "[3,1,2]", "[3,2,1]" }, new[] { 30, 30, 5, 5 }, new[] { 35, 35, 0 })]
    public void Ranked_choice_final_scores_match_snapshot(int choiceCount, string[] rankings, int[] powers, int[] snapshotScores)
    {
        var result = Tally(VotingType.RankedChoice, choiceCount, [.. rankings.Zip(powers, (r, p) => (r, (decimal)p))]);

        Assert.Equal(snapshotScores.Select(s => (decimal)s), result.Scores);
        Assert.Equal(powers.Sum(), result.TotalPower);
    }

    [Fact]
    public void Ranked_choice_with_five_choices_and_fractional_power_matches_snapshot()
    {
        var result = Tally(VotingType.RankedChoice, 5,
            ("[3,1,2,5,4]", 12.5m), ("[1,3,2,4,5]", 9m), ("[2,1,3,4,5]", 7.25m), ("[5,4,2,1,3]", 3m),
            ("[4,5,3,2,1]", 4m), ("[2,3,1,5,4]", 6m), ("[5,2,4,3,1]", 2.5m), ("[1,2,3,4,5]", 1.75m));

        Assert.Equal([0m, 20.5m, 25.5m, 0m, 0m], result.Scores);
        Assert.Equal(46m, result.TotalPower);
        Assert.Equal([3], result.Leaders);
    }

    [Fact]
    public void A_weighted_vote_splits_its_power_in_proportion_to_its_weights()
    {
        var result = Tally(VotingType.Weighted, 3,
            ("""{"1":1,"2":1}""", 10m), ("""{"1":3,"3":1}""", 8m), ("""{"2":1,"3":2}""", 3m), ("""{"1":1,"2":2}""", 1m), ("""{"1":0,"3":5}""", 0.7m));

        Assert.Equal(11.333333333333334, (double)result.Scores[0], Tolerance);
        Assert.Equal(6.666666666666666, (double)result.Scores[1], Tolerance);
        Assert.Equal(4.699999999999999, (double)result.Scores[2], Tolerance);
        Assert.Equal(22.7m, result.TotalPower);
        Assert.Equal([1], result.Leaders);
    }

    [Fact]
    public void A_quadratic_tally_favours_many_small_voters_over_one_large_one()
    {
        // √100 = 10 for choice 1 against 4 × √25 = 20 for choice 2: raw scores 100 and 400, scaled to the total 200.
        var result = Tally(VotingType.Quadratic, 2,
            ("""{"1":1}""", 100m), ("""{"2":1}""", 25m), ("""{"2":1}""", 25m), ("""{"2":1}""", 25m), ("""{"2":1}""", 25m));

        Assert.Equal(40d, (double)result.Scores[0], Tolerance);
        Assert.Equal(160d, (double)result.Scores[1], Tolerance);
        Assert.Equal(200m, result.TotalPower);
        Assert.Equal([2], result.Leaders);
    }

    [Fact]
    public void A_quadratic_tally_with_split_weights_matches_snapshot()
    {
        var result = Tally(VotingType.Quadratic, 3,
            ("""{"1":1,"3":3}""", 16m), ("""{"2":2,"3":1}""", 9m), ("""{"1":1,"2":1,"3":1}""", 30m), ("""{"2":5}""", 2.5m), ("""{"1":0,"3":1}""", 1m));

        Assert.Equal(9.393258088972189, (double)result.Scores[0], Tolerance);
        Assert.Equal(18.236535356090556, (double)result.Scores[1], Tolerance);
        Assert.Equal(30.87020655493725, (double)result.Scores[2], Tolerance);
        Assert.Equal(58.5m, result.TotalPower);
        Assert.Equal([3], result.Leaders);
    }
}
