using System.Text;
using System.Text.Json;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Api.Chain;
using Heurist.Protocol.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Heurist.Portal.Client.Features.Wallet;

/// <summary>
/// The page's wallet and session, one per scope (the WebAssembly app, or a server circuit): which wallets the browser
/// has, the connected one with its account, chain and balances, and who is signed in with Ethereum. Writes go to the
/// wallet, reads go to the chain's RPC. No method throws: a refusal or a failure leaves everything as it was and says
/// so in a snackbar. Usable once the page is interactive; <see cref="InitializeAsync"/> starts it.
/// </summary>
public sealed class WalletService : IWalletEvents, IDisposable
{
    /// <summary>The statement line of the Sign-In with Ethereum message.</summary>
    public const string SignInStatement = "Sign in to Heurist Portal.";

    /// <summary>How long a signed message stays valid (its expiration time after its issued-at).</summary>
    public static readonly TimeSpan SignInLifetime = TimeSpan.FromDays(7);

    private readonly WalletInterop _interop;
    private readonly IChainClient _chainClient;
    private readonly IAuthClient _authClient;
    private readonly WalletAuthenticationStateProvider _authState;
    private readonly NavigationManager _navigation;
    private readonly ISnackbar _snackbar;
    private readonly TimeProvider _clock;
    private readonly CreatorIdentity _creator;
    private Task? _initialization;
    // Moves on whenever the account does, so that a balance read for the previous one is dropped.
    private int _generation;

    public WalletService(WalletInterop interop, IChainClient chainClient, IAuthClient authClient,
        WalletAuthenticationStateProvider authState, NavigationManager navigation, ISnackbar snackbar, TimeProvider clock, CreatorIdentity creator)
    {
        ArgumentNullException.ThrowIfNull(interop);
        ArgumentNullException.ThrowIfNull(authState);
        _interop = interop;
        _chainClient = chainClient;
        _authClient = authClient;
        _authState = authState;
        _navigation = navigation;
        _snackbar = snackbar;
        _clock = clock;
        _creator = creator;
        interop.Events = this;
        authState.AuthenticationStateChanged += OnAuthenticationStateChanged;
    }

    /// <summary>Something shown changed: the state, the account, the chain, the balances or the session.</summary>
    public event Action? Changed;

    public WalletState State { get; private set; } = WalletState.Discovering;

    /// <summary>Every wallet the browser announced, or the bare window.ethereum.</summary>
    public IReadOnlyList<DiscoveredWallet> Wallets { get; private set; } = [];

    /// <summary>The wallet connected, or the one being connected while <see cref="State"/> is Connecting.</summary>
    public DiscoveredWallet? Wallet { get; private set; }

    /// <summary>The connected account in its EIP-55 form; compare addresses case-insensitively.</summary>
    public string? Account { get; private set; }

    /// <summary>The chain the wallet is on.</summary>
    public ulong? ChainId { get; private set; }

    /// <summary>The portal's chain; null until the portal has said.</summary>
    public ChainInfo? Chain { get; private set; }

    /// <summary>Connected to a chain other than the portal's.</summary>
    public bool IsWrongNetwork => State == WalletState.Connected && Chain is not null && ChainId is { } chainId && chainId != Chain.ChainId;

    /// <summary>The address signed in with Ethereum on this browser, whether or not its wallet is connected now.</summary>
    public string? SignedInAddress { get; private set; }

    public bool IsSignedIn => SignedInAddress is not null;

    public bool IsSigningIn { get; private set; }

    public bool IsSwitchingNetwork { get; private set; }

    public TokenBalance Eth { get; private set; } = TokenBalance.Pending("ETH");

    public TokenBalance Heu { get; private set; } = TokenBalance.Pending("HEU");

    public TokenBalance EsHeu { get; private set; } = TokenBalance.Pending("esHEU");

    /// <summary>
    /// True until <see cref="InitializeAsync"/> has found the wallets and reconnected a remembered one: a page shows
    /// "loading" then, not "connect a wallet", which a returning visitor would otherwise see flash by.
    /// </summary>
    public bool IsStarting { get; private set; } = true;

