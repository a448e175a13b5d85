using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Heurist.Contracts.Crypto;

namespace Heurist.Contracts.Rpc;

// The typed eth_* methods. Reverts of eth_call and eth_estimateGas surface as ContractRevertException.
public sealed partial class EthereumRpcClient
{
    /// <summary>eth_getBalance, in wei.</summary>
    public async Task<BigInteger> GetBalanceAsync(EthereumAddress address, string blockTag = BlockTag.Latest, CancellationToken cancellationToken = default)
        => ParseBigQuantity(await CallAsync("eth_getBalance", new JsonArray(address.ToLowerHex(), blockTag), cancellationToken).ConfigureAwait(false));

    /// <summary>eth_getTransactionCount: the account's nonce at <paramref name="blockTag"/> ("pending" counts transactions not yet mined).</summary>
    public async Task<ulong> GetTransactionCountAsync(EthereumAddress address, string blockTag = BlockTag.Latest, CancellationToken cancellationToken = default)
        => ParseQuantity(await CallAsync("eth_getTransactionCount", new JsonArray(address.ToLowerHex(), blockTag), cancellationToken).ConfigureAwait(false));

    /// <summary>eth_getCode: the deployed bytecode, empty for an account without code.</summary>
    public async Task<byte[]> GetCodeAsync(EthereumAddress address, string blockTag = BlockTag.Latest, CancellationToken cancellationToken = default)
        => ParseData(await CallAsync("eth_getCode", new JsonArray(address.ToLowerHex(), blockTag), cancellationToken).ConfigureAwait(false));

