using Heurist.Protocol.Governance;
using static Heurist.Protocol.Tests.Governance.Ballots;

namespace Heurist.Protocol.Tests.Governance;

public sealed class VoteTallyTests
{
    private const string Alice = "0xA11CE00000000000000000000000000000000001";
    private const string Bob = "0xb0b0000000000000000000000000000000000002";

    [Fact]
    public void Only_votes_from_start_to_end_inclusive_count()
    {
        var result = Tally(VotingType.SingleChoice, 3,
            Vote(Voter(1), "1", 1m, at: Start - 1),
            Vote(Voter(2), "1", 2m, at: Start),
            Vote(Voter(3), "2", 4m, at: End),
            Vote(Voter(4), "2", 8m, at: End + 1));

        Assert.Equal([2m, 4m, 0m], result.Scores);
        Assert.Equal(6m, result.TotalPower);
        Assert.Equal(2, result.VoterCount);
    }

    [Fact]
    public void A_voters_last_vote_replaces_the_earlier_ones_and_addresses_are_compared_ignoring_case()
    {
        var result = Tally(VotingType.SingleChoice, 3,
            Vote(Alice, "1", 10m, at: Start + 30),
            Vote(Alice.ToLowerInvariant(), "3", 10m, at: Start + 90),
            Vote(Alice.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal), "2", 10m, at: Start + 60),
            Vote(Bob, "2", 5m));

