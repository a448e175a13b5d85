using System.Text.Json;
using Bunit;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Api.Chain;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static Heurist.Portal.Client.Tests.Features.Wallet.FakeWalletModule;

namespace Heurist.Portal.Client.Tests.Features.Wallet;

public sealed class WrongNetworkBannerTests : BunitContext
{
    private readonly InMemoryChainClient _chain = new();
    private readonly FakeWalletModule _wallet;

    public WrongNetworkBannerTests()
    {
        this.AddTestServices(configure: services => services
            .AddSingleton<IAuthClient>(new InMemoryAuthClient())
            .AddSingleton<IChainClient>(_chain));
        _wallet = FakeWalletModule.Setup(JSInterop);
        _wallet.Announces(Rabby);
    }

    private IEnumerable<string> Snackbars => Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => s.Message ?? "");

    private async Task<IRenderedComponent<WrongNetworkBanner>> RenderOnChainAsync(string chainId)
    {
        _wallet.Restores(Account, chainId);
        var banner = Render<WrongNetworkBanner>();
        // The account menu starts the wallet in the layout; here the test does.
        await banner.InvokeAsync(Services.GetRequiredService<WalletService>().InitializeAsync);
        return banner;
    }

    [Fact]
    public async Task On_another_chain_the_banner_names_both_chains()
    {
        var banner = await RenderOnChainAsync("0x1");

        banner.WaitForAssertion(() => Assert.Equal(
            "Your wallet is on chain 1; Heurist runs on Anvil (31337).",
            banner.Find("[data-testid='wrong-network-text']").TextContent));
        Assert.Equal("Switch network", banner.Find("[data-testid='switch-network']").TextContent.Trim());
    }

    [Fact]
    public async Task On_the_portals_chain_there_is_no_banner()
    {
        var banner = await RenderOnChainAsync("0x7a69");

        Assert.Equal(WalletState.Connected, Services.GetRequiredService<WalletService>().State);
        Assert.Empty(banner.FindAll("[data-testid='wrong-network']"));
    }

    [Fact]
    public async Task Switching_asks_the_wallet_for_the_portals_chain_and_the_banner_goes()
    {
        _wallet.Answers("wallet_switchEthereumChain", null);
        _wallet.Answers("eth_chainId", "0x7a69");
        var banner = await RenderOnChainAsync("0x1");

        banner.Find("[data-testid='switch-network']").Click();

        banner.WaitForAssertion(() => Assert.Empty(banner.FindAll("[data-testid='wrong-network']")));
        var switched = Assert.Single(_wallet.Requests("wallet_switchEthereumChain"));
        Assert.Equal([new SwitchEthereumChainParameter("0x7a69")], (object?[])switched.Arguments[1]!);
        Assert.Empty(_wallet.Requests("wallet_addEthereumChain"));
        Assert.Single(_wallet.Requests("eth_chainId"));
    }

    [Fact]
    public async Task A_wallet_that_does_not_know_the_chain_is_given_the_manifests_chain_to_add()
    {
        _chain.Chain = InMemoryChainClient.Anvil with { ChainName = "Heurist Devnet", RpcUrl = "https://rpc.example/heurist" };
        _wallet.Refuses("wallet_switchEthereumChain", WalletError.UnrecognizedChain, "Unrecognized chain ID \"0x7a69\".");
        _wallet.Answers("wallet_addEthereumChain", null);
        _wallet.Answers("eth_chainId", "0x7a69");
        var banner = await RenderOnChainAsync("0x1");

        banner.Find("[data-testid='switch-network']").Click();

        banner.WaitForAssertion(() => Assert.Empty(banner.FindAll("[data-testid='wrong-network']")));
        Assert.Equal(["request:wallet_switchEthereumChain", "request:wallet_addEthereumChain", "request:eth_chainId"],
            _wallet.Order.Where(call => call.StartsWith("request:", StringComparison.Ordinal)));
        var added = Assert.IsType<AddEthereumChainParameter>(Assert.Single((object?[])Assert.Single(_wallet.Requests("wallet_addEthereumChain")).Arguments[1]!));
        // EIP-3085's names, as the wallet receives them.
        Assert.Equal(
            """{"chainId":"0x7a69","chainName":"Heurist Devnet","rpcUrls":["https://rpc.example/heurist"],"nativeCurrency":{"name":"ETH","symbol":"ETH","decimals":18}}""",
            JsonSerializer.Serialize(added));
    }

    [Fact]
    public async Task A_declined_switch_keeps_the_banner_and_says_so()
    {
        _wallet.Refuses("wallet_switchEthereumChain", WalletError.UserRejected, "User rejected the request.");
        _wallet.Answers("eth_chainId", "0x1");
        var banner = await RenderOnChainAsync("0x1");

        banner.Find("[data-testid='switch-network']").Click();

        banner.WaitForAssertion(() => Assert.Contains("You declined the switch; the wallet stays on chain 1.", Snackbars));
        Assert.NotNull(banner.Find("[data-testid='wrong-network']"));
        Assert.False(banner.Find("[data-testid='switch-network']").HasAttribute("disabled"));
        Assert.Empty(_wallet.Requests("wallet_addEthereumChain"));
    }

    [Fact]
    public async Task The_banner_follows_the_wallets_chain_changes()
    {
        var banner = await RenderOnChainAsync("0x7a69");

        await banner.InvokeAsync(() => _wallet.Events.OnChainChanged("0x89"));
        banner.WaitForAssertion(() => Assert.Contains("on chain 137;", banner.Find("[data-testid='wrong-network-text']").TextContent, StringComparison.Ordinal));

        await banner.InvokeAsync(() => _wallet.Events.OnChainChanged("0x7a69"));
        banner.WaitForAssertion(() => Assert.Empty(banner.FindAll("[data-testid='wrong-network']")));
    }

    [Fact]
    public async Task Without_the_portals_chain_there_is_no_banner_to_show()
    {
        _chain.Failure = new HttpRequestException("The portal is down.");

        var banner = await RenderOnChainAsync("0x1");

        Assert.Equal(WalletState.Connected, Services.GetRequiredService<WalletService>().State);
        Assert.Empty(banner.FindAll("[data-testid='wrong-network']"));
    }
}
