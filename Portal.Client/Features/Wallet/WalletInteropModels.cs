using System.Text.Json;
using System.Text.Json.Serialization;
using Heurist.Protocol.Api.Chain;

namespace Heurist.Portal.Client.Features.Wallet;

/// <summary>
/// A wallet found in the browser: an EIP-6963 announcement (<see cref="Uuid"/> and <see cref="Rdns"/> set, the icon a
/// data URI), or the bare EIP-1193 <c>window.ethereum</c> as "Browser wallet" with the id "injected".
/// </summary>
public sealed record DiscoveredWallet(string Id, string Uuid, string Name, string Icon, string Rdns);

/// <summary>
/// An EIP-1193 or JSON-RPC error: the provider's code (null when it gave none), its message, and the revert data
/// (0x-hex) when a call or a gas estimate reverted.
/// </summary>
public sealed record WalletError(int? Code, string Message, string? Data = null)
{
    /// <summary>EIP-1193: the user rejected the request.</summary>
    public const int UserRejected = 4001;

    /// <summary>EIP-1193: the provider is not connected.</summary>
    public const int Disconnected = 4900;

    /// <summary>EIP-3326: the wallet does not know the chain; add it with wallet_addEthereumChain.</summary>
    public const int UnrecognizedChain = 4902;

    /// <summary>MetaMask's "a request of this kind is already pending".</summary>
    public const int RequestPending = -32002;
}

/// <summary>What connect and restore in wallet.js answer.</summary>
public sealed record WalletConnection(bool Ok, DiscoveredWallet? Wallet, string[]? Accounts, string? ChainId, WalletError? Error)
{
    public static WalletConnection Failed(string message) => new(false, null, [], null, new WalletError(null, message));
}

/// <summary>What request (to the wallet) and rpc (to the chain's node) in wallet.js answer.</summary>
public sealed record WalletResponse(bool Ok, JsonElement? Result, WalletError? Error)
{
    public static WalletResponse Failed(string message) => new(false, null, new WalletError(null, message));

    /// <summary>The result when it is a string (a signature, a hash, a hex quantity); null otherwise.</summary>
    public string? ResultString => Result is { ValueKind: JsonValueKind.String } result ? result.GetString() : null;
}

/// <summary>
/// What the browser's own calls to the auth endpoints answer (fetchNonce, postSignIn, logout): the status, the nonce
/// or the signed-in address on success, and the problem details' title, detail and code otherwise. Status 0 means the
/// portal could not be reached.
/// </summary>
public sealed record AuthHttpResult(bool Ok, int Status, string? Nonce, string? Address, string? Title, string? Detail, string? Code)
{
    public static AuthHttpResult Failed(string title) => new(false, 0, null, null, title, null, null);

    /// <summary>The title and, when the portal gave one, the detail, as one sentence for the user.</summary>
    public string Problem => Detail is { Length: > 0 } detail ? $"{Title} {detail}" : Title ?? $"The portal answered {Status}.";
}

/// <summary>The parameter of wallet_switchEthereumChain (EIP-3326).</summary>
public sealed record SwitchEthereumChainParameter([property: JsonPropertyName("chainId")] string ChainId);

/// <summary>The parameter of wallet_addEthereumChain (EIP-3085).</summary>
public sealed record AddEthereumChainParameter(
    [property: JsonPropertyName("chainId")] string ChainId,
    [property: JsonPropertyName("chainName")] string ChainName,
    [property: JsonPropertyName("rpcUrls")] IReadOnlyList<string> RpcUrls,
    [property: JsonPropertyName("nativeCurrency")] NativeCurrency NativeCurrency)
{
    public static AddEthereumChainParameter For(ChainInfo chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return new(chain.ChainIdHex, chain.ChainName, [chain.RpcUrl], new NativeCurrency(chain.NativeCurrencySymbol, chain.NativeCurrencySymbol, 18));
    }
}

/// <summary>EIP-3085's nativeCurrency.</summary>
public sealed record NativeCurrency(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("decimals")] int Decimals);

/// <summary>The call object of eth_call.</summary>
public sealed record EthCall([property: JsonPropertyName("to")] string To, [property: JsonPropertyName("data")] string Data);