    /// <summary>Finds the wallets, the session and the portal's chain, and reconnects a remembered wallet; once per scope.</summary>
    public Task InitializeAsync() => _initialization ??= InitializeCoreAsync();

    private async Task InitializeCoreAsync()
    {
        try
        {
            var chain = LoadChainAsync();
            try
            {
                SignedInAddress = await _authState.GetAddressAsync();
            }
            catch (Exception ex) when (IsExpectedFailure(ex))
            {
                SignedInAddress = null;
            }
            await DiscoverAsync();
            await chain;
            await RestoreAsync();
        }
        finally
        {
            IsStarting = false;
            Notify();
        }
    }

    /// <summary>Asks the browser's wallets to announce themselves again.</summary>
    public async Task DiscoverAsync()
    {
        var wallets = await _interop.DiscoverAsync();
        // A wallet restored from an earlier visit stays listed even when it was slow to announce itself this time.
        Wallets = Wallet is { } connected && !wallets.Any(w => w.Id == connected.Id) ? [.. wallets, connected] : wallets;
        if (State is WalletState.Discovering or WalletState.NoWallet or WalletState.Disconnected)
        {
            State = Wallets.Count == 0 ? WalletState.NoWallet : WalletState.Disconnected;
        }
        Notify();
    }

    /// <summary>eth_requestAccounts on <paramref name="wallet"/>. False when the user declined or the wallet failed; the snackbar says which.</summary>
    public async Task<bool> ConnectAsync(DiscoveredWallet wallet)
    {
        ArgumentNullException.ThrowIfNull(wallet);
        if (State is WalletState.Connecting or WalletState.Connected)
        {
            return false;
        }
        State = WalletState.Connecting;
        Wallet = wallet;
        Notify();
        var connection = await _interop.ConnectAsync(wallet.Id);
        if (!connection.Ok || connection.Accounts is not [var account, ..])
        {
            Wallet = null;
            State = WalletState.Disconnected;
            Warn(connection.Error switch
            {
                { Code: WalletError.UserRejected } => $"You declined the connection in {wallet.Name}; no wallet is connected.",
                { Code: WalletError.RequestPending } => $"{wallet.Name} already has a request waiting: open it, finish or close that request, then try again.",
                { Message: { Length: > 0 } message } => $"Could not connect to {wallet.Name}: {message}",
                _ => $"{wallet.Name} shared no account; no wallet is connected.",
            });
            Notify();
            return false;
        }
        await AcceptAsync(connection.Wallet ?? wallet, account, connection.ChainId);
        return true;
    }

    /// <summary>Reconnects the wallet of an earlier visit without a prompt (eth_accounts); nothing happens when there is none.</summary>
    public async Task RestoreAsync()
    {
        if (State is WalletState.Connecting or WalletState.Connected)
        {
            return;
        }
        var connection = await _interop.RestoreAsync();
        if (connection is { Ok: true, Accounts: [var account, ..] } && State is not (WalletState.Connecting or WalletState.Connected))
        {
            await AcceptAsync(connection.Wallet, account, connection.ChainId);
        }
    }

    /// <summary>Forgets the wallet (no reconnection on the next visit) and ends the session.</summary>
    public async Task DisconnectAsync()
    {
        await _interop.ForgetAsync();
        ClearConnection();
        Notify();
        if (IsSignedIn)
        {
            await EndSessionAsync(null);
        }
    }

