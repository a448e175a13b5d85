using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth;
using Nethereum.RPC.Eth.Blocks;
using Nethereum.RPC.Fee1559Suggestions;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace Heurist.Contracts.Rpc;

/// <summary>
/// How we reach a node with Nethereum: one <see cref="IWeb3"/> per endpoint for reads, and one per signing key over the
/// same client; plus the one-line description of a failed call that start-up checks and health reports print.
/// </summary>
public static class ChainRpc
{
    /// <summary>A client for reads at <paramref name="endpoint"/> that gives up after <paramref name="timeout"/> (10 s by default).</summary>
    public static Web3 Connect(Uri endpoint, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            BaseAddress = endpoint,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
        };
        return new Web3(new RpcClient(endpoint, http));
    }

    /// <summary>
    /// The same node, sending EIP-1559 transactions signed by <paramref name="key"/>. Fees are the node's base fee
    /// twice plus a tip (Nethereum's simple strategy; its default reads 100 blocks of fee history for every transaction).
    /// </summary>
    public static Web3 As(this IWeb3 web3, EthECKey key, BigInteger chainId, TimeSpan? receiptPollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentNullException.ThrowIfNull(key);
        var signer = new Web3(new Account(key, chainId), web3.Client);
        signer.TransactionManager.UseLegacyAsDefault = false;
        signer.TransactionManager.Fee1559SuggestionStrategy = new SimpleFeeSuggestionStrategy(web3.Client);
        signer.TransactionManager.TransactionReceiptService.SetPollingRetryIntervalInMilliseconds(
            (int)(receiptPollInterval ?? TimeSpan.FromMilliseconds(100)).TotalMilliseconds);
        return signer;
    }

    /// <summary>eth_chainId and eth_blockNumber in one batch: one round trip for a health report.</summary>
    /// <exception cref="RpcResponseException">The node refused either call.</exception>
    public static async Task<(BigInteger ChainId, BigInteger BlockNumber)> ChainIdAndBlockNumberAsync(IWeb3 web3)
    {
        ArgumentNullException.ThrowIfNull(web3);
        var chainIdHandler = new EthChainId(web3.Client);
        var blockHandler = new EthBlockNumber(web3.Client);
        var chainId = new RpcRequestResponseBatchItem<EthChainId, HexBigInteger>(chainIdHandler, chainIdHandler.BuildRequest(1));
        var block = new RpcRequestResponseBatchItem<EthBlockNumber, HexBigInteger>(blockHandler, blockHandler.BuildRequest(2));
        var batch = new RpcRequestResponseBatch();
        batch.BatchItems.Add(chainId);
        batch.BatchItems.Add(block);
        await web3.Client.SendBatchRequestAsync(batch).ConfigureAwait(false);
        foreach (var item in new IRpcRequestResponseBatchItem[] { chainId, block })
        {
            if (item.HasError)
            {
                throw new RpcResponseException(item.RpcError);
            }
        }
        return (chainId.Response.Value, block.Response.Value);
    }

    /// <summary>True for the exceptions Nethereum throws when a call fails: the node unreachable, too slow, or refusing it.</summary>
    public static bool IsRpcFailure(Exception exception)
        => exception is RpcClientUnknownException or RpcClientTimeoutException or RpcResponseException or RpcResponseFormatException or RpcResponseBatchException;

    /// <summary>One line saying why a call to <paramref name="endpoint"/> failed, e.g. "The JSON-RPC endpoint http://127.0.0.1:9/ is unreachable (Connection refused …)".</summary>
    public static string Describe(Uri endpoint, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            RpcClientUnknownException { InnerException: HttpRequestException { StatusCode: { } status } }
                => $"The JSON-RPC endpoint {endpoint} answered HTTP {(int)status} {status}",
            RpcClientUnknownException { InnerException: HttpRequestException http } => $"The JSON-RPC endpoint {endpoint} is unreachable ({http.Message})",
            RpcClientUnknownException { InnerException: { } inner } => $"The JSON-RPC endpoint {endpoint} answered with something that is not JSON-RPC ({inner.Message})",
            RpcClientTimeoutException => $"The JSON-RPC endpoint {endpoint} did not answer in time",
            RpcResponseException response => $"The JSON-RPC endpoint {endpoint} refused the call with error {response.RpcError.Code}: {response.RpcError.Message}",
            _ => $"The JSON-RPC endpoint {endpoint} failed: {exception.Message}",
        };
    }

    /// <summary>
    /// The revert data of a call, estimate or transaction that reverted, from whichever exception Nethereum raised for it:
    /// a custom error, an Error(string), or the node's JSON-RPC error (code 3, or a message saying "revert").
    /// </summary>
    public static bool TryGetRevertData(Exception exception, out byte[] revertData)
    {
        ArgumentNullException.ThrowIfNull(exception);
        revertData = [];
        switch (exception)
        {
            case SmartContractCustomErrorRevertException custom:
                revertData = Bytes(custom.ExceptionEncodedData);
                return true;
            case SmartContractRevertException revert:
                revertData = Bytes(revert.EncodedData);
                return true;
            case RpcResponseException response when response.RpcError.Code == 3 || response.RpcError.Message.Contains("revert", StringComparison.OrdinalIgnoreCase):
                revertData = Bytes(response.RpcError.GetDataAsString());
                return true;
            default:
                return exception.InnerException is { } inner && TryGetRevertData(inner, out revertData);
        }
    }

    private static byte[] Bytes(string? hex) => hex is not null && hex.IsHex() ? hex.HexToByteArray() : [];
}
