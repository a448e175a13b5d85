using Heurist.Protocol.Governance;
using static Heurist.Protocol.Tests.Governance.Ballots;

namespace Heurist.Protocol.Tests.Governance;

/// <summary>Ranked-choice rounds worked out by hand; the final scores agree with snapshot.js (see VoteTallySnapshotVectorTests).</summary>
public sealed class InstantRunoffTests
{
    private static void AssertRound(RankedChoiceRound round, int number, decimal?[] scores, int? eliminated)
    {
        Assert.Equal(number, round.Number);
        Assert.Equal(scores, round.Scores);
        Assert.Equal(eliminated, round.Eliminated);
    }

    [Fact]
    public void A_first_round_majority_ends_the_count_at_once()
    {
        // Ballots: [1,2,3] × 60, [2,3,1] × 25, [3,2,1] × 15; total 100, a majority is more than 50.
        // Round 1: choice 1 has 60, choice 2 has 25, choice 3 has 15. 60 > 50: choice 1 wins, nobody is eliminated.
        var result = Tally(VotingType.RankedChoice, 3, ("[1,2,3]", 60m), ("[2,3,1]", 25m), ("[3,2,1]", 15m));

        Assert.Single(result.Rounds);
        AssertRound(result.Rounds[0], 1, [60m, 25m, 15m], null);
        Assert.Equal([60m, 25m, 15m], result.Scores);
        Assert.Equal([1], result.Leaders);
    }

    [Fact]
    public void Eliminations_transfer_votes_to_the_next_preference_and_can_change_the_winner()
    {
        // Ballots: A [1,2,3,4] × 40, B [2,3,1,4] × 30, C [3,2,1,4] × 20, D [4,2,3,1] × 10; total 100.
        // Round 1: 1 → 40 (A), 2 → 30 (B), 3 → 20 (C), 4 → 10 (D). No majority; 4 is lowest and is eliminated.
        // Round 2: D moves to its next choice, 2: 1 → 40, 2 → 30 + 10 = 40, 3 → 20. No majority; 3 is eliminated.
        // Round 3: C moves to 2: 1 → 40, 2 → 40 + 20 = 60. 60 > 50: choice 2 wins, though choice 1 led round 1.
        var result = Tally(VotingType.RankedChoice, 4, ("[1,2,3,4]", 40m), ("[2,3,1,4]", 30m), ("[3,2,1,4]", 20m), ("[4,2,3,1]", 10m));

        Assert.Equal(3, result.Rounds.Count);
        AssertRound(result.Rounds[0], 1, [40m, 30m, 20m, 10m], 4);
        AssertRound(result.Rounds[1], 2, [40m, 40m, 20m, null], 3);
        AssertRound(result.Rounds[2], 3, [40m, 60m, null, null], null);
        Assert.Equal([40m, 60m, 0m, 0m], result.Scores);
        Assert.Equal([2], result.Leaders);
    }

    [Fact]
    public void On_a_tie_for_last_place_the_lowest_numbered_choice_is_eliminated()
    {
        // Ballots: A [1,2,3] × 40, B [2,3,1] × 30, C [3,1,2] × 30; total 100.
        // Round 1: 1 → 40, 2 → 30, 3 → 30. No majority; 2 and 3 tie for last. As snapshot.js does, the lower-numbered
        //   choice, 2, is eliminated.
        // Round 2: B moves to 3: 1 → 40, 3 → 30 + 30 = 60. Choice 3 wins. (Had 3 been eliminated, C would have gone to
        //   1, which would have won with 70.)
        var result = Tally(VotingType.RankedChoice, 3, ("[1,2,3]", 40m), ("[2,3,1]", 30m), ("[3,1,2]", 30m));

        Assert.Equal(2, result.Rounds.Count);
        AssertRound(result.Rounds[0], 1, [40m, 30m, 30m], 2);
        AssertRound(result.Rounds[1], 2, [40m, null, 60m], null);
        Assert.Equal([40m, 0m, 60m], result.Scores);
        Assert.Equal([3], result.Leaders);
    }

