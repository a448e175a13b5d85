using System.Globalization;
using System.Numerics;
using System.Text.Json.Serialization;
using Heurist.Protocol.Chain;

namespace Heurist.Protocol.Api.Staking;

// What the My staking page shows: GET /api/staking/accounts/{address}, from the chain indexer's tables. Amounts are
// wei as decimal strings, so no JSON reader rounds them.

/// <summary>An account's stake as the portal has indexed it, up to (not including) block <see cref="IndexedBlock"/>.</summary>
public sealed record StakingAccount(
    string Address,
    long IndexedBlock,
    IReadOnlyList<StakePosition> Positions,
    IReadOnlyList<PendingUnstake> Unstakes,
    StakeHistory History);

/// <summary>
/// The account's stake of one kind on one miner. MinerId is the worker's miner id when the portal knows a miner whose
/// keccak256 is <see cref="MinerChainId"/>, and null for a miner registered on chain only.
/// </summary>
public sealed record StakePosition(string MinerChainId, string? MinerId, TokenKind Kind, string AmountWei)
{
    [JsonIgnore]
    public BigInteger Amount => Wei.Parse(AmountWei);
}

/// <summary>An HEU unstake request: its HEU can be withdrawn from <see cref="AvailableAt"/> (chain time).</summary>
public sealed record PendingUnstake(long RequestId, string MinerChainId, string? MinerId, string AmountWei, DateTimeOffset AvailableAt)
{
    [JsonIgnore]
    public BigInteger Amount => Wei.Parse(AmountWei);
}

/// <summary>
/// The account's total stake at the end of each epoch since its first stake (at most <see cref="MaxEpochs"/>, the
/// latest). Epoch e ends at genesis + (e + 1) × epoch length.
/// </summary>
public sealed record StakeHistory(long EpochLengthSeconds, DateTimeOffset Genesis, IReadOnlyList<StakeEpoch> Epochs)
{
    public const int MaxEpochs = 180;
}

/// <summary>HEU and esHEU staked (in wei) at the end of <see cref="Epoch"/>, all miners together.</summary>
public sealed record StakeEpoch(long Epoch, DateTimeOffset EndsAt, string HeuWei, string EsHeuWei)
{
    [JsonIgnore]
    public BigInteger Heu => Wei.Parse(HeuWei);

    [JsonIgnore]
    public BigInteger EsHeu => Wei.Parse(EsHeuWei);
}

/// <summary>Wei amounts as the staking API writes them: base-10 digits.</summary>
public static class Wei
{
    public static BigInteger Parse(string digits) => BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    public static string ToText(BigInteger wei) => wei.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The staking API's reads. The server answers from the indexer's tables; WebAssembly asks the JSON API.</summary>
public interface IStakingClient
{
    /// <summary>Throws <see cref="ApiException"/> (400) when <paramref name="address"/> is not a 20-byte 0x address.</summary>
    Task<StakingAccount> GetAccountAsync(string address, CancellationToken cancellationToken = default);
}

/// <summary>
/// The hook for the stake dialog's "expected rewards" area: the portal registers the what-if from the miner's settled
/// epochs (Portal.Client's OutlookStakeEstimates); it answers null when the miner has no history, and the dialog says so.
/// </summary>
public interface IStakeEstimates
{
    /// <summary>What staking <paramref name="amountWei"/> of <paramref name="kind"/> on the miner may earn per epoch, or null when there is no history to say.</summary>
    Task<StakeEstimate?> EstimateAsync(string minerId, TokenKind kind, BigInteger amountWei, CancellationToken cancellationToken = default);
}

/// <summary>
/// An estimate of rewards per epoch, in wei of HEU and esHEU, with the sentence that says what it rests on, and the
/// rate it makes on the staker's stake (a fraction, 0.142 = 14.2 %; null when there is none to say).
/// </summary>
public sealed record StakeEstimate(BigInteger HeuPerEpochWei, BigInteger EsHeuPerEpochWei, string Basis, decimal? Apr = null);
