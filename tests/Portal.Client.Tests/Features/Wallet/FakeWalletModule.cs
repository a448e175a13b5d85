using System.Text.Json;
using Bunit;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Protocol.Api.Auth;

namespace Heurist.Portal.Client.Tests.Features.Wallet;

/// <summary>
/// wallet.js as bUnit's JS interop plays it: the browser boundary of the wallet tests. Each method sets what one of
/// the module's functions answers; the invocations say what .NET asked of it.
/// </summary>
internal sealed class FakeWalletModule(BunitJSModuleInterop module)
{
    public const string Account = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    public const string OtherAccount = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

    public const string Signature = "0x5a1f0b3c";

    public static readonly DiscoveredWallet Rabby = new("uuid-rabby", "uuid-rabby", "Rabby", "data:image/svg+xml;base64,PHN2Zy8+", "io.rabby");

    public static readonly DiscoveredWallet MetaMask = new("uuid-metamask", "uuid-metamask", "MetaMask", "data:image/png;base64,iVBORw0=", "io.metamask");

    public static FakeWalletModule Setup(BunitJSInterop jsInterop) => new(jsInterop.SetupModule(WalletInterop.ModulePath));

    public JSRuntimeInvocationDictionary Invocations => module.Invocations;

    /// <summary>Every call of the function, in order.</summary>
    public IReadOnlyList<JSRuntimeInvocation> Calls(string identifier) => [.. module.Invocations[identifier]];

    /// <summary>The requests to the wallet with this method.</summary>
    public IReadOnlyList<JSRuntimeInvocation> Requests(string method) => [.. module.Invocations["request"].Where(call => Equals(call.Arguments[0], method))];

    /// <summary>The identifiers .NET called, in order.</summary>
    public IReadOnlyList<string> Order => [.. module.Invocations.Select(call => call.Identifier == "request" ? $"request:{call.Arguments[0]}" : call.Identifier)];

    /// <summary>The object the wallet's events are sent to, as connect or restore handed it over.</summary>
    public WalletInterop Events
        => module.Invocations.Where(call => call.Identifier is "connect" or "restore")
            .Select(call => call.Arguments[^1]).OfType<Microsoft.JSInterop.DotNetObjectReference<WalletInterop>>().Last().Value;

    public void Announces(params DiscoveredWallet[] wallets)
        => module.Setup<DiscoveredWallet[]>("discover", _ => true).SetResult(wallets);

    public JSRuntimeInvocationHandler<WalletConnection> Connects(string account = Account, string chainId = "0x7a69", DiscoveredWallet? wallet = null)
    {
        var handler = module.Setup<WalletConnection>("connect", _ => true);
        handler.SetResult(new WalletConnection(true, wallet ?? Rabby, [account], chainId, null));
        return handler;
    }

    public JSRuntimeInvocationHandler<WalletConnection> ConnectWaits() => module.Setup<WalletConnection>("connect", _ => true);

    public void ConnectFails(int? code, string message)
        => module.Setup<WalletConnection>("connect", _ => true).SetResult(new WalletConnection(false, Rabby, [], "", new WalletError(code, message)));

    /// <summary>A wallet remembered from an earlier visit, still sharing the account.</summary>
    public void Restores(string account = Account, string chainId = "0x7a69", DiscoveredWallet? wallet = null)
        => module.Setup<WalletConnection>("restore", _ => true).SetResult(new WalletConnection(true, wallet ?? Rabby, [account], chainId, null));

    public void Answers(string method, object? result)
        => module.Setup<WalletResponse>("request", call => Equals(call.Arguments[0], method))
            .SetResult(new WalletResponse(true, JsonSerializer.SerializeToElement(result), null));

    public void Refuses(string method, int code, string message)
        => module.Setup<WalletResponse>("request", call => Equals(call.Arguments[0], method))
            .SetResult(new WalletResponse(false, null, new WalletError(code, message)));

    /// <summary>The wallet signing EIP-712 typed data (eth_signTypedData_v4); <paramref name="containing"/> picks the typed data this signature is for.</summary>
    public void SignsTypedData(string signature = Signature, string? containing = null)
        => module.Setup<WalletResponse>("signTypedData", call => containing is null || ((string)call.Arguments[1]!).Contains(containing, StringComparison.Ordinal))
            .SetResult(new WalletResponse(true, JsonSerializer.SerializeToElement(signature), null));

    public void RefusesToSignTypedData(int code, string message)
        => module.Setup<WalletResponse>("signTypedData", _ => true).SetResult(new WalletResponse(false, null, new WalletError(code, message)));

    /// <summary>The typed data (its JSON text) the wallet was asked to sign, in order, with the account it was asked of.</summary>
    public IReadOnlyList<(string Account, string TypedData)> TypedDataSigned => [.. module.Invocations["signTypedData"]
        .Select(call => ((string)call.Arguments[0]!, (string)call.Arguments[1]!))];

