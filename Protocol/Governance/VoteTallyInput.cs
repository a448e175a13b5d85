namespace Heurist.Protocol.Governance;

/// <summary>What a proposal's tally is computed from.</summary>
/// <param name="Type">The proposal's voting type.</param>
/// <param name="ChoiceCount">How many choices the proposal has; valid for the type (<see cref="ProposalChoices.ValidateCount"/>).</param>
/// <param name="Votes">Every vote received, in any order, including replaced ones, ones outside the window and invalid ones.</param>
/// <param name="Start">When voting opens, in unix seconds; votes at Start count.</param>
/// <param name="End">When voting closes, in unix seconds, not before Start; votes at End count.</param>
/// <param name="Quorum">
/// The power the counted votes must reach together, at least 0; null for no quorum. Every counted vote counts towards
/// it, Abstain included, as in Snapshot's default quorum.
/// </param>
public sealed record VoteTallyInput(
    VotingType Type,
    int ChoiceCount,
    IReadOnlyList<Vote> Votes,
    long Start,
    long End,
    decimal? Quorum = null);

/// <summary>One vote as received.</summary>
/// <param name="Voter">Who voted: an address, compared ignoring case. Not blank.</param>
/// <param name="Timestamp">When, in unix seconds.</param>
/// <param name="Choice">What the voter chose.</param>
/// <param name="Power">The voter's voting power at the proposal's snapshot, at least 0.</param>
/// <param name="ReceiptId">
/// The vote's receipt, unique per vote; between two votes of a voter with the same timestamp, the one whose receipt
/// is larger (ordinal) is the later.
/// </param>
public sealed record Vote(string Voter, long Timestamp, VoteChoice Choice, decimal Power, string ReceiptId);