    /// <summary>eth_call: what the call returns, without a transaction.</summary>
    /// <exception cref="ContractRevertException">The call reverted; the exception carries the revert data.</exception>
    public async Task<byte[]> CallAsync(CallRequest call, string blockTag = BlockTag.Latest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return ParseData(await CallAsync("eth_call", new JsonArray(ToJson(call), blockTag), cancellationToken).ConfigureAwait(false));
        }
        catch (JsonRpcErrorException ex) when (TryGetRevertData(ex, out var data))
        {
            throw new ContractRevertException("eth_call", data, inner: ex);
        }
    }

    /// <summary>eth_estimateGas.</summary>
    /// <exception cref="ContractRevertException">The call reverts; the exception carries the revert data.</exception>
    public async Task<ulong> EstimateGasAsync(CallRequest call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return ParseQuantity(await CallAsync("eth_estimateGas", new JsonArray(ToJson(call)), cancellationToken).ConfigureAwait(false));
        }
        catch (JsonRpcErrorException ex) when (TryGetRevertData(ex, out var data))
        {
            throw new ContractRevertException("eth_estimateGas", data, inner: ex);
        }
    }

    /// <summary>eth_gasPrice, in wei.</summary>
    public async Task<BigInteger> GasPriceAsync(CancellationToken cancellationToken = default)
        => ParseBigQuantity(await CallAsync("eth_gasPrice", [], cancellationToken).ConfigureAwait(false));

    /// <summary>eth_maxPriorityFeePerGas: the node's suggested tip, in wei.</summary>
    public async Task<BigInteger> MaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default)
        => ParseBigQuantity(await CallAsync("eth_maxPriorityFeePerGas", [], cancellationToken).ConfigureAwait(false));

    /// <summary>eth_sendRawTransaction; returns the transaction hash.</summary>
    public async Task<byte[]> SendRawTransactionAsync(byte[] rawTransaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rawTransaction);
        return ParseData(await CallAsync("eth_sendRawTransaction", new JsonArray(Hex.Encode(rawTransaction)), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>eth_getTransactionReceipt; null while the transaction is not mined (or unknown).</summary>
    public async Task<TransactionReceipt?> GetTransactionReceiptAsync(byte[] transactionHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transactionHash);
        var result = await CallAsync("eth_getTransactionReceipt", new JsonArray(Hex.Encode(transactionHash)), cancellationToken).ConfigureAwait(false);
        if (result is not JsonObject receipt)
        {
            return null;
        }
        return new TransactionReceipt(
            ParseData(receipt["transactionHash"]),
            ParseQuantity(receipt["blockNumber"]),
            ParseData(receipt["blockHash"]),
            ParseQuantity(receipt["status"]),
            ParseQuantity(receipt["gasUsed"]),
            receipt["effectiveGasPrice"] is { } price ? ParseBigQuantity(price) : BigInteger.Zero,
            ParseAddress(receipt["from"]),
            receipt["to"] is { } to ? ParseAddress(to) : null,
            receipt["contractAddress"] is { } created ? ParseAddress(created) : null,
            ParseLogs(receipt["logs"]));
    }

    /// <summary>eth_getLogs.</summary>
    public async Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var json = new JsonObject();
        if (filter.FromBlock is { } from)
        {
            json["fromBlock"] = ToQuantity(from);
        }
        if (filter.ToBlock is { } to)
        {
            json["toBlock"] = ToQuantity(to);
        }
        if (filter.Addresses.Count > 0)
        {
            json["address"] = new JsonArray(filter.Addresses.Select(a => (JsonNode)a.ToLowerHex()).ToArray());
        }
        if (filter.Topics.Count > 0)
        {
            json["topics"] = new JsonArray(filter.Topics.Select(alternatives => alternatives is null
                ? null
                : (JsonNode)new JsonArray(alternatives.Select(t => (JsonNode)Hex.Encode(t)).ToArray())).ToArray());
        }
        return ParseLogs(await CallAsync("eth_getLogs", new JsonArray(json), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>eth_getBlockByNumber without transactions; null when the block does not exist.</summary>
    public Task<Block?> GetBlockAsync(ulong blockNumber, CancellationToken cancellationToken = default)
        => GetBlockAsync(BlockTag.Number(blockNumber), cancellationToken);

    /// <summary>eth_getBlockByNumber for a tag ("latest", "pending", …) without transactions.</summary>
    public async Task<Block?> GetBlockAsync(string blockTag, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync("eth_getBlockByNumber", new JsonArray(blockTag, false), cancellationToken).ConfigureAwait(false);
        if (result is not JsonObject block)
        {
            return null;
        }
        return new Block(
            ParseQuantity(block["number"]),
            ParseData(block["hash"]),
            ParseQuantity(block["timestamp"]),
            block["baseFeePerGas"] is { } baseFee ? ParseBigQuantity(baseFee) : null);
    }

    /// <summary>Parses a JSON-RPC QUANTITY of any size.</summary>
    public static BigInteger ParseBigQuantity(JsonNode? node)
    {
        var text = node?.GetValue<string>() ?? throw new FormatException("Expected a hex quantity, got null.");
        if (!text.StartsWith("0x", StringComparison.Ordinal) || text.Length < 3)
        {
            throw new FormatException($"Expected a hex quantity, got '{text}'.");
        }
        return BigInteger.Parse(string.Concat("0", text.AsSpan(2)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    /// <summary>Parses JSON-RPC DATA ("0x…") into bytes.</summary>
    public static byte[] ParseData(JsonNode? node)
    {
        var text = node?.GetValue<string>() ?? throw new FormatException("Expected hex data, got null.");
        return text.StartsWith("0x", StringComparison.Ordinal) && Hex.TryDecode(text, out var bytes)
            ? bytes
            : throw new FormatException($"Expected 0x-prefixed hex data, got '{Hex.Shorten(text)}'.");
    }

    /// <summary>Writes a non-negative integer as a JSON-RPC QUANTITY: 0x and hex without leading zeros ("0x0" for zero).</summary>
    public static string ToQuantity(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A quantity cannot be negative.");
        }
        return "0x" + (value.IsZero ? "0" : Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true)).TrimStart('0'));
    }

    /// <summary>
    /// True when a JSON-RPC error is an EVM revert (code 3, or a message that says "revert"); <paramref name="revertData"/>
    /// is then the error's data as bytes, empty when the node sent none.
    /// </summary>
    public static bool TryGetRevertData(JsonRpcErrorException error, out byte[] revertData)
    {
        ArgumentNullException.ThrowIfNull(error);
        revertData = [];
        if (error.Code != 3 && !error.RpcMessage.Contains("revert", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (error.Data is null)
        {
            return true;
        }
        JsonNode? data;
        try
        {
            data = JsonNode.Parse(error.Data);
        }
        catch (JsonException)
        {
            return true;
        }
        // anvil and geth send the data as a hex string; some nodes nest it in an object.
        if (data is JsonObject nested)
        {
            data = nested["data"];
        }
        if (data is JsonValue value && value.GetValueKind() == JsonValueKind.String && Hex.TryDecode(value.GetValue<string>(), out var bytes))
        {
            revertData = bytes;
        }
        return true;
    }

    private static JsonObject ToJson(CallRequest call)
    {
        var json = new JsonObject();
        if (call.From is { } from)
        {
            json["from"] = from.ToLowerHex();
        }
        if (call.To is { } to)
        {
            json["to"] = to.ToLowerHex();
        }
        if (call.Data is { } data)
        {
            json["data"] = Hex.Encode(data);
        }
        if (call.Value is { } value)
        {
            json["value"] = ToQuantity(value);
        }
        if (call.Gas is { } gas)
        {
            json["gas"] = ToQuantity(gas);
        }
        if (call.MaxFeePerGas is { } maxFee)
        {
            json["maxFeePerGas"] = ToQuantity(maxFee);
        }
        if (call.MaxPriorityFeePerGas is { } tip)
        {
            json["maxPriorityFeePerGas"] = ToQuantity(tip);
        }
        return json;
    }

    private static EthereumAddress ParseAddress(JsonNode? node)
        => EthereumAddress.Parse(node?.GetValue<string>() ?? throw new FormatException("Expected an address, got null."));

    private static List<LogEntry> ParseLogs(JsonNode? node)
    {
        if (node is not JsonArray logs)
        {
            return [];
        }
        return logs.Select(l => l as JsonObject ?? throw new FormatException("A log is not an object."))
            .Select(log => new LogEntry(
                ParseAddress(log["address"]),
                (log["topics"] as JsonArray ?? []).Select(ParseData).ToList(),
                ParseData(log["data"]),
                ParseQuantity(log["blockNumber"]),
                ParseData(log["transactionHash"]),
                ParseQuantity(log["logIndex"]))
            {
                Removed = log["removed"]?.GetValue<bool>() ?? false,
            })
            .ToList();
    }
}
