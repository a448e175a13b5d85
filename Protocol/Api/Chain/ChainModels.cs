namespace Heurist.Protocol.Api.Chain;

/// <summary>
/// The chain the portal runs on, as a browser wallet needs it (GET /api/chain): its id and name for the wrong-network
/// banner and wallet_addEthereumChain (EIP-3085), the public JSON-RPC URL for reads, and our contracts' addresses, and the block explorer when there is one.
/// </summary>
public sealed record ChainInfo(
    ulong ChainId,
    string ChainName,
    string RpcUrl,
    string NativeCurrencySymbol,
    ChainContracts Contracts,
    string? ExplorerUrl = null)
{
    /// <summary>The explorer's page of a transaction; null when the chain has no explorer (anvil).</summary>
    public string? TransactionUrl(string hash) => ExplorerUrl is { Length: > 0 } explorer ? $"{explorer.TrimEnd('/')}/tx/{hash}" : null;

    /// <summary>The chain id as wallets write it: 0x-prefixed lowercase hex (EIP-695).</summary>
    public string ChainIdHex => "0x" + ChainId.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The EIP-55 addresses of the deployed contracts.</summary>
public sealed record ChainContracts(
    string HeuristToken,
    string EscrowedHeurist,
    string MinerStaking,
    string RewardsDistributor,
    string ImaginariesNft,
    string HeuristPaymaster,
    string EntryPoint,
    string SimpleAccountFactory);

/// <summary>Reads <see cref="ChainInfo"/>: from the deployment manifest on the server, over GET /api/chain in WebAssembly.</summary>
public interface IChainClient
{
    Task<ChainInfo> GetChainAsync(CancellationToken cancellationToken = default);

    /// <summary>How far the portal's chain indexer has read (GET /api/chain/indexed); never cached, since it moves.</summary>
    Task<ChainIndexStatus> GetIndexedAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The indexer's cursor: every block below <see cref="NextBlock"/> is in the portal's tables. Null before the indexer
/// has run at all.
/// </summary>
public sealed record ChainIndexStatus(long? NextBlock)
{
    /// <summary>Whether block <paramref name="blockNumber"/> (and every earlier one) is indexed.</summary>
    public bool HasIndexed(long blockNumber) => NextBlock is { } next && next > blockNumber;
}
