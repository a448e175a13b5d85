using Bunit;
using Heurist.Portal.Client.Features.Staking;
using Heurist.Portal.Client.Tests.Features.Transactions;
using Heurist.Protocol.Api.Rewards;
using Heurist.Protocol.Api.Staking;
using Heurist.Protocol.Chain;
using MudBlazor;

namespace Heurist.Portal.Client.Tests.Features.Staking;

/// <summary>/staking: empty states, the positions, and HEU unstakes counting down by the chain's clock.</summary>
public sealed class StakingPageTests : ChainTestContext
{
    private const string MinerChainId = "0x9c2d5f0e3b1a4c6d8e7f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d";

    private static StakingAccount Loaded(DateTimeOffset availableAt) => new(
        Account.ToLowerInvariant(),
        100,
        [
            new StakePosition(MinerChainId, "rig-4090", TokenKind.Heu, Wei.ToText(12_000 * OneToken)),
            new StakePosition(MinerChainId, "rig-4090", TokenKind.EsHeu, Wei.ToText(500 * OneToken)),
        ],
        [new PendingUnstake(7, MinerChainId, "rig-4090", Wei.ToText(1_000 * OneToken), availableAt)],
        new StakeHistory(3600, TestServices.Now.AddHours(-3), [
            new StakeEpoch(0, TestServices.Now.AddHours(-2), Wei.ToText(10_000 * OneToken), "0"),
            new StakeEpoch(1, TestServices.Now.AddHours(-1), Wei.ToText(13_000 * OneToken), Wei.ToText(500 * OneToken)),
        ]));

    [Fact]
    public async Task Without_a_wallet_the_page_asks_to_connect_one()
    {
        var page = Render<StakingPage>();
        // Until the wallets are found, the page does not say there is none.
        Assert.NotEmpty(page.FindAll("[data-testid$='-starting']"));
        await page.InvokeAsync(() => WalletService.InitializeAsync());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid$='-starting']")));

