using Bunit;
using Heurist.Portal.Client.Features.Vesting;
using Heurist.Portal.Client.Tests.Features.Transactions;
using Heurist.Protocol.Chain;

namespace Heurist.Portal.Client.Tests.Features.Vesting;

/// <summary>/vesting: the positions read from esHEU on chain, their progress by the chain's clock, and claims.</summary>
public sealed class VestingPageTests : ChainTestContext
{
    private static string Selector(string signature) => ContractCalls.Selectors[signature];

    private void Positions(params (long Amount, long Claimed, long Claimable, DateTimeOffset Start)[] positions)
    {
        Wallet.CallAnswers(Contracts.EscrowedHeurist, Selector(ContractSignatures.VestingCount), Word(positions.Length));
        for (var id = 0; id < positions.Length; id++)
        {
            var (amount, claimed, claimable, start) = positions[id];
            var end = start.AddDays(365);
            Wallet.CallAnswers(Contracts.EscrowedHeurist, ContractCalls.VestingPosition(Account, id),
                Words(amount * OneToken, claimed * OneToken, start.ToUnixTimeSeconds(), end.ToUnixTimeSeconds()));
            Wallet.CallAnswers(Contracts.EscrowedHeurist, ContractCalls.Claimable(Account, id), Word(claimable * OneToken));
        }
    }

    [Fact]
    public async Task Without_a_wallet_the_page_asks_to_connect_one()
    {
        var page = Render<VestingPage>();
        // Until the wallets are found, the page does not say there is none.
        Assert.NotEmpty(page.FindAll("[data-testid$='-starting']"));
        await page.InvokeAsync(() => WalletService.InitializeAsync());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid$='-starting']")));

        Assert.NotNull(page.Find("[data-testid='vesting-connect']"));
    }

    [Fact]
    public async Task An_account_without_positions_says_so()
    {
        await ConnectAsync(esHeu: 50);
        ChainTimeIs(TestServices.Now);
        Positions();

        var page = Render<VestingPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='vesting-empty']")));
        Assert.Equal("50", page.Find("[data-testid='esheu-balance']").TextContent.Trim());
        Assert.True(page.Find("[data-testid='claim-all']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Each_position_shows_its_progress_by_the_chains_clock_and_claim_all_claims_each_with_something_to_claim()
    {
        await ConnectAsync();
        // Half a year into the first position, by the chain's clock.
        var chainNow = TestServices.Now.AddDays(200);
        ChainTimeIs(chainNow);
        Positions((365, 100, 82, chainNow.AddDays(-182.5)), (10, 10, 0, chainNow.AddDays(-400)), (730, 0, 2, chainNow.AddDays(-1)));
        TransactionsSucceed();
        var page = Render<VestingPage>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='vesting-position']").Count));

        var first = page.FindAll("[data-testid='vesting-position']")[0];
        Assert.Contains("50% of the time", first.TextContent, StringComparison.Ordinal);
        Assert.Contains("vested 182 · claimed 100 · claimable 82", first.TextContent, StringComparison.Ordinal);
        Assert.True(page.FindAll("[data-testid='claim-button']")[1].HasAttribute("disabled"));

        page.Find("[data-testid='claim-all']").Click();

        page.WaitForAssertion(() => Assert.Equal([ContractCalls.ClaimVested(0), ContractCalls.ClaimVested(2)], Wallet.Sent.Select(s => s.Data)));
        Assert.All(Wallet.Sent, s => Assert.Equal(Contracts.EscrowedHeurist, s.To));
    }

    [Fact]
    public async Task Vesting_more_than_the_esheu_balance_is_refused_before_the_wallet_opens()
    {
        await ConnectAsync(esHeu: 50);
        ChainTimeIs(TestServices.Now);
        Positions();
        var page = Render<VestingPage>();

        page.Find("input[data-testid='vest-amount']").Input("50.01");
        page.Find("[data-testid='vest-submit']").Click();

        page.WaitForAssertion(() => Assert.Contains("Amount is more than your esHEU balance (50).", page.Markup, StringComparison.Ordinal));
        Assert.Empty(Wallet.Requests("eth_sendTransaction"));
    }
}
