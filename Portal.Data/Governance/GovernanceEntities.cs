namespace Heurist.Portal.Data.Governance;

/// <summary>
/// Every signed message the hub stored (proposals, votes, cancellations), as it was posted: anyone can download it and
/// check its signature again. Its id is the EIP-712 hash of the signed data, so a message is stored once.
/// </summary>
public sealed class GovernanceMessage
{
    /// <summary>The EIP-712 hash (lowercase 0x-hex).</summary>
    public required string Id { get; set; }

    public GovernanceMessageKind Kind { get; set; }

    /// <summary>The signer, as the envelope's address gives it.</summary>
    public required string Address { get; set; }

    public required string Space { get; set; }

    /// <summary>The message's own timestamp, in unix seconds.</summary>
    public long Timestamp { get; set; }

    /// <summary>The proposal the message is about: its own id for a proposal.</summary>
    public required string ProposalId { get; set; }

    /// <summary>The envelope <c>{ address, sig, data }</c> as posted, to verify again.</summary>
    public required string Envelope { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}

public enum GovernanceMessageKind
{
    Proposal,
    Vote,
    CancelProposal,
}

/// <summary>A stored proposal: its signed fields, and once it closes, its frozen results.</summary>
public sealed class GovernanceProposal
{
    /// <summary>The id of its signed message.</summary>
    public required string Id { get; set; }

    public required string Space { get; set; }

    public required string Author { get; set; }

    /// <summary>The signed message's timestamp, in unix seconds.</summary>
    public long Created { get; set; }

    /// <summary>Snapshot's voting type name (single-choice, approval, ranked-choice, weighted, quadratic, basic).</summary>
    public required string Type { get; set; }

    /// <summary>General, or ModelAllocation when its choices are catalog models and its result steers the workers.</summary>
    public required string Kind { get; set; }

    public required string Title { get; set; }

    public required string Body { get; set; }

    public required string Discussion { get; set; }

    public required List<string> Choices { get; set; }

    /// <summary>Voting opens, in unix seconds.</summary>
    public long Start { get; set; }

    /// <summary>Voting closes, in unix seconds; votes up to and including it count.</summary>
    public long End { get; set; }

    /// <summary>The block voting power is read at.</summary>
    public long SnapshotBlock { get; set; }

    /// <summary>The power that must be cast for the result to stand; null for none.</summary>
    public decimal? Quorum { get; set; }

    public required string Plugins { get; set; }

    public required string App { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>The final tally as JSON, written once after <see cref="End"/>; null while the results are live.</summary>
    public string? FrozenResult { get; set; }

    public DateTimeOffset? FrozenAt { get; set; }
}

/// <summary>
/// A stored vote. Every vote is kept; the tally counts each voter's last one in the window, as Snapshot does.
/// </summary>
public sealed class GovernanceVote
{
    /// <summary>The id of its signed message: the voter's receipt.</summary>
    public required string Id { get; set; }

    public required string ProposalId { get; set; }

    /// <summary>The voter, lowercase 0x-hex.</summary>
    public required string Voter { get; set; }

    /// <summary>The signed message's timestamp, in unix seconds.</summary>
    public long Timestamp { get; set; }

    /// <summary>The choice in its canonical JSON: 2, [1,3] or {"1":2,"3":1}.</summary>
    public required string Choice { get; set; }

    public required string Reason { get; set; }

    public required string App { get; set; }

    /// <summary>The voter's weighted power at the proposal's snapshot block, in tokens.</summary>
    public decimal Power { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>
/// An address's voting power at a block, in wei per part, as read from the chain: a past block never changes, so it is
/// read once. The weights are applied when it is used, so a change of weights needs no new reads.
/// </summary>
public sealed class VotingPowerReading
{
    /// <summary>Lowercase 0x-hex.</summary>
    public required string Address { get; set; }

    public long Block { get; set; }

    public decimal HeuWei { get; set; }

    public decimal EsHeuWei { get; set; }

    public decimal StakedHeuWei { get; set; }

    public decimal StakedEsHeuWei { get; set; }

    public DateTimeOffset ReadAt { get; set; }
}

/// <summary>A model's allocation now, as the allocation service last computed it.</summary>
public sealed class ModelAllocationTarget
{
    public required string ModelId { get; set; }

    public double VotedShare { get; set; }

    public double DemandShare { get; set; }

    public double TargetShare { get; set; }

    /// <summary>The closed allocation proposal the voted share comes from; null without one.</summary>
    public string? ProposalId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A model's target and actual share at one time, for the Stats page's chart.</summary>
public sealed class AllocationSample
{
    public DateTimeOffset At { get; set; }

    public required string ModelId { get; set; }

    public double TargetShare { get; set; }

    /// <summary>The part of online workers serving the model at that time.</summary>
    public double ActualShare { get; set; }

    public int Workers { get; set; }
}
