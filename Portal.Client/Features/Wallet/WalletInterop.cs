using Heurist.Protocol.Api.Auth;
using Microsoft.JSInterop;

namespace Heurist.Portal.Client.Features.Wallet;

/// <summary>Where the wallet's events go: accountsChanged, chainChanged and disconnect, as EIP-1193 names them.</summary>
public interface IWalletEvents
{
    Task AccountsChangedAsync(IReadOnlyList<string> accounts);

    Task ChainChangedAsync(string chainId);

    Task DisconnectedAsync();
}

/// <summary>
/// The C# face of <c>wwwroot/js/wallet.js</c>, imported once per scope. No call throws: when the script cannot run
/// (prerendering, a circuit that is gone, a failed import) each answers its failure shape, as the script does for
/// the wallet's own errors. Only usable once the page is interactive.
/// </summary>
public sealed class WalletInterop(IJSRuntime js) : IAsyncDisposable
{
    /// <summary>
    /// The module's address. A WebAssembly app project serves its wwwroot at the site's root (not under
    /// _content/Portal.Client), and the import map maps this to the fingerprinted file.
    /// </summary>
    public const string ModulePath = "./js/wallet.js";

    private Task<IJSObjectReference>? _module;
    private DotNetObjectReference<WalletInterop>? _self;

    /// <summary>Receives the connected wallet's events.</summary>
    public IWalletEvents? Events { get; set; }

    public async Task<IReadOnlyList<DiscoveredWallet>> DiscoverAsync(CancellationToken cancellationToken = default)
        => await CallAsync<DiscoveredWallet[]>("discover", () => [], cancellationToken) ?? [];

    /// <summary>eth_requestAccounts on the wallet with this id: the wallet asks the user.</summary>
    public Task<WalletConnection> ConnectAsync(string walletId, CancellationToken cancellationToken = default)
        => CallAsync("connect", () => WalletConnection.Failed("The wallet script did not answer."), cancellationToken, walletId, Self());

    /// <summary>eth_accounts on the wallet remembered from an earlier visit: no prompt.</summary>
    public Task<WalletConnection> RestoreAsync(CancellationToken cancellationToken = default)
        => CallAsync("restore", () => WalletConnection.Failed("The wallet script did not answer."), cancellationToken, Self());

    /// <summary>Stops following the wallet's events; it stays remembered for the next visit.</summary>
    public Task UnwatchAsync() => CallVoidAsync("unwatch");

    /// <summary>Stops following the wallet and forgets it, so the next visit does not reconnect.</summary>
    public Task ForgetAsync() => CallVoidAsync("forget");

    /// <summary>An EIP-1193 request to the connected wallet.</summary>
    public Task<WalletResponse> RequestAsync(string method, object?[] parameters, CancellationToken cancellationToken = default)
        => CallAsync("request", () => WalletResponse.Failed("The wallet script did not answer."), cancellationToken, method, parameters);

    /// <summary>eth_signTypedData_v4 (EIP-712) by <paramref name="account"/> over <paramref name="typedData"/>, its JSON text: the wallet asks the user.</summary>
    public Task<WalletResponse> SignTypedDataAsync(string account, string typedData, CancellationToken cancellationToken = default)
        => CallAsync("signTypedData", () => WalletResponse.Failed("The wallet script did not answer."), cancellationToken, account, typedData);

    /// <summary>A JSON-RPC read from the chain's node at <paramref name="url"/>.</summary>
    public Task<WalletResponse> RpcAsync(string url, string method, object?[] parameters, CancellationToken cancellationToken = default)
        => CallAsync("rpc", () => WalletResponse.Failed("The wallet script did not answer."), cancellationToken, url, method, parameters);

    public Task<AuthHttpResult> FetchNonceAsync(CancellationToken cancellationToken = default)
        => CallAsync("fetchNonce", () => AuthHttpResult.Failed("Could not ask the portal for a nonce."), cancellationToken, AuthRoutes.Nonce);

    public Task<AuthHttpResult> PostSignInAsync(string message, string signature, string? creatorId = null, CancellationToken cancellationToken = default)
        => CallAsync("postSignIn", () => AuthHttpResult.Failed("Could not send the signature to the portal."), cancellationToken, message, signature, AuthRoutes.SignIn, creatorId);

    public Task<AuthHttpResult> LogoutAsync(CancellationToken cancellationToken = default)
        => CallAsync("logout", () => AuthHttpResult.Failed("Could not reach the portal to sign out."), cancellationToken, AuthRoutes.Logout);

    [JSInvokable]
    public Task OnAccountsChanged(string[] accounts) => Events?.AccountsChangedAsync(accounts ?? []) ?? Task.CompletedTask;

    [JSInvokable]
    public Task OnChainChanged(string chainId) => Events?.ChainChangedAsync(chainId ?? "") ?? Task.CompletedTask;

    [JSInvokable]
    public Task OnDisconnected() => Events?.DisconnectedAsync() ?? Task.CompletedTask;

    private DotNetObjectReference<WalletInterop> Self() => _self ??= DotNetObjectReference.Create(this);

    // The wallet waits for the user, so calls carry a token instead of the JS runtime's default timeout (a minute on
    // the server), which would cut a slow approval short.
    private async Task<T> CallAsync<T>(string identifier, Func<T> failed, CancellationToken cancellationToken, params object?[] arguments)
    {
        try
        {
            var module = await ImportAsync();
            return await module.InvokeAsync<T>(identifier, cancellationToken, arguments) ?? failed();
        }
        catch (Exception ex) when (IsInteropFailure(ex))
        {
            return failed();
        }
    }

    private async Task CallVoidAsync(string identifier)
    {
        try
        {
            var module = await ImportAsync();
            await module.InvokeVoidAsync(identifier, CancellationToken.None, []);
        }
        catch (Exception ex) when (IsInteropFailure(ex))
        {
        }
    }

    private Task<IJSObjectReference> ImportAsync()
    {
        var module = _module ??= js.InvokeAsync<IJSObjectReference>("import", ModulePath).AsTask();
        if (module.IsFaulted || module.IsCanceled)
        {
            // A failed import (a network blip) is tried again by the next call.
            _module = null;
        }
        return module;
    }

    // JSException: the script threw; JSDisconnectedException: the circuit is gone; InvalidOperationException: there is
    // no JavaScript yet (prerendering); OperationCanceledException: the caller gave up.
    private static bool IsInteropFailure(Exception ex)
        => ex is JSException or JSDisconnectedException or InvalidOperationException or OperationCanceledException or ObjectDisposedException;

    public async ValueTask DisposeAsync()
    {
        if (_module is { IsCompletedSuccessfully: true } loaded)
        {
            var module = await loaded;
            try
            {
                await module.InvokeVoidAsync("unwatch");
                await module.DisposeAsync();
            }
            catch (Exception ex) when (IsInteropFailure(ex))
            {
                // The page is going away; the browser drops the listeners with it.
            }
        }
        _self?.Dispose();
    }
}
