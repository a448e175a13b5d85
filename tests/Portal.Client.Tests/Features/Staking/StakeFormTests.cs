using Bunit;
using Heurist.Portal.Client.Features.Staking;
using Heurist.Portal.Client.Tests.Features.Stats;
using Heurist.Portal.Client.Tests.Features.Transactions;
using Heurist.Protocol.Api.Staking;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Chain;

namespace Heurist.Portal.Client.Tests.Features.Staking;

/// <summary>The stake dialog's form: what it refuses before the wallet opens, and when it approves first.</summary>
public sealed class StakeFormTests : ChainTestContext
{
    private static readonly MinerDetails Miner = InMemoryNetworkStatsClient.Details(InMemoryNetworkStatsClient.Row("rig-4090", 10));

    private static string Selector(string signature) => ContractCalls.Selectors[signature];

    private void MinerOnChain(string owner = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", long heuStaked = 5_000, long esHeuStaked = 0)
    {
        Wallet.CallAnswers(Contracts.MinerStaking, Selector(ContractSignatures.MinerOwner), AddressWord(owner));
        Wallet.CallAnswers(Contracts.MinerStaking, Selector(ContractSignatures.MinerStake), Words(heuStaked * OneToken, esHeuStaked * OneToken));
    }

    private void Allowance(string token, long tokens)
        => Wallet.CallAnswers(token, Selector(ContractSignatures.Allowance), Word(tokens * OneToken));

    private IRenderedComponent<StakeForm> RenderForm()
    {
        var form = Render<StakeForm>(p => p.Add(f => f.MinerId, "rig-4090").Add(f => f.Miner, Miner));
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("[data-testid='stake-submit']")));
        return form;
    }

    // A radio is picked by a click on its input, wherever MudRadio puts the test id.
    private static void EsHeu(IRenderedComponent<StakeForm> form)
        => form.Find("input[data-testid='kind-esheu'], [data-testid='kind-esheu'] input").Click();

    private static void Type(IRenderedComponent<StakeForm> form, string text) => form.Find("input[data-testid='stake-amount']").Input(text);

    [Theory]
    [InlineData("abc", "Amount: 'abc' is not a number.")]
    [InlineData("0", "Amount must be more than zero.")]
    [InlineData("-5", "Amount cannot be negative.")]
    [InlineData("1.0000000000000000001", "Amount has more than 18 decimals; the token has 18.")]
    [InlineData("100.5", "Amount is more than your HEU balance (100).")]
    [InlineData("", "Amount: enter an amount.")]
    public async Task A_bad_amount_is_refused_with_a_message_naming_the_field_and_the_wallet_stays_closed(string text, string message)
    {
        await ConnectAsync(heu: 100);
        MinerOnChain();
        var form = RenderForm();

        Type(form, text);
        form.Find("[data-testid='stake-submit']").Click();

        form.WaitForAssertion(() => Assert.Contains(message, form.Markup, StringComparison.Ordinal));
        Assert.Empty(Wallet.Requests("eth_sendTransaction"));
    }

    [Fact]
    public async Task The_esheu_balance_bounds_an_esheu_stake()
    {
        await ConnectAsync(heu: 100, esHeu: 50);
        MinerOnChain();
        var form = RenderForm();

        EsHeu(form);
        Type(form, "60");

        form.WaitForAssertion(() => Assert.Contains("Amount is more than your esHEU balance (50).", form.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_miner_not_registered_on_chain_cannot_take_stake()
    {
        await ConnectAsync();
        MinerOnChain(owner: ContractCalls.ZeroAddress);

        var form = RenderForm();

        Assert.Equal(StakeForm.NotRegisteredMessage, form.Find("[data-testid='stake-error']").TextContent.Trim());
        Assert.True(form.Find("[data-testid='stake-submit']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Efficiency_is_shown_now_and_after_the_stake()
    {
        await ConnectAsync(heu: 100_000);
        MinerOnChain(heuStaked: 5_000);
        var form = RenderForm();

        Type(form, "15000");

        form.WaitForAssertion(() => Assert.Equal("20%", form.Find("[data-testid='efficiency-after']").TextContent.Trim()));
        Assert.Equal("0%", form.Find("[data-testid='efficiency-now']").TextContent.Trim());
        Assert.Contains("No history yet", form.Find("[data-testid='stake-estimate']").TextContent, StringComparison.Ordinal);
    }

    // One settled epoch in which the miner earned 1,000 HEU at 50,000 staked (efficiency 0.5): 2,000 per epoch at
    // full efficiency; 50,000 staked now, a 50 % bribe, always up, day-long epochs, half of every payout in esHEU.
    private void MinerWithOutlook()
        => Stats.Miners[Miner.Summary.MinerId] = Miner with
        {
            Outlook = new MinerOutlook(
                [new MinerOutlookEpoch(3, Wei.ToText(1_000 * OneToken), Wei.ToText(50_000 * OneToken))], 5_000, Wei.ToText(50_000 * OneToken), 1_000_000, 86_400, 5_000),
        };

    private static string Estimate(IRenderedComponent<StakeForm> form, string part) => form.Find($"[data-testid='stake-estimate-{part}']").TextContent.Trim();

    [Fact]
    public async Task A_new_stake_shows_its_expected_heu_and_esheu_per_epoch_its_apr_and_what_it_does_to_the_efficiency_and_the_other_stakers()
    {
        await ConnectAsync(heu: 100_000);
        MinerOnChain(heuStaked: 50_000);
        MinerWithOutlook();
        var form = RenderForm();

        Type(form, "50000");

        // Efficiency 0.5 → 1 doubles the stakers' pot (1,000 HEU): the newcomer gets half, the others keep their 500.
        form.WaitForAssertion(() => Assert.Equal("≈ 250 HEU + 250 esHEU per epoch · APR 365%", Estimate(form, "amounts")));
        Assert.Equal(
            "As a new stake: the miner's efficiency goes from 50% to 100%; you can expect ≈ 500 HEU per epoch (APR 365%), "
            + "and its other stakers ≈ 500 → 500 HEU per epoch. From its last 1 settled epoch, uptime 100% and bribe 50%.",
            Estimate(form, "basis"));

        Type(form, "100000");

        // Past full efficiency a stake only dilutes: 1,000 HEU shared 2:1.
        form.WaitForAssertion(() => Assert.StartsWith("≈ 333.3333 HEU + 333.3333 esHEU per epoch · APR", Estimate(form, "amounts"), StringComparison.Ordinal));
        Assert.Contains("its other stakers ≈ 500 → 333.3333 HEU per epoch", Estimate(form, "basis"), StringComparison.Ordinal);
        // The dialog reads the miner's outlook once, however many amounts are typed.
        Assert.Single(Stats.MinerRequests);
    }

    [Fact]
    public async Task A_staker_already_on_the_miner_gets_the_what_if_on_top_of_its_own_stake()
    {
        await ConnectAsync(heu: 100_000);
        MinerOnChain(heuStaked: 50_000);
        MinerWithOutlook();
        Staking.Accounts[Account] = new StakingAccount(Account.ToLowerInvariant(), 10,
            [new StakePosition(Miner.MinerChainId, Miner.Summary.MinerId, TokenKind.Heu, Wei.ToText(20_000 * OneToken))], [],
            new StakeHistory(86_400, TestServices.Now.AddDays(-10), []));
        var form = RenderForm();

        Type(form, "50000");

        // 70,000 of 100,000 staked then: 700 of the 1,000 HEU pot; the others' 30,000 earn 300 before and after.
        form.WaitForAssertion(() => Assert.Equal("≈ 350 HEU + 350 esHEU per epoch · APR 365%", Estimate(form, "amounts")));
        Assert.StartsWith("On top of your 20,000 staked: the miner's efficiency goes from 50% to 100%; you can expect ≈ 700 HEU per epoch (APR 365%), "
            + "and its other stakers ≈ 300 → 300 HEU per epoch.", Estimate(form, "basis"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_allowance_takes_two_steps_approve_then_stake()
    {
        await ConnectAsync(heu: 100);
        MinerOnChain();
        Allowance(Contracts.HeuristToken, 2);
        TransactionsSucceed();
        var form = RenderForm();

        Type(form, "5");
        form.Find("[data-testid='stake-submit']").Click();

        form.WaitForAssertion(() => Assert.Equal(2, Wallet.Sent.Count));
        var (approve, stake) = (Wallet.Sent[0], Wallet.Sent[1]);
        Assert.Equal((Contracts.HeuristToken, ContractCalls.Approve(Contracts.MinerStaking, 5 * OneToken)), (approve.To, approve.Data));
        Assert.Equal((Contracts.MinerStaking, ContractCalls.Stake(Miner.MinerChainId, TokenKind.Heu, 5 * OneToken)), (stake.To, stake.Data));
        form.WaitForAssertion(() => Assert.Equal("Step 2 of 2: stake", form.Find("[data-testid='stake-step']").TextContent.Trim()));
        form.WaitForAssertion(() => Assert.Equal("Indexed", form.Find("[data-testid='tx-status']").GetAttribute("data-stage")));
    }

    [Fact]
    public async Task Enough_allowance_stakes_in_one_step_for_esheu_too()
    {
        await ConnectAsync(esHeu: 50);
        MinerOnChain();
        Allowance(Contracts.EscrowedHeurist, 50);
        TransactionsSucceed();
        var form = RenderForm();

        EsHeu(form);
        Type(form, "5");
        form.Find("[data-testid='stake-submit']").Click();

        form.WaitForAssertion(() => Assert.Equal("Indexed", form.Find("[data-testid='tx-status']").GetAttribute("data-stage")));
        var stake = Assert.Single(Wallet.Sent);
        Assert.Equal(ContractCalls.Stake(Miner.MinerChainId, TokenKind.EsHeu, 5 * OneToken), stake.Data);
        Assert.Empty(form.FindAll("[data-testid='stake-step']"));
    }

    [Fact]
    public async Task A_declined_prompt_returns_to_the_form_with_the_amount_kept()
    {
        await ConnectAsync(heu: 100);
        MinerOnChain();
        Allowance(Contracts.HeuristToken, 100);
        Wallet.RpcAnswers("eth_estimateGas", "0x5208");
        Wallet.Refuses("eth_sendTransaction", 4001, "User rejected the request.");
        var form = RenderForm();

        Type(form, "7.5");
        form.Find("[data-testid='stake-submit']").Click();

        form.WaitForAssertion(() => Assert.Equal("Declined", form.Find("[data-testid='tx-status']").GetAttribute("data-stage")));
        Assert.Contains("You declined the transaction", form.Find("[data-testid='tx-message']").TextContent, StringComparison.Ordinal);
        Assert.Equal("7.5", form.Find("input[data-testid='stake-amount']").GetAttribute("value"));
        Assert.False(form.Find("[data-testid='stake-submit']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task On_the_wrong_network_the_form_says_so_and_the_wallet_is_not_asked()
    {
        await ConnectAsync(chainId: "0x1");
        MinerOnChain();
        var form = RenderForm();

        Type(form, "5");
        form.Find("[data-testid='stake-submit']").Click();

        form.WaitForAssertion(() => Assert.Contains("Your wallet is on another network", form.Find("[data-testid='stake-form-error']").TextContent, StringComparison.Ordinal));
        Assert.Empty(Wallet.Requests("eth_sendTransaction"));
    }
}
