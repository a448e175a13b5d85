namespace Heurist.Protocol.Governance;

/// <summary>A proposal's tally; computed with all the votes once voting has closed, it is the proposal's frozen result.</summary>
/// <param name="Type">The voting type it was counted by.</param>
/// <param name="Scores">
/// The power each choice got, in choice order (index 0 is choice 1). For ranked-choice, the final round's scores,
/// with 0 for the eliminated choices.
/// </param>
/// <param name="TotalPower">The sum of the counted voters' power.</param>
/// <param name="VoterCount">How many voters were counted: one per voter (ignoring case) with a valid vote in the window.</param>
/// <param name="Quorum">The quorum it was counted against, or null.</param>
/// <param name="QuorumReached">True when there is no quorum or <paramref name="TotalPower"/> is at least the quorum.</param>
/// <param name="Leaders">
/// The 1-based choice numbers with the highest score, in ascending order: one, or several on a tie; empty when no
/// choice has a score above 0. Basic ignores Abstain; ranked-choice looks at the final round.
/// </param>
/// <param name="Rounds">Ranked-choice's instant-runoff rounds, first to last; empty for the other types and when no vote counts.</param>
/// <param name="InvalidVotes">How many votes in the window were skipped because their choice is not valid for the proposal.</param>
public sealed record VoteTallyResult(
    VotingType Type,
    IReadOnlyList<decimal> Scores,
    decimal TotalPower,
    int VoterCount,
    decimal? Quorum,
    bool QuorumReached,
    IReadOnlyList<int> Leaders,
    IReadOnlyList<RankedChoiceRound> Rounds,
    int InvalidVotes);

/// <summary>One round of an instant-runoff count.</summary>
/// <param name="Number">1 for the first round.</param>
/// <param name="Scores">
/// In choice order (index 0 is choice 1): the power of the ballots whose highest-ranked remaining choice it is, or
/// null for a choice eliminated in an earlier round.
/// </param>
/// <param name="Eliminated">The 1-based choice eliminated at the end of this round; null in the final round.</param>
public sealed record RankedChoiceRound(int Number, IReadOnlyList<decimal?> Scores, int? Eliminated);
