using Bunit;
using Heurist.Portal.Client.Features.Miners;
using Heurist.Portal.Client.Tests.Features.Stats;
using Heurist.Portal.Client.Tests.Features.Transactions;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Chain;

namespace Heurist.Portal.Client.Tests.Features.Miners;

/// <summary>The miner page's bribe panel: a form for the on-chain owner only, and Register on chain for the reward address.</summary>
public sealed class BribePanelTests : ChainTestContext
{
    private const string Owner = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

    private static readonly MinerDetails Miner = InMemoryNetworkStatsClient.Details(InMemoryNetworkStatsClient.Row("rig-4090", 10));

    private static string Selector(string signature) => ContractCalls.Selectors[signature];

    private void OnChain(string owner)
    {
        Wallet.CallAnswers(Contracts.MinerStaking, Selector(ContractSignatures.MinerOwner), AddressWord(owner));
        Wallet.CallAnswers(Contracts.MinerStaking, Selector(ContractSignatures.CurrentEpoch), Word(7));
        Wallet.CallAnswers(Contracts.MinerStaking, Selector(ContractSignatures.EpochLength), Word(3600));
        Wallet.CallAnswers(Contracts.MinerStaking, Selector(ContractSignatures.Genesis), Word(TestServices.Now.ToUnixTimeSeconds()));
    }

    private IRenderedComponent<BribePanel> RenderPanel()
    {
        var panel = Render<BribePanel>(p => p.Add(b => b.Miner, Miner));
        panel.WaitForAssertion(() => Assert.DoesNotContain("Reading the miner's owner", panel.Markup, StringComparison.Ordinal));
        return panel;
    }

    [Fact]
    public async Task The_owner_sets_a_bribe_that_takes_effect_next_epoch()
    {
        await ConnectAsync();
        OnChain(Account);
        TransactionsSucceed();
        var panel = RenderPanel();

        Assert.Equal("Takes effect from epoch 8 (starts 2026-11-22 20:00 UTC).", panel.Find("[data-testid='bribe-effective']").TextContent.Trim());
        panel.Find("input[data-testid='bribe-bps']").Input("1250");
        Assert.Contains("= 12.5%", panel.Markup, StringComparison.Ordinal);
        panel.Find("[data-testid='set-bribe']").Click();

        panel.WaitForAssertion(() => Assert.Equal(ContractCalls.SetBribe(Miner.MinerChainId, 1250), Assert.Single(Wallet.Sent).Data));
    }

    [Fact]
    public async Task A_bribe_above_10000_bps_is_refused_before_the_wallet_opens()
    {
        await ConnectAsync();
        OnChain(Account);
        var panel = RenderPanel();

        panel.Find("input[data-testid='bribe-bps']").Input("10001");
        panel.Find("[data-testid='set-bribe']").Click();

        Assert.Contains("New bribe must be between 0 and 10,000 basis points", panel.Markup, StringComparison.Ordinal);
        Assert.Empty(Wallet.Requests("eth_sendTransaction"));
    }

    [Fact]
    public async Task Anyone_else_sees_the_bribe_and_who_can_set_it_but_no_form()
    {
        await ConnectAsync();
        OnChain(Owner);

        var panel = RenderPanel();

        Assert.Equal($"Only the miner's owner ({Owner.ToLowerInvariant()}) can set its bribe.", panel.Find("[data-testid='bribe-note']").TextContent.Trim());
        Assert.Empty(panel.FindAll("[data-testid='set-bribe']"));
        Assert.Equal("2.5%", panel.Find("[data-testid='current-bribe']").TextContent.Trim());
    }

    [Fact]
    public async Task The_reward_address_of_an_unregistered_miner_registers_it_on_chain()
    {
        Wallet.Answers("eth_chainId", "0x7a69");
        await ConnectAsync();
        OnChain(ContractCalls.ZeroAddress);
        // The sample miner pays the account this test connects.
        var miner = Miner with { Summary = Miner.Summary with { RewardAddress = Account } };
        TransactionsSucceed();

        var panel = Render<BribePanel>(p => p.Add(b => b.Miner, miner));
        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("[data-testid='register-miner']")));
        panel.Find("[data-testid='register-miner']").Click();

        panel.WaitForAssertion(() => Assert.Equal(ContractCalls.RegisterMiner(Miner.MinerChainId), Assert.Single(Wallet.Sent).Data));
    }
}
