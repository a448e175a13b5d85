using Bunit;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Api.Chain;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static Heurist.Portal.Client.Tests.Features.Wallet.FakeWalletModule;

namespace Heurist.Portal.Client.Tests.Features.Wallet;

public sealed class AccountMenuTests : BunitContext
{
    private readonly InMemoryAuthClient _auth = new();
    private readonly InMemoryChainClient _chain = new();
    private readonly FakeWalletModule _wallet;
    private readonly IRenderedComponent<MudPopoverProvider> _popovers;
    private readonly IRenderedComponent<MudDialogProvider> _dialogs;

    public AccountMenuTests()
    {
        this.AddTestServices(renderPopoverProvider: false, configure: services => services
            .AddSingleton<IAuthClient>(_auth)
            .AddSingleton<IChainClient>(_chain));
        _wallet = FakeWalletModule.Setup(JSInterop);
        // The account panel and the connect dialog render into these providers, as in the layout.
        _popovers = Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    private IEnumerable<string> Snackbars => Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => s.Message ?? "");

    private WalletService Wallet => Services.GetRequiredService<WalletService>();

    private async Task<string?> SignedInAddressAsync()
        => AuthClaims.AddressOf((await Services.GetRequiredService<AuthenticationStateProvider>().GetAuthenticationStateAsync()).User);

    private IRenderedComponent<AccountMenu> RenderConnected(string chainId = "0x7a69")
    {
        _wallet.Announces(Rabby);
        _wallet.Restores(Account, chainId);
        var menu = Render<AccountMenu>();
        menu.WaitForAssertion(() => Assert.Equal("0xf39F…2266", menu.Find("[data-testid='account-short']").TextContent));
        return menu;
    }

    private void OpenPanel(IRenderedComponent<AccountMenu> menu)
    {
        menu.Find("[data-testid='account-button']").Click();
        _popovers.WaitForAssertion(() => Assert.NotNull(_popovers.Find(".mud-popover-open [data-testid='account-address']")));
    }

    private void OpenDialog(IRenderedComponent<AccountMenu> menu)
    {
        menu.WaitForAssertion(() => Assert.Equal(WalletState.Disconnected, Wallet.State));
        menu.Find("[data-testid='connect-wallet']").Click();
        _dialogs.WaitForAssertion(() => Assert.NotEmpty(_dialogs.FindAll("[data-testid='wallet-option']")));
    }

    [Fact]
    public void The_dialog_lists_every_announced_wallet_with_its_icon_and_name()
    {
        _wallet.Announces(Rabby, MetaMask);
        var menu = Render<AccountMenu>();

        OpenDialog(menu);

        var options = _dialogs.FindAll("[data-testid='wallet-option']");
        Assert.Equal(["Rabby", "MetaMask"], options.Select(option => option.TextContent.Trim()));
        Assert.Equal([Rabby.Icon, MetaMask.Icon], options.Select(option => option.QuerySelector("img")!.GetAttribute("src")));
        Assert.All(options, option => Assert.Equal("button", option.TagName.ToLowerInvariant()));
        Assert.Empty(_dialogs.FindAll("[data-testid='no-wallet']"));
    }

    [Fact]
    public void Without_any_wallet_the_dialog_says_how_to_get_one()
    {
        _wallet.Announces();
        var menu = Render<AccountMenu>();
        menu.WaitForAssertion(() => Assert.Equal(WalletState.NoWallet, Wallet.State));

        menu.Find("[data-testid='connect-wallet']").Click();

        _dialogs.WaitForAssertion(() => Assert.Equal(
            "No wallet found. Install a browser wallet such as MetaMask or Rabby, then reload.",
            _dialogs.Find("[data-testid='no-wallet']").TextContent.Trim()));
        Assert.Empty(_dialogs.FindAll("[data-testid='wallet-option']"));
    }

