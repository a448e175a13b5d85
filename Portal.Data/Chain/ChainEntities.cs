namespace Heurist.Portal.Data.Chain;

// What the chain indexer writes. Addresses and hashes are stored as lowercase 0x-hex text so that they
// compare as plain strings; token amounts are wei in numeric(78,0), which holds any uint256.

/// <summary>How far the indexer has read: the next block it will read. It moves in the same transaction as the rows it writes.</summary>
public sealed class ChainCursor
{
    public required string Name { get; set; }

    public long NextBlock { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Every decoded event of our contracts, in chain order: the history behind the projections below.</summary>
public sealed class ChainEvent
{
    public long BlockNumber { get; set; }

    public int LogIndex { get; set; }

    public required string TransactionHash { get; set; }

    public DateTimeOffset BlockTime { get; set; }

    /// <summary>The emitting contract's name in the deployment manifest, for example "MinerStaking".</summary>
    public required string Contract { get; set; }

    public required string Name { get; set; }

    /// <summary>The event's arguments as JSON (numbers as decimal strings, bytes as 0x-hex).</summary>
    public required string Arguments { get; set; }
}

/// <summary>A miner registered on chain by its owner wallet. The id is keccak256 of the miner's id string.</summary>
public sealed class ChainMiner
{
    public required string MinerChainId { get; set; }

    public required string Owner { get; set; }

    public long RegisteredBlock { get; set; }
}

/// <summary>One staker's stake of one kind on one miner.</summary>
public sealed class Stake
{
    public required string Staker { get; set; }

    public required string MinerChainId { get; set; }

    public StakeKind Kind { get; set; }

    public decimal Amount { get; set; }

    public long UpdatedBlock { get; set; }
}

public enum StakeKind : short
{
    Heu = 0,
    EsHeu = 1,
}

/// <summary>An HEU unstake waiting out its cooldown, or withdrawn.</summary>
public sealed class UnstakeRequest
{
    public long RequestId { get; set; }

    public required string Staker { get; set; }

    public required string MinerChainId { get; set; }

    public decimal Amount { get; set; }

    public DateTimeOffset AvailableAt { get; set; }

    public bool Withdrawn { get; set; }

    public long RequestedBlock { get; set; }
}

/// <summary>A bribe change: the share of a miner's rewards that goes to its stakers, from an epoch on.</summary>
public sealed class BribeChange
{
    public long BlockNumber { get; set; }

    public int LogIndex { get; set; }

    public required string MinerChainId { get; set; }

    public int BasisPoints { get; set; }

    public long EffectiveEpoch { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>An Imaginaries NFT: one per image hash, with its current owner.</summary>
public sealed class NftToken
{
    public required string ImageHash { get; set; }

    public required string Owner { get; set; }

    public string? ModelId { get; set; }

    public string? Uri { get; set; }

    public long MintedBlock { get; set; }

    public required string MintTransactionHash { get; set; }

    public DateTimeOffset MintedAt { get; set; }
}

/// <summary>An epoch's Merkle root of reward claims, as posted on chain.</summary>
public sealed class RewardEpoch
{
    public long Epoch { get; set; }

    public required string Root { get; set; }

    public decimal HeuTotal { get; set; }

    public decimal EsHeuTotal { get; set; }

    public long PostedBlock { get; set; }
}

/// <summary>A reward claimed by an account for an epoch.</summary>
public sealed class RewardClaim
{
    public long Epoch { get; set; }

    public required string Account { get; set; }

    public decimal HeuAmount { get; set; }

    public decimal EsHeuAmount { get; set; }

    public long ClaimedBlock { get; set; }

    public required string TransactionHash { get; set; }
}