        Assert.Contains("Connect a wallet", page.Find("[data-testid='staking-connect']").TextContent, StringComparison.Ordinal);
        Assert.Empty(Staking.Requests);
    }

    [Fact]
    public async Task An_account_without_stake_is_sent_to_the_leaderboard()
    {
        await ConnectAsync();

        var page = Render<StakingPage>();

        page.WaitForAssertion(() => Assert.Contains("You have no stake yet; pick a miner on the leaderboard.", page.Find("[data-testid='staking-empty']").TextContent, StringComparison.Ordinal));
        Assert.Equal("/leaderboard", page.Find("[data-testid='staking-empty'] a").GetAttribute("href"));
    }

    [Fact]
    public async Task Positions_totals_and_the_chart_are_shown()
    {
        await ConnectAsync();
        ChainTimeIs(TestServices.Now);
        Staking.Accounts[Account] = Loaded(TestServices.Now.AddDays(10));

        var page = Render<StakingPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='position']").Count));
        Assert.Equal("12,000", page.Find("[data-testid='total-heu']").TextContent.Trim());
        Assert.Equal("500", page.Find("[data-testid='total-esheu']").TextContent.Trim());
        Assert.Equal("1,000", page.Find("[data-testid='total-cooldown']").TextContent.Trim());
        Assert.NotNull(page.Find("[data-testid='stake-chart']"));
    }

    [Fact]
    public async Task The_chart_shows_the_rewards_of_each_epoch_on_the_stakes_epochs()
    {
        await ConnectAsync();
        ChainTimeIs(TestServices.Now);
        Staking.Accounts[Account] = Loaded(TestServices.Now.AddDays(10));
        var heu = 3 * OneToken;
        var esHeu = OneToken * 3 / 2;
        Rewards.Answers(Account, new RewardAccount(Account.ToLowerInvariant(),
            [new AccountEpochReward(1, RewardEpochStatus.Posted, Wei.ToText(heu), Wei.ToText(esHeu), "3", "1.5", [], false, null)],
            Wei.ToText(heu), Wei.ToText(esHeu), "3", "1.5"));

        var page = Render<StakingPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='stake-chart']")));
        var series = page.FindComponent<MudChart<double>>().Instance.ChartSeries;
        Assert.Equal(["HEU", "esHEU", "Rewards (HEU + esHEU)"], series.Select(s => s.Name));
        Assert.Equal([0, 4.5], series[2].Data.Values);
    }

    [Fact]
    public async Task Without_rewards_the_chart_has_no_rewards_series()
    {
        await ConnectAsync();
        ChainTimeIs(TestServices.Now);
        Staking.Accounts[Account] = Loaded(TestServices.Now.AddDays(10));
        Rewards.Failure = new HttpRequestException("Connection refused.");

        var page = Render<StakingPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='stake-chart']")));
        Assert.Equal(["HEU", "esHEU"], page.FindComponent<MudChart<double>>().Instance.ChartSeries.Select(s => s.Name));
    }

    [Fact]
    public async Task Withdraw_waits_for_the_cooldown_with_the_time_left_on_its_button()
    {
        await ConnectAsync();
        ChainTimeIs(TestServices.Now);
        Staking.Accounts[Account] = Loaded(TestServices.Now.AddDays(2).AddHours(3));

        var page = Render<StakingPage>();

        page.WaitForAssertion(() => Assert.Equal("in 2d 3h 0m", page.Find("[data-testid='countdown']").TextContent.Trim()));
        var button = page.Find("[data-testid='withdraw-button']");
        Assert.True(button.HasAttribute("disabled"));
        Assert.Equal("Withdraw in 2d 3h 0m", button.TextContent.Trim());
    }

    [Fact]
    public async Task Withdraw_opens_when_the_chains_clock_has_passed_the_cooldown_even_if_the_browsers_has_not()
    {
        await ConnectAsync();
        // A test moved the chain's clock 31 days ahead; the browser still reads TestServices.Now.
        ChainTimeIs(TestServices.Now.AddDays(31));
        Staking.Accounts[Account] = Loaded(TestServices.Now.AddDays(30));
        TransactionsSucceed();

        var page = Render<StakingPage>();

        page.WaitForAssertion(() => Assert.Equal("now", page.Find("[data-testid='countdown']").TextContent.Trim()));
        Assert.False(page.Find("[data-testid='withdraw-button']").HasAttribute("disabled"));
        page.Find("[data-testid='withdraw-button']").Click();
        page.WaitForAssertion(() => Assert.Equal(ContractCalls.Withdraw(7), Assert.Single(Wallet.Sent).Data));
    }

    [Fact]
    public async Task The_countdown_runs_down_with_the_clock()
    {
        await ConnectAsync();
        ChainTimeIs(TestServices.Now);
        Staking.Accounts[Account] = Loaded(TestServices.Now.AddMinutes(1));
        var page = Render<StakingPage>();
        page.WaitForAssertion(() => Assert.Equal("in 1m 0s", page.Find("[data-testid='countdown']").TextContent.Trim()));

        Clock.Advance(TimeSpan.FromSeconds(61));

        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid='withdraw-button']").HasAttribute("disabled")));
    }

    [Fact]
    public async Task Unstaking_more_than_is_staked_is_refused_and_heu_explains_the_cooldown()
    {
        await ConnectAsync();
        ChainTimeIs(TestServices.Now);
        Staking.Accounts[Account] = Loaded(TestServices.Now.AddDays(10));
        var page = Render<StakingPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='unstake-button']").Count));

        page.FindAll("[data-testid='unstake-button']")[0].Click();
        Assert.Contains("30 days", page.Find("[data-testid='action-explainer']").TextContent, StringComparison.Ordinal);
        page.Find("input[data-testid='action-amount']").Input("12001");
        page.Find("[data-testid='action-submit']").Click();

        page.WaitForAssertion(() => Assert.Contains("Amount is more than your stake on this miner (12,000).", page.Markup, StringComparison.Ordinal));
        Assert.Empty(Wallet.Requests("eth_sendTransaction"));
    }
}
