using Heurist.Protocol.Governance;

namespace Heurist.Protocol.Tests.Governance;

public sealed class VotingTypeTests
{
    [Theory]
    [InlineData(VotingType.SingleChoice, "single-choice")]
    [InlineData(VotingType.Approval, "approval")]
    [InlineData(VotingType.RankedChoice, "ranked-choice")]
    [InlineData(VotingType.Weighted, "weighted")]
    [InlineData(VotingType.Quadratic, "quadratic")]
    [InlineData(VotingType.Basic, "basic")]
    public void Each_voting_type_has_snapshots_name_and_reads_back_from_it(VotingType type, string wire)
    {
        Assert.Equal(wire, type.ToWire());
        Assert.True(VotingTypes.TryParse(wire, out var parsed));
        Assert.Equal(type, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("copeland")]
    [InlineData("custom")]
    [InlineData("Single-Choice")]
    [InlineData("single_choice")]
    [InlineData("SingleChoice")]
    [InlineData(" basic")]
    [InlineData("0")]
    public void Unknown_voting_type_names_are_refused(string? wire)
        => Assert.False(VotingTypes.TryParse(wire, out _));

    [Fact]
    public void A_value_outside_the_enum_has_no_name()
        => Assert.Throws<ArgumentOutOfRangeException>(() => ((VotingType)42).ToWire());
}