    [Fact]
    public void Connecting_a_wallet_shows_the_short_checksummed_address_and_closes_the_dialog()
    {
        _wallet.Announces(Rabby, MetaMask);
        // Wallets often hand out lowercase addresses.
        _wallet.Connects(Account.ToLowerInvariant(), wallet: MetaMask);
        var menu = Render<AccountMenu>();
        OpenDialog(menu);

        _dialogs.FindAll("[data-testid='wallet-option']")[1].Click();

        menu.WaitForAssertion(() => Assert.Equal("0xf39F…2266", menu.Find("[data-testid='account-short']").TextContent));
        Assert.Equal("uuid-metamask", Assert.Single(_wallet.Calls("connect")).Arguments[0]);
        Assert.Equal(Account, Wallet.Account);
        Assert.Equal("Account 0xf39F…2266, not signed in", menu.Find("[data-testid='account-button']").GetAttribute("aria-label"));
        Assert.Empty(menu.FindAll("[data-testid='signed-in-dot']"));
        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid='wallet-option']")));
    }

    [Fact]
    public void While_the_wallet_asks_the_dialog_shows_progress_and_holds_the_other_choices()
    {
        _wallet.Announces(Rabby, MetaMask);
        var pending = _wallet.ConnectWaits();
        var menu = Render<AccountMenu>();
        OpenDialog(menu);

        _dialogs.FindAll("[data-testid='wallet-option']")[0].Click();

        _dialogs.WaitForAssertion(() => Assert.Equal("Approve the connection in Rabby…", _dialogs.Find("[data-testid='connecting']").TextContent.Trim()));
        Assert.All(_dialogs.FindAll("[data-testid='wallet-option']"), option => Assert.True(option.HasAttribute("disabled")));
        Assert.NotNull(_dialogs.Find("[data-testid='wallet-option'] .mud-progress-circular"));

        pending.SetResult(new WalletConnection(true, Rabby, [Account], "0x7a69", null));

        menu.WaitForAssertion(() => Assert.NotNull(menu.Find("[data-testid='account-button']")));
    }

    [Fact]
    public void A_declined_connection_leaves_the_dialog_open_and_says_so()
    {
        _wallet.Announces(Rabby);
        _wallet.ConnectFails(WalletError.UserRejected, "User rejected the request.");
        var menu = Render<AccountMenu>();
        OpenDialog(menu);

        _dialogs.Find("[data-testid='wallet-option']").Click();

        menu.WaitForAssertion(() => Assert.Contains("You declined the connection in Rabby; no wallet is connected.", Snackbars));
        Assert.Equal(WalletState.Disconnected, Wallet.State);
        Assert.False(_dialogs.Find("[data-testid='wallet-option']").HasAttribute("disabled"));
        Assert.NotNull(menu.Find("[data-testid='connect-wallet']"));
    }

    [Fact]
    public void A_wallet_from_an_earlier_visit_reconnects_without_asking()
    {
        var menu = RenderConnected();

        Assert.Empty(_wallet.Calls("connect"));
        Assert.Single(_wallet.Calls("restore"));
        Assert.Empty(menu.FindAll("[data-testid='connect-wallet']"));
    }

    [Fact]
    public void Before_the_page_is_interactive_the_button_waits_and_nothing_reaches_the_wallet()
    {
        Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var menu = Render<AccountMenu>();

        Assert.True(menu.Find("[data-testid='connect-wallet']").HasAttribute("disabled"));
        Assert.Empty(_wallet.Invocations);
        Assert.DoesNotContain(JSInterop.Invocations, call => call.Identifier == "import");
    }

    [Fact]
    public void The_panel_shows_the_whole_address_with_a_copy_button_and_the_balances()
    {
        _wallet.ReadAnswers("eth_getBalance", "0x14d1120d7b160000");
        _wallet.ReadAnswers("eth_call", Uint256(0), InMemoryChainClient.Anvil.Contracts.HeuristToken);
        _wallet.ReadAnswers("eth_call", Uint256(2_250_000_000_000_000_000), InMemoryChainClient.Anvil.Contracts.EscrowedHeurist);
        var menu = RenderConnected();

        OpenPanel(menu);

        Assert.Equal(Account, _popovers.Find("[data-testid='account-address'] .mono").TextContent);
        Assert.NotNull(_popovers.Find("[data-testid='account-address'] button[aria-label='Copy address']"));
        _popovers.WaitForAssertion(() => Assert.Equal("1.5", _popovers.Find("[data-testid='balance-eth']").TextContent.Trim()));
        Assert.Equal("0", _popovers.Find("[data-testid='balance-heu']").TextContent.Trim());
        Assert.Equal("2.25", _popovers.Find("[data-testid='balance-esheu']").TextContent.Trim());
        Assert.Empty(_popovers.FindAll("[data-testid='balances-retry']"));
        // Reads go to the chain's RPC, never to the wallet: once on connecting, once more as the panel opens.
        var balances = _wallet.Calls("rpc").Where(call => Equals(call.Arguments[1], "eth_getBalance")).ToArray();
        Assert.Equal(2, balances.Length);
        Assert.All(balances, balance => Assert.Equal(InMemoryChainClient.Anvil.RpcUrl, balance.Arguments[0]));
        Assert.All(balances, balance => Assert.Equal([Account, "latest"], (object?[])balance.Arguments[2]!));
        var heu = _wallet.Calls("rpc").Where(call => ((object?[])call.Arguments[2]!)[0] is EthCall { To: var to } && to == InMemoryChainClient.Anvil.Contracts.HeuristToken).ToArray();
        Assert.Equal(2, heu.Length);
        Assert.Equal(new EthCall(InMemoryChainClient.Anvil.Contracts.HeuristToken, ChainReads.BalanceOfCallData(Account)), ((object?[])heu[0].Arguments[2]!)[0]);
        Assert.Empty(_wallet.Requests("eth_getBalance"));
    }

    [Fact]
    public void Opening_the_panel_again_reads_the_balances_again()
    {
        _wallet.ReadAnswers("eth_getBalance", "0x0");
        _wallet.ReadAnswers("eth_call", Uint256(0), InMemoryChainClient.Anvil.Contracts.HeuristToken);
        _wallet.ReadAnswers("eth_call", Uint256(0), InMemoryChainClient.Anvil.Contracts.EscrowedHeurist);
        var menu = RenderConnected();
        OpenPanel(menu);
        _popovers.WaitForAssertion(() => Assert.Equal("0", _popovers.Find("[data-testid='balance-eth']").TextContent.Trim()));

        // A block later the account holds 1.5 ETH; closing and opening the panel shows it.
        _wallet.ReadAnswers("eth_getBalance", "0x14d1120d7b160000");
        menu.Find("[data-testid='account-button']").Click();
        OpenPanel(menu);

        _popovers.WaitForAssertion(() => Assert.Equal("1.5", _popovers.Find("[data-testid='balance-eth']").TextContent.Trim()));
    }

    [Fact]
    public void Balances_show_a_skeleton_while_the_rpc_reads()
    {
        _wallet.Reads("eth_getBalance");
        var menu = RenderConnected();

        OpenPanel(menu);

        Assert.NotNull(_popovers.Find("[data-testid='balance-eth'] .mud-skeleton"));
        Assert.Equal("true", _popovers.Find("[data-testid='balance-eth']").GetAttribute("aria-busy"));
    }

    [Fact]
    public void A_balance_the_rpc_cannot_read_shows_a_dash_and_a_retry_that_reads_again()
    {
        _wallet.ReadAnswers("eth_getBalance", "0x0");
        _wallet.ReadAnswers("eth_call", Uint256(1), InMemoryChainClient.Anvil.Contracts.HeuristToken);
        _wallet.ReadFails("eth_call", InMemoryChainClient.Anvil.Contracts.EscrowedHeurist);
        var menu = RenderConnected();
        OpenPanel(menu);

        _popovers.WaitForAssertion(() => Assert.Equal("—", _popovers.Find("[data-testid='balance-esheu']").TextContent.Trim()));
        Assert.Equal("0", _popovers.Find("[data-testid='balance-eth']").TextContent.Trim());
        Assert.Equal("< 0.0001", _popovers.Find("[data-testid='balance-heu']").TextContent.Trim());

        _wallet.ReadAnswers("eth_call", Uint256(1_500_000_000_000_000_000), InMemoryChainClient.Anvil.Contracts.EscrowedHeurist);
        _popovers.Find("[data-testid='balances-retry']").Click();

        _popovers.WaitForAssertion(() => Assert.Equal("1.5", _popovers.Find("[data-testid='balance-esheu']").TextContent.Trim()));
        Assert.Empty(_popovers.FindAll("[data-testid='balances-retry']"));
    }

    [Fact]
    public async Task Signing_in_signs_the_portals_message_posts_it_and_confirms_it()
    {
        _wallet.GivesNonce("Nonce12345");
        _wallet.Answers("personal_sign", Signature);
        _wallet.SignInSucceeds();
        var orderAtConfirm = new List<string>();
        _auth.OnConfirm = () => orderAtConfirm.AddRange(_wallet.Order);
        // The wallet sits on another chain: the message still names the portal's.
        var menu = RenderConnected(chainId: "0x1");
        OpenPanel(menu);

        _popovers.Find("[data-testid='sign-in']").Click();

        _popovers.WaitForAssertion(() => Assert.NotNull(_popovers.Find("[data-testid='signed-in']")));
        var expected = new Protocol.Auth.SiweMessage
        {
            Scheme = "http",
            Domain = "localhost",
            Address = Account,
            Statement = "Sign in to Heurist Portal.",
            Uri = "http://localhost",
            ChainId = 31337,
            Nonce = "Nonce12345",
            IssuedAt = TestServices.Now,
            ExpirationTime = TestServices.Now.AddDays(7),
        }.ToMessage();
        Assert.StartsWith("http://localhost wants you to sign in with your Ethereum account:\n" + Account + "\n", expected, StringComparison.Ordinal);
        var sign = Assert.Single(_wallet.Requests("personal_sign"));
        Assert.Equal([Hex(expected), Account], (object?[])sign.Arguments[1]!);
        var post = Assert.Single(_wallet.Calls("postSignIn"));
        Assert.Equal([expected, Signature, AuthRoutes.SignIn], post.Arguments.Take(3));
        // The browser's creator id goes along, so the account adopts this browser's anonymous jobs.
        Assert.True(CreatorIds.IsValid(post.Arguments[3] as string), $"creator id sent: {post.Arguments[3]}");
        Assert.Equal(Request(expected), Assert.Single(_auth.Confirmations));
        Assert.Equal(["fetchNonce", "request:personal_sign", "postSignIn"], orderAtConfirm.Where(call => call is "fetchNonce" or "request:personal_sign" or "postSignIn"));
        Assert.Equal(Account, await SignedInAddressAsync());
        menu.WaitForAssertion(() => Assert.NotNull(menu.Find("[data-testid='signed-in-dot']")));
        Assert.Equal("Account 0xf39F…2266, signed in", menu.Find("[data-testid='account-button']").GetAttribute("aria-label"));
        Assert.Empty(_popovers.FindAll("[data-testid='sign-in']"));
        Assert.Contains("Signed in as 0xf39F…2266.", Snackbars);
    }

    [Fact]
    public async Task Declining_the_signature_leaves_everything_as_it_was()
    {
        _wallet.GivesNonce("Nonce12345");
        _wallet.Refuses("personal_sign", WalletError.UserRejected, "User rejected the request.");
        _wallet.ReadAnswers("eth_getBalance", "0x14d1120d7b160000");
        var menu = RenderConnected();
        OpenPanel(menu);
        _popovers.WaitForAssertion(() => Assert.Equal("1.5", _popovers.Find("[data-testid='balance-eth']").TextContent.Trim()));

        _popovers.Find("[data-testid='sign-in']").Click();

        menu.WaitForAssertion(() => Assert.Contains("You declined the signature; you are not signed in.", Snackbars));
        Assert.Single(_wallet.Requests("personal_sign"));
        Assert.Empty(_wallet.Calls("postSignIn"));
        Assert.Empty(_auth.Confirmations);
        Assert.Null(await SignedInAddressAsync());
        Assert.Equal((WalletState.Connected, Account, 31337UL), (Wallet.State, Wallet.Account, Wallet.ChainId));
        // Still in the open panel, ready to try again, with the balance read before.
        _popovers.WaitForAssertion(() => Assert.False(_popovers.Find(".mud-popover-open [data-testid='sign-in']").HasAttribute("disabled")));
        Assert.Equal("Sign in", _popovers.Find("[data-testid='sign-in']").TextContent.Trim());
        Assert.Equal("1.5", _popovers.Find("[data-testid='balance-eth']").TextContent.Trim());
        Assert.Empty(menu.FindAll("[data-testid='signed-in-dot']"));
    }

    [Fact]
    public async Task A_sign_in_the_portal_refuses_says_why_and_signs_nobody_in()
    {
        _wallet.GivesNonce("Nonce12345");
        _wallet.Answers("personal_sign", Signature);
        _wallet.SignInAnswers(new AuthHttpResult(false, 401, null, null, "The nonce has expired.", "Sign in again.", "nonce_expired"));
        var menu = RenderConnected();
        OpenPanel(menu);

        _popovers.Find("[data-testid='sign-in']").Click();

        menu.WaitForAssertion(() => Assert.Contains("The portal refused the sign-in: The nonce has expired. Sign in again.", Snackbars));
        Assert.Empty(_auth.Confirmations);
        Assert.Null(await SignedInAddressAsync());
        Assert.NotNull(_popovers.Find("[data-testid='sign-in']"));
    }

    [Fact]
    public async Task Switching_accounts_in_the_wallet_while_signed_in_signs_the_old_one_out()
    {
        _auth.Session = new SessionResponse(Account);
        _wallet.LogoutAnswers();
        var menu = RenderConnected();
        menu.WaitForAssertion(() => Assert.NotNull(menu.Find("[data-testid='signed-in-dot']")));

        await menu.InvokeAsync(() => _wallet.Events.OnAccountsChanged([OtherAccount.ToLowerInvariant()]));

        menu.WaitForAssertion(() => Assert.Equal("0x3C44…93BC", menu.Find("[data-testid='account-short']").TextContent));
        Assert.Equal(AuthRoutes.Logout, Assert.Single(_wallet.Calls("logout")).Arguments[0]);
        Assert.Null(await SignedInAddressAsync());
        Assert.Contains("Signed out: the wallet switched to 0x3C44…93BC.", Snackbars);
        Assert.Empty(menu.FindAll("[data-testid='signed-in-dot']"));
    }

    [Fact]
    public async Task The_same_account_in_another_case_is_no_switch()
    {
        _auth.Session = new SessionResponse(Account);
        var menu = RenderConnected();

        await menu.InvokeAsync(() => _wallet.Events.OnAccountsChanged([Account.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)]));

        Assert.Empty(_wallet.Calls("logout"));
        Assert.Equal(Account, await SignedInAddressAsync());
    }

    [Fact]
    public async Task A_session_of_another_account_than_the_wallets_ends_when_the_wallet_reconnects()
    {
        _auth.Session = new SessionResponse(OtherAccount);

        var menu = RenderConnected();

        menu.WaitForAssertion(() => Assert.Single(_wallet.Calls("logout")));
        Assert.Null(await SignedInAddressAsync());
        Assert.Contains("Signed out: the wallet switched to 0xf39F…2266.", Snackbars);
    }

    [Fact]
    public async Task A_wallet_that_lets_go_disconnects_and_signs_out_but_stays_remembered()
    {
        _auth.Session = new SessionResponse(Account);
        var menu = RenderConnected();

        await menu.InvokeAsync(() => _wallet.Events.OnAccountsChanged([]));

        menu.WaitForAssertion(() => Assert.NotNull(menu.Find("[data-testid='connect-wallet']")));
        Assert.Single(_wallet.Calls("logout"));
        Assert.Single(_wallet.Calls("unwatch"));
        Assert.Empty(_wallet.Calls("forget"));
        Assert.Null(await SignedInAddressAsync());
        Assert.Contains("Signed out: the wallet disconnected.", Snackbars);
        Assert.Equal(WalletState.Disconnected, Wallet.State);
    }

    [Fact]
    public async Task The_wallets_disconnect_event_disconnects()
    {
        var menu = RenderConnected();

        await menu.InvokeAsync(() => _wallet.Events.OnDisconnected());

        menu.WaitForAssertion(() => Assert.NotNull(menu.Find("[data-testid='connect-wallet']")));
        Assert.Null(Wallet.Account);
        // Nobody was signed in, so there was no session to end.
        Assert.Empty(_wallet.Calls("logout"));
    }

    [Fact]
    public async Task Disconnect_forgets_the_wallet_and_ends_the_session()
    {
        _auth.Session = new SessionResponse(Account);
        var menu = RenderConnected();
        OpenPanel(menu);

        _popovers.Find("[data-testid='disconnect']").Click();

        menu.WaitForAssertion(() => Assert.NotNull(menu.Find("[data-testid='connect-wallet']")));
        Assert.Single(_wallet.Calls("forget"));
        Assert.Single(_wallet.Calls("logout"));
        Assert.Null(await SignedInAddressAsync());
        Assert.Empty(_popovers.FindAll(".mud-popover-open [data-testid='account-address']"));
    }

    [Fact]
    public async Task Sign_out_ends_the_session_and_keeps_the_wallet()
    {
        _auth.Session = new SessionResponse(Account);
        _wallet.LogoutAnswers();
        var menu = RenderConnected();
        OpenPanel(menu);

        _popovers.Find("[data-testid='sign-out']").Click();

        _popovers.WaitForAssertion(() => Assert.NotNull(_popovers.Find("[data-testid='sign-in']")));
        Assert.Single(_wallet.Calls("logout"));
        Assert.Null(await SignedInAddressAsync());
        Assert.Equal(WalletState.Connected, Wallet.State);
        Assert.Empty(_wallet.Calls("forget"));
    }

    [Fact]
    public async Task A_sign_out_the_portal_cannot_take_keeps_the_session_and_says_so()
    {
        _auth.Session = new SessionResponse(Account);
        _wallet.LogoutAnswers(status: 0);
        var menu = RenderConnected();
        OpenPanel(menu);

        _popovers.Find("[data-testid='sign-out']").Click();

        menu.WaitForAssertion(() => Assert.Contains(Snackbars, message => message.StartsWith("Could not sign out:", StringComparison.Ordinal)));
        Assert.Equal(Account, await SignedInAddressAsync());
        Assert.NotNull(_popovers.Find("[data-testid='sign-out']"));
    }

    [Fact]
    public void Escape_closes_the_panel()
    {
        var menu = RenderConnected();
        OpenPanel(menu);

        _popovers.Find("[role='dialog'][aria-label='Account']").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Escape" });

        _popovers.WaitForAssertion(() => Assert.Empty(_popovers.FindAll(".mud-popover-open [data-testid='account-address']")));
        Assert.Equal("false", menu.Find("[data-testid='account-button']").GetAttribute("aria-expanded"));
    }
}
