using System.Numerics;
using Heurist.Contracts.Crypto;

namespace Heurist.Contracts.Rpc;

/// <summary>Block tags for the methods that take one; a block number is written with <see cref="Number"/>.</summary>
public static class BlockTag
{
    public const string Latest = "latest";
    public const string Pending = "pending";
    public const string Earliest = "earliest";
    public const string Safe = "safe";
    public const string Finalized = "finalized";

    /// <summary>A block number as a block tag ("0x1a").</summary>
    public static string Number(ulong blockNumber) => EthereumRpcClient.ToQuantity(blockNumber);
}

/// <summary>The call object of eth_call and eth_estimateGas; members left null are not sent.</summary>
public sealed record CallRequest
{
    public EthereumAddress? From { get; init; }

    /// <summary>The contract called; null simulates a contract creation from <see cref="Data"/>.</summary>
    public EthereumAddress? To { get; init; }

    public byte[]? Data { get; init; }
    public BigInteger? Value { get; init; }
    public ulong? Gas { get; init; }
    public BigInteger? MaxFeePerGas { get; init; }
    public BigInteger? MaxPriorityFeePerGas { get; init; }
}

/// <summary>A log emitted by a contract, from a receipt or eth_getLogs.</summary>
public sealed record LogEntry(
    EthereumAddress Address,
    IReadOnlyList<byte[]> Topics,
    byte[] Data,
    ulong BlockNumber,
    byte[] TransactionHash,
    ulong LogIndex)
{
    /// <summary>True when the log was removed by a chain reorganization.</summary>
    public bool Removed { get; init; }
}

/// <summary>The outcome of a mined transaction.</summary>
public sealed record TransactionReceipt(
    byte[] TransactionHash,
    ulong BlockNumber,
    byte[] BlockHash,
    ulong Status,
    ulong GasUsed,
    BigInteger EffectiveGasPrice,
    EthereumAddress From,
    EthereumAddress? To,
    EthereumAddress? ContractAddress,
    IReadOnlyList<LogEntry> Logs)
{
    /// <summary>Status 1: the transaction did not revert.</summary>
    public bool Succeeded => Status == 1;
}

/// <summary>
/// The filter of eth_getLogs. Null blocks are left to the node (it takes "latest"). Each position of
/// <see cref="Topics"/> is null (any topic) or a list of topics of which one must match.
/// </summary>
public sealed record LogFilter
{
    public ulong? FromBlock { get; init; }
    public ulong? ToBlock { get; init; }
    public IReadOnlyList<EthereumAddress> Addresses { get; init; } = [];
    public IReadOnlyList<IReadOnlyList<byte[]>?> Topics { get; init; } = [];
}

/// <summary>The header facts of a block.</summary>
public sealed record Block(ulong Number, byte[] Hash, ulong Timestamp, BigInteger? BaseFeePerGas)
{
    /// <summary><see cref="Timestamp"/> (seconds since the Unix epoch) as a date.</summary>
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeSeconds((long)Timestamp);
}