    /// <summary>The wallet refusing to send a transaction with this calldata; others go on as set up before.</summary>
    public void RefusesToSend(string data, int code, string message)
        => module.Setup<WalletResponse>("request", call => Equals(call.Arguments[0], "eth_sendTransaction")
                && ((object?[])call.Arguments[1]!)[0] is Heurist.Portal.Client.Features.Transactions.TransactionCall sent && sent.Data == data)
            .SetResult(new WalletResponse(false, null, new WalletError(code, message)));

    /// <summary>The chain's RPC answering a read; <paramref name="to"/> picks an eth_call by its contract.</summary>
    public JSRuntimeInvocationHandler<WalletResponse> Reads(string method, string? to = null)
        => module.Setup<WalletResponse>("rpc", call => Equals(call.Arguments[1], method)
            && (to is null || ((object?[])call.Arguments[2]!)[0] is EthCall ethCall && ethCall.To == to));

    public void ReadAnswers(string method, string hex, string? to = null)
        => Reads(method, to).SetResult(new WalletResponse(true, JsonSerializer.SerializeToElement(hex), null));

    public void ReadFails(string method, string? to = null)
        => Reads(method, to).SetResult(new WalletResponse(false, null, new WalletError(null, "Failed to fetch")));

    /// <summary>The chain's RPC answering eth_call to <paramref name="to"/> whose calldata starts with <paramref name="selector"/>.</summary>
    public void CallAnswers(string to, string selector, string hex)
        => module.Setup<WalletResponse>("rpc", call => IsCall(call, to, selector))
            .SetResult(new WalletResponse(true, JsonSerializer.SerializeToElement(hex), null));

    /// <summary>The chain's RPC answering <paramref name="method"/> with any JSON value (a receipt, a block, a gas estimate).</summary>
    public JSRuntimeInvocationHandler<WalletResponse> RpcAnswers(string method, object? result)
    {
        var handler = module.Setup<WalletResponse>("rpc", call => Equals(call.Arguments[1], method));
        handler.SetResult(new WalletResponse(true, JsonSerializer.SerializeToElement(result), null));
        return handler;
    }

    /// <summary>The chain's RPC holding its answer to <paramref name="method"/> until the test sets it.</summary>
    public JSRuntimeInvocationHandler<WalletResponse> RpcWaits(string method) => module.Setup<WalletResponse>("rpc", call => Equals(call.Arguments[1], method));

    /// <summary>The chain's RPC refusing <paramref name="method"/> as a node refuses a revert: code 3 and the revert data.</summary>
    public void RpcReverts(string method, string revertData)
        => module.Setup<WalletResponse>("rpc", call => Equals(call.Arguments[1], method))
            .SetResult(new WalletResponse(false, null, new WalletError(3, "execution reverted", revertData)));

    /// <summary>The eth_call reads of the chain's RPC, in order, with their calldata.</summary>
    public IReadOnlyList<string> CallData => [.. module.Invocations["rpc"]
        .Where(call => Equals(call.Arguments[1], "eth_call") && ((object?[])call.Arguments[2]!)[0] is EthCall)
        .Select(call => ((EthCall)((object?[])call.Arguments[2]!)[0]!).Data)];

    /// <summary>What eth_sendTransaction was asked to send, in order.</summary>
    public IReadOnlyList<Heurist.Portal.Client.Features.Transactions.TransactionCall> Sent => [.. Requests("eth_sendTransaction")
        .Select(call => (Heurist.Portal.Client.Features.Transactions.TransactionCall)((object?[])call.Arguments[1]!)[0]!)];

    private static bool IsCall(JSRuntimeInvocation call, string to, string selector)
        => Equals(call.Arguments[1], "eth_call") && ((object?[])call.Arguments[2]!)[0] is EthCall ethCall
            && string.Equals(ethCall.To, to, StringComparison.OrdinalIgnoreCase) && ethCall.Data.StartsWith(selector, StringComparison.Ordinal);

    public void GivesNonce(string nonce)
        => module.Setup<AuthHttpResult>("fetchNonce", _ => true).SetResult(new AuthHttpResult(true, 200, nonce, null, null, null, null));

    public void SignInAnswers(AuthHttpResult result)
        => module.Setup<AuthHttpResult>("postSignIn", _ => true).SetResult(result);

    public void SignInSucceeds(string address = Account) => SignInAnswers(new AuthHttpResult(true, 200, null, address, null, null, null));

    public void LogoutAnswers(int status = 204)
        => module.Setup<AuthHttpResult>("logout", _ => true).SetResult(new AuthHttpResult(status is >= 200 and < 300, status, null, null, null, null, null));

    /// <summary>32-byte uint256 return data of an eth_call.</summary>
    public static string Uint256(System.Numerics.BigInteger value) => "0x" + value.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);

    public static string Hex(string text) => "0x" + Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(text));

    public static SignInRequest Request(string message) => new(message, Signature);
}
