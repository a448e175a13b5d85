namespace Heurist.Contracts.Rpc;

/// <summary>Base type of every failure of a JSON-RPC call.</summary>
public abstract class RpcException : Exception
{
    protected RpcException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The node could not be reached, or answered with something that is not JSON-RPC.</summary>
public sealed class RpcTransportException : RpcException
{
    public RpcTransportException(Uri endpoint, string reason, Exception? inner = null)
        : base($"The JSON-RPC endpoint {endpoint} {reason}", inner)
    {
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }
}

/// <summary>The node answered the call with a JSON-RPC error object.</summary>
public sealed class JsonRpcErrorException : RpcException
{
    public JsonRpcErrorException(string method, long code, string rpcMessage, string? data)
        : base($"{method} failed with JSON-RPC error {code}: {rpcMessage}")
    {
        Method = method;
        Code = code;
        RpcMessage = rpcMessage;
        Data = data;
    }

    public string Method { get; }
    public long Code { get; }
    public string RpcMessage { get; }

    /// <summary>The raw "data" member of the error (revert data for eth_call), when the node sent one.</summary>
    public new string? Data { get; }
}

/// <summary>
/// A contract call, gas estimate or transaction reverted. <see cref="RevertData"/> holds the raw revert data
/// (empty when the node gave none); decode it with <c>ContractAbi.DecodeError</c>.
/// </summary>
public sealed class ContractRevertException : RpcException
{
    public ContractRevertException(string operation, byte[] revertData, string? detail = null, byte[]? transactionHash = null, TransactionReceipt? receipt = null, Exception? inner = null)
        : base(Describe(operation, revertData, detail), inner)
    {
        ArgumentNullException.ThrowIfNull(revertData);
        Operation = operation;
        RevertData = revertData;
        TransactionHash = transactionHash;
        Receipt = receipt;
    }

    /// <summary>What reverted: "eth_call", "eth_estimateGas", or "transaction 0x…".</summary>
    public string Operation { get; }

    /// <summary>The revert data: a 4-byte selector and ABI-encoded arguments, or empty.</summary>
    public byte[] RevertData { get; }

    /// <summary>The hash of the mined transaction that failed, when a transaction was mined.</summary>
    public byte[]? TransactionHash { get; }

    /// <summary>The receipt (status 0) of the mined transaction that failed, when a transaction was mined.</summary>
    public TransactionReceipt? Receipt { get; }

    private static string Describe(string operation, byte[] revertData, string? detail)
    {
        var decoded = Abi.ContractAbi.DecodeBuiltInError(revertData);
        var text = $"{operation} reverted: {decoded.Description}";
        if (!decoded.IsKnown && revertData.Length >= 4)
        {
            text += $", data {Hex.Encode(revertData)}";
        }
        return detail is null ? text : $"{text} ({detail})";
    }
}
