using System.Numerics;

namespace Heurist.Protocol.Rewards;

/// <summary>What an epoch's settlement is computed from.</summary>
/// <param name="Epoch">The epoch.</param>
/// <param name="BudgetWei">The HEU the epoch may pay out, in wei; at least 0.</param>
/// <param name="WaifuPoolBps">The share of the budget for Waifu (image) points, 0 to 10,000; the Llama pool gets the rest.</param>
/// <param name="Miners">The miners of the epoch, with their points, bribe and stakers.</param>
/// <param name="EsHeuShareBps">The share of each account's payout paid in esHEU, 0 to 10,000.</param>
public sealed record EpochSettlementInput(
    ulong Epoch,
    BigInteger BudgetWei,
    int WaifuPoolBps,
    IReadOnlyList<MinerEpochInput> Miners,
    int EsHeuShareBps = EpochSettlement.DefaultEsHeuShareBps);

/// <summary>One miner's epoch.</summary>
/// <param name="MinerId">The miner's id (on chain, its bytes32 id as 0x hex); unique in the epoch, ignoring case.</param>
/// <param name="RewardAddress">Where the owner's part goes: 0x and 40 hex digits.</param>
/// <param name="WaifuPoints">The Waifu points the miner earned in the epoch; at least 0.</param>
/// <param name="LlamaPoints">The Llama points the miner earned in the epoch; at least 0.</param>
/// <param name="BribeBps">The bribe in force for the epoch (MinerStaking.bribeOf), 0 to 10,000.</param>
/// <param name="Stakers">Who stakes on the miner; each account once. Their stakes add up to the miner's total stake.</param>
public sealed record MinerEpochInput(
    string MinerId,
    string RewardAddress,
    decimal WaifuPoints,
    decimal LlamaPoints,
    int BribeBps,
    IReadOnlyList<StakerStake> Stakers);

/// <summary>One account's stake on a miner.</summary>
/// <param name="Account">The staker: 0x and 40 hex digits.</param>
/// <param name="StakeWei">Its HEU and esHEU staked on the miner together, in wei; at least 0.</param>
public sealed record StakerStake(string Account, BigInteger StakeWei);