        Assert.Equal([0m, 5m, 10m], result.Scores);
        Assert.Equal(15m, result.TotalPower);
        Assert.Equal(2, result.VoterCount);
    }

    [Fact]
    public void A_vote_after_the_end_does_not_replace_the_voters_vote_in_the_window()
    {
        var result = Tally(VotingType.SingleChoice, 2, Vote(Alice, "1", 3m, at: End), Vote(Alice, "2", 3m, at: End + 1));

        Assert.Equal([3m, 0m], result.Scores);
    }

    [Fact]
    public void On_equal_timestamps_the_vote_with_the_larger_receipt_is_the_last()
    {
        var result = Tally(VotingType.SingleChoice, 2,
            Vote(Alice, "1", 3m, receipt: "receipt-b"),
            Vote(Alice, "2", 3m, receipt: "receipt-a"));
        Assert.Equal([3m, 0m], result.Scores);

        // Ordinal: "Z" (0x5A) sorts before "a" (0x61).
        var ordinal = Tally(VotingType.SingleChoice, 2,
            Vote(Alice, "1", 3m, receipt: "a"),
            Vote(Alice, "2", 3m, receipt: "Z"));
        Assert.Equal([3m, 0m], ordinal.Scores);
    }

    [Fact]
    public void Two_valid_votes_of_a_voter_with_the_same_time_and_receipt_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Tally(VotingType.SingleChoice, 2,
            Vote(Alice, "1", 3m, receipt: "same"),
            Vote(Alice, "2", 3m, receipt: "same")));

        Assert.Equal("Votes[1].ReceiptId", error.ParamName);
        Assert.Contains("Votes[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_vote_is_skipped_and_does_not_replace_the_voters_earlier_valid_vote()
    {
        var result = Tally(VotingType.SingleChoice, 3,
            Vote(Alice, "2", 7m, at: Start + 10),
            Vote(Alice, "4", 7m, at: Start + 20),
            Vote(Bob, "[1]", 5m),
            Vote(Voter(9), "0", 1m, at: End + 5));

        Assert.Equal([0m, 7m, 0m], result.Scores);
        Assert.Equal(7m, result.TotalPower);
        Assert.Equal(1, result.VoterCount);
        // The invalid vote outside the window is not looked at.
        Assert.Equal(2, result.InvalidVotes);
    }

    [Fact]
    public void Without_a_quorum_it_is_always_reached()
    {
        var result = Tally(VotingType.SingleChoice, 2, Array.Empty<Vote>());

        Assert.Null(result.Quorum);
        Assert.True(result.QuorumReached);
        Assert.Equal(0m, result.TotalPower);
        Assert.Equal(0, result.VoterCount);
        Assert.Equal([0m, 0m], result.Scores);
        Assert.Empty(result.Leaders);
    }

    [Theory]
    [InlineData(100.01, false)]
    [InlineData(100, true)]
    [InlineData(0, true)]
    public void The_quorum_is_reached_when_the_total_power_is_at_least_the_quorum(decimal quorum, bool reached)
    {
        var input = new VoteTallyInput(VotingType.SingleChoice, 2, [Vote(Alice, "1", 60m), Vote(Bob, "2", 40m)], Start, End, quorum);

        var result = VoteTally.Compute(input);

        Assert.Equal(quorum, result.Quorum);
        Assert.Equal(reached, result.QuorumReached);
    }

    [Fact]
    public void Abstain_counts_towards_a_basic_proposals_quorum()
    {
        var input = new VoteTallyInput(VotingType.Basic, 3, [Vote(Alice, "1", 30m), Vote(Bob, "3", 70m)], Start, End, Quorum: 100m);

        var result = VoteTally.Compute(input);

        Assert.True(result.QuorumReached);
        Assert.Equal([30m, 0m, 70m], result.Scores);
        Assert.Equal([1], result.Leaders);
    }

    [Fact]
    public void A_basic_proposal_with_only_abstentions_or_a_for_against_tie_has_no_single_leader()
    {
        Assert.Empty(Tally(VotingType.Basic, 3, ("3", 5m)).Leaders);
        Assert.Equal([1, 2], Tally(VotingType.Basic, 3, ("1", 5m), ("2", 5m), ("3", 50m)).Leaders);
    }

    [Fact]
    public void Tied_choices_all_lead_and_zero_scores_never_lead()
    {
        Assert.Equal([1, 3], Tally(VotingType.Approval, 3, ("[1,3]", 2m)).Leaders);
        Assert.Empty(Tally(VotingType.SingleChoice, 3, ("1", 0m), ("2", 0m)).Leaders);
    }

    [Fact]
    public void A_voter_with_zero_power_is_counted_as_a_voter()
    {
        var result = Tally(VotingType.SingleChoice, 2, ("1", 0m), ("2", 1m));

        Assert.Equal(2, result.VoterCount);
        Assert.Equal(1m, result.TotalPower);
    }

    [Fact]
    public void Weighted_and_quadratic_votes_with_only_zero_power_score_nothing()
    {
        Assert.Equal([0m, 0m], Tally(VotingType.Weighted, 2, ("""{"1":1}""", 0m)).Scores);
        Assert.Equal([0m, 0m], Tally(VotingType.Quadratic, 2, ("""{"1":1}""", 0m)).Scores);
    }

    [Fact]
    public void A_weighted_vote_splits_exactly_when_the_shares_are_exact()
    {
        Assert.Equal([8m, 0m, 4m], Tally(VotingType.Weighted, 3, ("""{"1":0.5,"3":0.25}""", 12m)).Scores);
        Assert.Equal([1m, 2m], Tally(VotingType.Weighted, 2, ("""{"1":1,"2":2}""", 3m)).Scores);
        Assert.Equal([1m, 2m], Tally(VotingType.Weighted, 2, ("""{"1":0.0001,"2":0.0002}""", 3m)).Scores);
    }

    [Fact]
    public void Huge_power_and_weights_do_not_overflow_the_weighted_split()
    {
        // Power × weight would be 10^46; the share is taken as a fraction first.
        var power = 10_000_000_000_000_000_000_000_000_000m;
        var result = Tally(VotingType.Weighted, 2, ("""{"1":1000000000000000000,"2":1000000000000000000}""", power));

        Assert.Equal([power / 2, power / 2], result.Scores);

        // Power / sum of weights would be 5 × 10^33 here; the fraction is taken first.
        var tiny = Tally(VotingType.Weighted, 2, ("""{"1":0.000001,"2":0.000001}""", power));
        Assert.Equal([power / 2, power / 2], tiny.Scores);
    }

    [Fact]
    public void The_result_carries_the_type_and_non_ranked_types_have_no_rounds()
    {
        var result = Tally(VotingType.Approval, 2, ("[1]", 1m));

        Assert.Equal(VotingType.Approval, result.Type);
        Assert.Empty(result.Rounds);
    }

    [Fact]
    public void Malformed_input_is_refused_naming_the_field()
    {
        static string? ParamOf(VoteTallyInput input) => Assert.ThrowsAny<ArgumentException>(() => VoteTally.Compute(input)).ParamName;
        var good = new VoteTallyInput(VotingType.SingleChoice, 2, [Vote(Alice, "1", 1m)], Start, End);

        Assert.Equal("Type", ParamOf(good with { Type = (VotingType)42 }));
        Assert.Equal("ChoiceCount", ParamOf(good with { ChoiceCount = 0 }));
        Assert.Equal("ChoiceCount", ParamOf(good with { Type = VotingType.Basic }));
        Assert.Equal("ChoiceCount", ParamOf(good with { ChoiceCount = ProposalChoices.MaxCount + 1 }));
        Assert.Equal("End", ParamOf(good with { End = Start - 1 }));
        Assert.Equal("Quorum", ParamOf(good with { Quorum = -1m }));
        Assert.Equal("Votes", ParamOf(good with { Votes = null! }));
        Assert.Equal("Votes[1]", ParamOf(good with { Votes = [Vote(Alice, "1", 1m), null!] }));
        Assert.Equal("Votes[0].Voter", ParamOf(good with { Votes = [Vote(" ", "1", 1m)] }));
        Assert.Equal("Votes[0].Choice", ParamOf(good with { Votes = [Vote(Alice, "1", 1m) with { Choice = null! }] }));
        Assert.Equal("Votes[0].ReceiptId", ParamOf(good with { Votes = [Vote(Alice, "1", 1m) with { ReceiptId = null! }] }));
        Assert.Equal("Votes[0].Power", ParamOf(good with { Votes = [Vote(Alice, "1", -0.1m)] }));
        Assert.Throws<ArgumentNullException>(() => VoteTally.Compute(null!));
    }
}
