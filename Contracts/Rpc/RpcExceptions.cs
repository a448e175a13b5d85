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
