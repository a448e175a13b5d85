using System.Text.Json.Serialization;

namespace Heurist.Protocol.Api.Rewards;

// What the rewards API serves (GET /api/rewards/...), for the /rewards page and anyone who wants to check a root.
// Token amounts are integer wei as decimal strings (JSON numbers lose precision past 2^53), next to the same amount
// in whole tokens as people read it (Heurist.Protocol.Chain.TokenAmounts). Addresses and hashes are lowercase 0x-hex.

/// <summary>Where an epoch's settlement stands.</summary>
[JsonConverter(typeof(RewardEpochStatusJsonConverter))]
public enum RewardEpochStatus
{
    /// <summary>Computed and stored; its root is not on chain yet, so nothing can be claimed.</summary>
    Computed,

    /// <summary>Its root is on chain: its leaves can be claimed.</summary>
    Posted,

    /// <summary>Nobody earned anything in it: nothing was posted.</summary>
    Empty,
}

/// <summary>Names only: a number is not a status.</summary>
public sealed class RewardEpochStatusJsonConverter() : JsonStringEnumConverter<RewardEpochStatus>(namingPolicy: null, allowIntegerValues: false);

/// <summary>One settled epoch (GET /api/rewards/epochs lists them newest first).</summary>
/// <param name="Epoch">The epoch number (MinerStaking.currentEpoch counting).</param>
/// <param name="Status">Computed, Posted or Empty.</param>
/// <param name="StartsAt">The epoch's start in chain time.</param>
/// <param name="EndsAt">Its end (exclusive) in chain time.</param>
/// <param name="Root">The Merkle root posted with RewardsDistributor.postRoot; null when Empty.</param>
/// <param name="HeuTotal">The HEU its leaves pay as HEU, in wei.</param>
/// <param name="EsHeuTotal">The HEU its leaves pay as esHEU, in wei.</param>
/// <param name="Budget">What the epoch could pay out, in wei.</param>
/// <param name="Unallocated">The part of the budget nobody earned (a pool without points), in wei; never minted.</param>
/// <param name="LeafCount">How many accounts can claim.</param>
/// <param name="PostTransactionHash">The postRoot transaction, once sent.</param>
/// <param name="ComputedAt">When the portal computed it.</param>
/// <param name="PostedAt">When the portal saw the root on chain.</param>
/// <param name="LastError">Why the last attempt to post failed, while it is not posted.</param>
public sealed record RewardEpochSummary(
    long Epoch,
    RewardEpochStatus Status,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? Root,
    string HeuTotal,
    string EsHeuTotal,
    string Budget,
    string Unallocated,
    int LeafCount,
    string? PostTransactionHash,
    DateTimeOffset ComputedAt,
    DateTimeOffset? PostedAt,
    string? LastError);

/// <summary>
/// An epoch with its whole tree (GET /api/rewards/epochs/{epoch}). <see cref="Tree"/> is exactly what OpenZeppelin's
/// <c>StandardMerkleTree.dump()</c> writes, so <c>StandardMerkleTree.load(tree).root</c> gives the root posted on chain.
/// </summary>
public sealed record RewardEpochTree(RewardEpochSummary Epoch, StandardMerkleTreeDump? Tree);

/// <summary>
/// OpenZeppelin's StandardMerkleTree dump ("standard-v1"). Each value is [epoch, account, heu, esHeu] as strings, with
/// the leaf's place in <see cref="Tree"/>, which lists every node root first.
/// </summary>
public sealed record StandardMerkleTreeDump(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("leafEncoding")] IReadOnlyList<string> LeafEncoding,
    [property: JsonPropertyName("tree")] IReadOnlyList<string> Tree,
    [property: JsonPropertyName("values")] IReadOnlyList<StandardMerkleTreeValue> Values);

/// <summary>One leaf of a <see cref="StandardMerkleTreeDump"/>.</summary>
public sealed record StandardMerkleTreeValue(
    [property: JsonPropertyName("value")] IReadOnlyList<string> Value,
    [property: JsonPropertyName("treeIndex")] int TreeIndex);

/// <summary>An account's rewards (GET /api/rewards/accounts/{address}): each epoch it has a leaf in, newest first.</summary>
/// <param name="Account">The account, lowercase.</param>
/// <param name="Epochs">One entry per epoch with a leaf for the account, newest first.</param>
/// <param name="ClaimableHeu">The HEU of its posted, unclaimed leaves, in wei.</param>
/// <param name="ClaimableEsHeu">The esHEU of its posted, unclaimed leaves, in wei.</param>
/// <param name="ClaimableHeuTokens">ClaimableHeu in whole tokens.</param>
/// <param name="ClaimableEsHeuTokens">ClaimableEsHeu in whole tokens.</param>
public sealed record RewardAccount(
    string Account,
    IReadOnlyList<AccountEpochReward> Epochs,
    string ClaimableHeu,
    string ClaimableEsHeu,
    string ClaimableHeuTokens,
    string ClaimableEsHeuTokens);

/// <summary>
/// One leaf of an account: what RewardsDistributor.claim(epoch, account, heu, esHeu, proof) takes, and whether it was
/// claimed.
/// </summary>
/// <param name="Epoch">The epoch.</param>
/// <param name="Status">The epoch's status: only a Posted epoch can be claimed.</param>
/// <param name="Heu">Paid as HEU, in wei.</param>
/// <param name="EsHeu">Paid as esHEU, in wei.</param>
/// <param name="HeuTokens">Heu in whole tokens.</param>
/// <param name="EsHeuTokens">EsHeu in whole tokens.</param>
/// <param name="Proof">The Merkle proof, 0x-hex hashes from the leaf up.</param>
/// <param name="Claimed">Whether the indexer has seen the claim.</param>
/// <param name="ClaimTransactionHash">The claim's transaction, when claimed.</param>
public sealed record AccountEpochReward(
    long Epoch,
    RewardEpochStatus Status,
    string Heu,
    string EsHeu,
    string HeuTokens,
    string EsHeuTokens,
    IReadOnlyList<string> Proof,
    bool Claimed,
    string? ClaimTransactionHash);

/// <summary>What one settlement run did (POST /api/rewards/settle).</summary>
/// <param name="Epochs">Each epoch the run looked at, in order.</param>
/// <param name="Note">Why the run stopped where it did, such as an epoch still running or the indexer behind.</param>
public sealed record SettlementRun(IReadOnlyList<SettlementRunEpoch> Epochs, string? Note);

/// <summary>What a settlement run did with one epoch.</summary>
/// <param name="Epoch">The epoch.</param>
/// <param name="Status">Its status after the run.</param>
/// <param name="Action">What the run did: "posted", "empty", "already-posted", "waiting" or "failed".</param>
/// <param name="Message">The same in a sentence, e.g. "epoch 12: no points, nothing posted".</param>
/// <param name="Root">Its root, when it has one.</param>
/// <param name="PostTransactionHash">The postRoot transaction, when one was sent.</param>
public sealed record SettlementRunEpoch(long Epoch, RewardEpochStatus Status, string Action, string Message, string? Root, string? PostTransactionHash);