    /// <summary>
    /// wallet_switchEthereumChain to the portal's chain; when the wallet does not know it (4902),
    /// wallet_addEthereumChain (EIP-3085) with the deployment's chain. Then reads the wallet's chain again.
    /// </summary>
    public async Task SwitchNetworkAsync()
    {
        if (State != WalletState.Connected || IsSwitchingNetwork)
        {
            return;
        }
        IsSwitchingNetwork = true;
        Notify();
        try
        {
            if (await LoadChainAsync() is not { } chain)
            {
                Warn("Could not learn the portal's chain; try again in a moment.");
                return;
            }
            var switched = await _interop.RequestAsync("wallet_switchEthereumChain", [new SwitchEthereumChainParameter(chain.ChainIdHex)]);
            if (!switched.Ok && switched.Error?.Code == WalletError.UnrecognizedChain)
            {
                var added = await _interop.RequestAsync("wallet_addEthereumChain", [AddEthereumChainParameter.For(chain)]);
                if (!added.Ok)
                {
                    Warn(added.Error?.Code == WalletError.UserRejected
                        ? $"You declined adding {chain.ChainName}; the wallet stays on chain {ChainId}."
                        : $"The wallet could not add {chain.ChainName}: {added.Error?.Message}");
                }
            }
            else if (!switched.Ok)
            {
                Warn(switched.Error?.Code == WalletError.UserRejected
                    ? $"You declined the switch; the wallet stays on chain {ChainId}."
                    : $"The wallet could not switch to {chain.ChainName}: {switched.Error?.Message}");
            }
            var current = await _interop.RequestAsync("eth_chainId", []);
            if (current.Ok && ChainReads.ParseChainId(current.ResultString) is { } chainId)
            {
                ChainId = chainId;
            }
        }
        finally
        {
            IsSwitchingNetwork = false;
            Notify();
        }
    }

    /// <summary>
    /// Sign-In with Ethereum: a nonce from the portal, the EIP-4361 message signed with personal_sign, the browser's
    /// POST /api/auth/siwe (which sets the cookie), then <see cref="IAuthClient.ConfirmSignInAsync"/>. False, with
    /// nothing changed and a snackbar saying why, when any step is declined or fails.
    /// </summary>
    public async Task<bool> SignInAsync()
    {
        if (State != WalletState.Connected || Account is not { } account || IsSigningIn)
        {
            return false;
        }
        IsSigningIn = true;
        Notify();
        try
        {
            return await SignInCoreAsync(account);
        }
        finally
        {
            IsSigningIn = false;
            Notify();
        }
    }

