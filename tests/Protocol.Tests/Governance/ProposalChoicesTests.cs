using Heurist.Protocol.Governance;

namespace Heurist.Protocol.Tests.Governance;

public sealed class ProposalChoicesTests
{
    [Fact]
    public void A_basic_proposal_has_exactly_for_against_and_abstain()
    {
        Assert.Null(ProposalChoices.Validate(VotingType.Basic, ["For", "Against", "Abstain"]));
        Assert.Equal("a basic proposal has exactly 3 choices (For, Against, Abstain), not 2",
            ProposalChoices.Validate(VotingType.Basic, ["For", "Against"]));
        Assert.Equal("a basic proposal has exactly 3 choices (For, Against, Abstain), not 4",
            ProposalChoices.Validate(VotingType.Basic, ["For", "Against", "Abstain", "Maybe"]));
    }

    [Theory]
    [InlineData(VotingType.SingleChoice)]
    [InlineData(VotingType.Approval)]
    [InlineData(VotingType.RankedChoice)]
    [InlineData(VotingType.Weighted)]
    [InlineData(VotingType.Quadratic)]
    public void Other_types_take_one_to_the_maximum_number_of_choices(VotingType type)
    {
        Assert.Null(ProposalChoices.ValidateCount(type, 1));
        Assert.Null(ProposalChoices.ValidateCount(type, ProposalChoices.MaxCount));
        Assert.Equal("a proposal needs at least one choice", ProposalChoices.ValidateCount(type, 0));
        Assert.Equal("a proposal may have at most 500 choices, not 501", ProposalChoices.ValidateCount(type, ProposalChoices.MaxCount + 1));
        Assert.Equal("a proposal needs at least one choice", ProposalChoices.Validate(type, []));
        Assert.Equal("a proposal needs at least one choice", ProposalChoices.Validate(type, null));
    }

    [Fact]
    public void Every_choice_needs_a_label_of_at_most_256_characters()
    {
        Assert.Equal("choice 2 has no label", ProposalChoices.Validate(VotingType.Approval, ["Yes", " ", "No"]));
        Assert.Equal("choice 1 has no label", ProposalChoices.Validate(VotingType.Approval, [null]));
        Assert.Null(ProposalChoices.Validate(VotingType.Approval, [new string('x', 256)]));
        Assert.Equal("the label of choice 1 is longer than 256 characters",
            ProposalChoices.Validate(VotingType.Approval, [new string('x', 257)]));
        Assert.Null(ProposalChoices.Validate(VotingType.SingleChoice, ["Same", "Same"]));
    }
}
