namespace Heurist.Portal.Data.Rewards;

// What epoch settlement writes (Portal.Server/Features/Rewards). Amounts are wei in numeric(78,0), as in the chain
// tables; addresses and hashes lowercase 0x-hex.

/// <summary>One epoch's settlement: what was computed for it, and whether its root is on chain.</summary>
public sealed class EpochSettlementRecord
{
    public long Epoch { get; set; }

    public EpochSettlementStatus Status { get; set; }

    /// <summary>The epoch's window in chain time: [StartsAt, EndsAt).</summary>
    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    /// <summary>The budget the epoch was computed with: min(its share of the schedule, what the schedule had left).</summary>
    public decimal Budget { get; set; }

    /// <summary>The part of the budget in pools nobody earned; never posted, so later epochs can still emit it.</summary>
    public decimal Unallocated { get; set; }

    public decimal HeuTotal { get; set; }

    public decimal EsHeuTotal { get; set; }

    public int LeafCount { get; set; }

    /// <summary>The Merkle root; null for an empty epoch.</summary>
    public string? Root { get; set; }

    /// <summary>
    /// The tree as OpenZeppelin's StandardMerkleTree dumps it ("standard-v1"), byte for byte as written: text, not jsonb,
    /// which would reorder its keys. Null for an empty epoch.
    /// </summary>
    public string? Tree { get; set; }

    /// <summary>The postRoot transaction, stored before it is broadcast so that a restart waits for it instead of sending another.</summary>
    public string? PostTransactionHash { get; set; }

    /// <summary>Why the last attempt to post failed (the decoded revert reason), until the root is posted.</summary>
    public string? LastError { get; set; }

    public DateTimeOffset ComputedAt { get; set; }

    public DateTimeOffset? PostedAt { get; set; }
}

public enum EpochSettlementStatus
{
    /// <summary>Computed and stored; the root is not yet known to be on chain.</summary>
    Computed,

    /// <summary>The root is on chain.</summary>
    Posted,

    /// <summary>Nobody earned anything: nothing was posted, and nothing will be.</summary>
    Empty,
}

/// <summary>One account's leaf of an epoch's tree, with its proof, for the per-account reads.</summary>
public sealed class RewardLeafRecord
{
    public long Epoch { get; set; }

    public required string Account { get; set; }

    public decimal Heu { get; set; }

    public decimal EsHeu { get; set; }

    /// <summary>Its position in the tree's node array ("treeIndex" in the dump).</summary>
    public int TreeIndex { get; set; }

    /// <summary>The proof as a JSON array of 0x-hex hashes.</summary>
    public required string Proof { get; set; }
}

/// <summary>
/// One miner's part of a Computed settlement, for the stakers' expected APR: every miner that entered the epoch's
/// input (it had points), and every miner with stake that had none (reward 0 at its efficiency, so an idle epoch
/// lowers its rate). An Empty epoch has no rows.
/// </summary>
public sealed class EpochMinerRewardRecord
{
    public long Epoch { get; set; }

    /// <summary>The on-chain miner id (keccak256 of the worker's miner id), as the chain tables and the settlement name it.</summary>
    public required string MinerChainId { get; set; }

    public required string RewardAddress { get; set; }

    /// <summary>Its stakers' HEU and esHEU together at the epoch's end.</summary>
    public decimal StakeWei { get; set; }

    /// <summary>Its stake efficiency, over 100,000 tokens in wei (StakeEfficiencyWei.FullStakeWei).</summary>
    public decimal EfficiencyNumerator { get; set; }

    public decimal WaifuReward { get; set; }

    public decimal LlamaReward { get; set; }

    /// <summary>What its stakers received.</summary>
    public decimal BribePaid { get; set; }

    /// <summary>What its reward address received.</summary>
    public decimal OwnerPaid { get; set; }

    /// <summary>The bribe in force for the epoch, 0 to 10,000.</summary>
    public int BribeBps { get; set; }
}