    private async Task<bool> SignInCoreAsync(string account)
    {
        if (await LoadChainAsync() is not { } chain)
        {
            Warn("Could not learn the portal's chain; try signing in again in a moment.");
            return false;
        }
        var nonce = await _interop.FetchNonceAsync();
        if (!nonce.Ok || nonce.Nonce is not { Length: > 0 } value)
        {
            Fail($"Could not start signing in: {nonce.Problem}");
            return false;
        }
        var message = BuildSignInMessage(account, chain.ChainId, value).ToMessage();
        // personal_sign takes [data, address]; hex of the UTF-8 bytes reads the same in every wallet, where some
        // would take a bare string for hex.
        var signed = await _interop.RequestAsync("personal_sign", ["0x" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(message)), account]);
        if (!signed.Ok || signed.ResultString is not { Length: > 0 } signature)
        {
            Warn(signed.Error?.Code == WalletError.UserRejected
                ? "You declined the signature; you are not signed in."
                : $"The wallet could not sign: {signed.Error?.Message ?? "it gave no signature."}");
            return false;
        }
        if (!SameAddress(Account, account))
        {
            Warn("The wallet switched accounts while signing; you are not signed in. Sign in again.");
            return false;
        }
        var posted = await _interop.PostSignInAsync(message, signature, await _creator.GetAsync());
        if (!posted.Ok)
        {
            Fail($"The portal refused the sign-in: {posted.Problem}");
            return false;
        }
        SessionResponse? session;
        try
        {
            session = await _authClient.ConfirmSignInAsync(new SignInRequest(message, signature));
        }
        catch (Exception ex) when (IsExpectedFailure(ex))
        {
            session = null;
        }
        if (session is not { Address: { Length: > 0 } address })
        {
            Fail("The portal did not confirm the sign-in; try again.");
            return false;
        }
        SignedInAddress = address;
        _authState.SignedIn(address);
        _snackbar.Add($"Signed in as {Formatting.ShortAddress(address)}.", Severity.Success);
        return true;
    }

    /// <summary>The EIP-4361 message for <paramref name="account"/>: this page's origin, the portal's chain, a 7-day validity.</summary>
    public SiweMessage BuildSignInMessage(string account, ulong chainId, string nonce)
    {
        var page = new Uri(_navigation.BaseUri);
        var now = _clock.GetUtcNow();
        return new SiweMessage
        {
            Scheme = page.Scheme,
            // Authority leaves out a default port, as EIP-4361's domain does.
            Domain = page.Authority,
            Address = account,
            Statement = SignInStatement,
            Uri = page.GetLeftPart(UriPartial.Authority),
            ChainId = chainId,
            Nonce = nonce,
            IssuedAt = now,
            ExpirationTime = now + SignInLifetime,
        };
    }

    /// <summary>Ends the session (POST /api/auth/logout); the wallet stays connected. False when the portal could not be told.</summary>
    public async Task<bool> SignOutAsync()
    {
        var result = await _interop.LogoutAsync();
        // 401: the session had already ended.
        if (!result.Ok && result.Status != 401)
        {
            Fail($"Could not sign out: {result.Problem}");
            return false;
        }
        MarkSignedOut();
        _snackbar.Add("Signed out.", Severity.Info);
        return true;
    }

    /// <summary>
    /// eth_signTypedData_v4 (EIP-712) of <paramref name="typedData"/> (its JSON text) by the connected account. Unlike
    /// the other methods it shows no snackbar: the caller says what a refusal means next to what the user started.
    /// </summary>
    public async Task<WalletResponse> SignTypedDataAsync(string typedData, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(typedData);
        if (State != WalletState.Connected || Account is not { } account)
        {
            return new WalletResponse(false, null, new WalletError(WalletError.Disconnected, "No wallet is connected."));
        }
        return await _interop.SignTypedDataAsync(account, typedData, cancellationToken);
    }

    /// <summary>Reads the ETH, HEU and esHEU balances of the account from the chain's RPC.</summary>
    public async Task RefreshBalancesAsync()
    {
        if (State != WalletState.Connected || Account is not { } account)
        {
            return;
        }
        var generation = _generation;
        var chain = await LoadChainAsync();
        var native = chain?.NativeCurrencySymbol ?? Eth.Symbol;
        Eth = TokenBalance.Pending(native);
        Heu = TokenBalance.Pending(Heu.Symbol);
        EsHeu = TokenBalance.Pending(EsHeu.Symbol);
        Notify();
        if (chain is null)
        {
            Eth = Eth with { Failed = true };
            Heu = Heu with { Failed = true };
            EsHeu = EsHeu with { Failed = true };
            Notify();
            return;
        }
        var eth = ReadBalanceAsync(Eth.Symbol, chain.RpcUrl, "eth_getBalance", [account, "latest"]);
        var heu = ReadBalanceAsync(Heu.Symbol, chain.RpcUrl, "eth_call", [new EthCall(chain.Contracts.HeuristToken, ChainReads.BalanceOfCallData(account)), "latest"]);
        var esHeu = ReadBalanceAsync(EsHeu.Symbol, chain.RpcUrl, "eth_call", [new EthCall(chain.Contracts.EscrowedHeurist, ChainReads.BalanceOfCallData(account)), "latest"]);
        var (ethBalance, heuBalance, esHeuBalance) = (await eth, await heu, await esHeu);
        if (generation != _generation)
        {
            return;
        }
        (Eth, Heu, EsHeu) = (ethBalance, heuBalance, esHeuBalance);
        Notify();
    }

    private async Task<TokenBalance> ReadBalanceAsync(string symbol, string rpcUrl, string method, object?[] parameters)
    {
        var response = await _interop.RpcAsync(rpcUrl, method, parameters);
        return response.Ok && ChainReads.ParseUint(response.ResultString) is { } amount
            ? new TokenBalance(symbol, amount, false)
            : new TokenBalance(symbol, null, true);
    }

    async Task IWalletEvents.AccountsChangedAsync(IReadOnlyList<string> accounts)
    {
        if (State != WalletState.Connected)
        {
            return;
        }
        if (accounts.Count == 0)
        {
            await LoseWalletAsync();
            return;
        }
        var account = Eip55.Checksum(accounts[0]);
        if (SameAddress(account, Account))
        {
            return;
        }
        Account = account;
        _generation++;
        Notify();
        if (SignedInAddress is { } signedIn && !SameAddress(signedIn, account))
        {
            await EndSessionAsync($"Signed out: the wallet switched to {Formatting.ShortAddress(account)}.");
        }
        await RefreshBalancesAsync();
    }

    Task IWalletEvents.ChainChangedAsync(string chainId)
    {
        if (State == WalletState.Connected && ChainReads.ParseChainId(chainId) is { } parsed)
        {
            ChainId = parsed;
            Notify();
        }
        return Task.CompletedTask;
    }

    Task IWalletEvents.DisconnectedAsync() => State == WalletState.Connected ? LoseWalletAsync() : Task.CompletedTask;

    // The wallet let go (it was locked, or the site's access revoked). It stays remembered: eth_accounts on the next
    // visit answers nothing until the user lets the site in again, and then reconnects without a prompt.
    private async Task LoseWalletAsync()
    {
        await _interop.UnwatchAsync();
        ClearConnection();
        Notify();
        if (IsSignedIn)
        {
            await EndSessionAsync("Signed out: the wallet disconnected.");
        }
        else
        {
            _snackbar.Add("The wallet disconnected.", Severity.Info);
        }
    }

    private async Task AcceptAsync(DiscoveredWallet? wallet, string account, string? chainId)
    {
        Wallet = wallet;
        if (wallet is not null && !Wallets.Any(w => w.Id == wallet.Id))
        {
            Wallets = [.. Wallets, wallet];
        }
        Account = Eip55.Checksum(account);
        ChainId = ChainReads.ParseChainId(chainId);
        State = WalletState.Connected;
        _generation++;
        Notify();
        // A session of another account than the wallet's (left from an earlier visit) ends, as a switch in the wallet does.
        if (SignedInAddress is { } signedIn && !SameAddress(signedIn, Account))
        {
            await EndSessionAsync($"Signed out: the wallet switched to {Formatting.ShortAddress(Account)}.");
        }
        await RefreshBalancesAsync();
    }

    private void ClearConnection()
    {
        Wallet = null;
        Account = null;
        ChainId = null;
        State = Wallets.Count == 0 ? WalletState.NoWallet : WalletState.Disconnected;
        _generation++;
        Eth = TokenBalance.Pending(Eth.Symbol);
        Heu = TokenBalance.Pending(Heu.Symbol);
        EsHeu = TokenBalance.Pending(EsHeu.Symbol);
    }

    // Signed out here whatever the portal answers: the session belongs to an account the wallet no longer holds.
    // Should the logout not reach the portal, the next visit finds the session and ends it again.
    private async Task EndSessionAsync(string? reason)
    {
        var result = await _interop.LogoutAsync();
        MarkSignedOut();
        if (reason is not null)
        {
            Warn(reason);
        }
        if (!result.Ok && result.Status != 401)
        {
            Warn($"The portal did not end the session: {result.Problem}");
        }
    }

    private void MarkSignedOut()
    {
        SignedInAddress = null;
        _authState.SignedOut();
        Notify();
    }

    private async Task<ChainInfo?> LoadChainAsync()
    {
        if (Chain is null)
        {
            try
            {
                Chain = await _chainClient.GetChainAsync();
            }
            catch (Exception ex) when (IsExpectedFailure(ex))
            {
                // No banner and no balances until the portal answers; the next action asks again.
            }
        }
        return Chain;
    }

    private void OnAuthenticationStateChanged(Task<AuthenticationState> state) => _ = FollowAuthenticationStateAsync(state);

    private async Task FollowAuthenticationStateAsync(Task<AuthenticationState> state)
    {
        try
        {
            var address = AuthClaims.AddressOf((await state).User);
            if (address != SignedInAddress)
            {
                SignedInAddress = address;
                Notify();
            }
        }
        catch (Exception ex) when (IsExpectedFailure(ex))
        {
        }
    }

    private void Warn(string message) => _snackbar.Add(message, Severity.Warning);

    private void Fail(string message) => _snackbar.Add(message, Severity.Error);

    private void Notify() => Changed?.Invoke();

    private static bool SameAddress(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static bool IsExpectedFailure(Exception ex)
        => ex is HttpRequestException or ApiException or JsonException or OperationCanceledException or InvalidOperationException or IOException;

    public void Dispose()
    {
        _authState.AuthenticationStateChanged -= OnAuthenticationStateChanged;
        _interop.Events = null;
    }
}