    [Fact]
    public void Five_choices_with_fractional_power_take_four_rounds()
    {
        // Ballots: A [3,1,2,5,4] × 12.5, B [1,3,2,4,5] × 9, C [2,1,3,4,5] × 7.25, D [5,4,2,1,3] × 3,
        //          E [4,5,3,2,1] × 4, F [2,3,1,5,4] × 6, G [5,2,4,3,1] × 2.5, H [1,2,3,4,5] × 1.75; total 46, majority > 23.
        // Round 1: 1 → B + H = 10.75, 2 → C + F = 13.25, 3 → A = 12.5, 4 → E = 4, 5 → D + G = 5.5. Eliminate 4.
        // Round 2: E moves to 5: 5 → 9.5; the others as before. Eliminate 5 (9.5).
        // Round 3: D skips 4 to 2, E skips 4 and 5 to 3, G goes to 2: 1 → 10.75, 2 → 13.25 + 3 + 2.5 = 18.75,
        //          3 → 12.5 + 4 = 16.5. No majority; eliminate 1.
        // Round 4: B moves to 3, H to 2: 2 → 20.5, 3 → 25.5 > 23. Choice 3 wins, though choice 2 led round 1.
        var result = Tally(VotingType.RankedChoice, 5,
            ("[3,1,2,5,4]", 12.5m), ("[1,3,2,4,5]", 9m), ("[2,1,3,4,5]", 7.25m), ("[5,4,2,1,3]", 3m),
            ("[4,5,3,2,1]", 4m), ("[2,3,1,5,4]", 6m), ("[5,2,4,3,1]", 2.5m), ("[1,2,3,4,5]", 1.75m));

        Assert.Equal(4, result.Rounds.Count);
        AssertRound(result.Rounds[0], 1, [10.75m, 13.25m, 12.5m, 4m, 5.5m], 4);
        AssertRound(result.Rounds[1], 2, [10.75m, 13.25m, 12.5m, null, 9.5m], 5);
        AssertRound(result.Rounds[2], 3, [10.75m, 18.75m, 16.5m, null, null], 1);
        AssertRound(result.Rounds[3], 4, [null, 20.5m, 25.5m, null, null], null);
    }

    [Fact]
    public void A_choice_nobody_ranks_first_is_in_the_count_with_zero_and_goes_first()
    {
        // Ballots: A [1,4,2,3] × 40, B [2,4,1,3] × 35, C [3,4,1,2] × 25; nobody ranks 4 first. Total 100.
        // Round 1: 1 → 40, 2 → 35, 3 → 25, 4 → 0. No majority; 4 is lowest and is eliminated.
        // Round 2: no ballot had 4 on top, so nothing moves: 1 → 40, 2 → 35, 3 → 25. Eliminate 3.
        // Round 3: C skips the eliminated 4 and goes to 1: 1 → 65, 2 → 35. Choice 1 wins.
        var result = Tally(VotingType.RankedChoice, 4, ("[1,4,2,3]", 40m), ("[2,4,1,3]", 35m), ("[3,4,1,2]", 25m));

        Assert.Equal(3, result.Rounds.Count);
        AssertRound(result.Rounds[0], 1, [40m, 35m, 25m, 0m], 4);
        AssertRound(result.Rounds[1], 2, [40m, 35m, 25m, null], 3);
        AssertRound(result.Rounds[2], 3, [65m, 35m, null, null], null);
        Assert.Equal([1], result.Leaders);
    }

    [Fact]
    public void The_count_stops_at_two_choices_and_a_tie_there_leaves_both_leading()
    {
        // Ballots: [1,2,3] × 30, [2,1,3] × 30, [3,1,2] × 5, [3,2,1] × 5; total 70, majority > 35.
        // Round 1: 1 → 30, 2 → 30, 3 → 10; eliminate 3. Round 2: 1 → 35, 2 → 35: two remain, so it is the last round,
        // with no majority and a tie.
        var result = Tally(VotingType.RankedChoice, 3, ("[1,2,3]", 30m), ("[2,1,3]", 30m), ("[3,1,2]", 5m), ("[3,2,1]", 5m));

        Assert.Equal(2, result.Rounds.Count);
        AssertRound(result.Rounds[1], 2, [35m, 35m, null], null);
        Assert.Equal([1, 2], result.Leaders);
    }

    [Fact]
    public void One_or_two_choices_take_a_single_round()
    {
        var one = Tally(VotingType.RankedChoice, 1, ("[1]", 3m), ("[1]", 4m));
        AssertRound(Assert.Single(one.Rounds), 1, [7m], null);

        var two = Tally(VotingType.RankedChoice, 2, ("[1,2]", 3m), ("[2,1]", 4m));
        AssertRound(Assert.Single(two.Rounds), 1, [3m, 4m], null);
        Assert.Equal([2], two.Leaders);
    }

    [Fact]
    public void Without_counted_votes_there_are_no_rounds()
    {
        var result = Tally(VotingType.RankedChoice, 3, ("[1,2]", 5m));

        Assert.Empty(result.Rounds);
        Assert.Equal([0m, 0m, 0m], result.Scores);
        Assert.Empty(result.Leaders);
        Assert.Equal(1, result.InvalidVotes);
    }
}
