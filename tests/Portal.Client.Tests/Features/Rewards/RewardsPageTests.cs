using System.Numerics;
using Bunit;
using Heurist.Portal.Client.Features.Rewards;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Tests.Features.Transactions;
using Heurist.Portal.Client.Tests.Features.Wallet;
using Heurist.Protocol.Api.Rewards;
using Heurist.Protocol.Api.Staking;
using Heurist.Protocol.Chain;
using Microsoft.Extensions.DependencyInjection;

namespace Heurist.Portal.Client.Tests.Features.Rewards;

/// <summary>/rewards: the account's leaf in each settled epoch, the claimable totals, and claims through the transaction flow.</summary>
public sealed class RewardsPageTests : ChainTestContext
{
    private const string ClaimHash = "0xc1a1c1a1c1a1c1a1c1a1c1a1c1a1c1a1c1a1c1a1c1a1c1a1c1a1c1a1c1a1c1a1";

    private static readonly string[] Proof =
    [
        "0x1111111111111111111111111111111111111111111111111111111111111111",
        "0x2222222222222222222222222222222222222222222222222222222222222222",
    ];

    private static AccountEpochReward Leaf(long epoch, RewardEpochStatus status, BigInteger heu, BigInteger esHeu, string? claimTransaction = null)
        => new(epoch, status, Wei.ToText(heu), Wei.ToText(esHeu), TokenAmounts.Format(heu), TokenAmounts.Format(esHeu), Proof,
            claimTransaction is not null, claimTransaction);

    private static AccountEpochReward Posted(long epoch, long heu, long esHeu) => Leaf(epoch, RewardEpochStatus.Posted, heu * OneToken, esHeu * OneToken);

    private static AccountEpochReward Claimed(AccountEpochReward leaf, string hash = ClaimHash) => leaf with { Claimed = true, ClaimTransactionHash = hash };

    /// <summary>The account as the API answers it, the leaves newest first, with its claimable totals summed as the server sums them.</summary>
    private static RewardAccount AccountOf(params AccountEpochReward[] leaves)
    {
        var claimable = leaves.Where(l => l is { Status: RewardEpochStatus.Posted, Claimed: false }).ToList();
        var heu = claimable.Aggregate(BigInteger.Zero, (sum, l) => sum + Wei.Parse(l.Heu));
        var esHeu = claimable.Aggregate(BigInteger.Zero, (sum, l) => sum + Wei.Parse(l.EsHeu));
        return new RewardAccount(Account.ToLowerInvariant(), leaves, Wei.ToText(heu), Wei.ToText(esHeu), TokenAmounts.Format(heu), TokenAmounts.Format(esHeu));
    }

    private static string ClaimData(AccountEpochReward leaf)
        => ContractCalls.Claim(leaf.Epoch, Account, Wei.Parse(leaf.Heu), Wei.Parse(leaf.EsHeu), Proof);

    private void NothingClaimedOnChain()
        => Wallet.CallAnswers(Contracts.RewardsDistributor, ContractCalls.Selectors[ContractSignatures.IsClaimed], Word(0));

    private static string Text(IRenderedComponent<RewardsPage> page, string testId) => page.Find($"[data-testid='{testId}']").TextContent.Trim();

    [Fact]
    public async Task Without_a_wallet_the_page_asks_to_connect_one()
    {
        var page = Render<RewardsPage>();
        // Until the wallets are found, the page does not say there is none.
        Assert.NotEmpty(page.FindAll("[data-testid$='-starting']"));
        await page.InvokeAsync(() => WalletService.InitializeAsync());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid$='-starting']")));

        Assert.Contains("Connect a wallet", Text(page, "rewards-connect"), StringComparison.Ordinal);
        Assert.Empty(Rewards.Requests);
    }

    [Fact]
    public async Task An_account_without_rewards_is_sent_to_the_leaderboard()
    {
        await ConnectAsync();

        var page = Render<RewardsPage>();

        page.WaitForAssertion(() => Assert.Equal("No rewards yet. Stake on a miner; rewards are settled after each epoch.", Text(page, "rewards-empty")));
        Assert.Equal("/leaderboard", page.Find("[data-testid='rewards-empty'] a").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid='claim-all']"));
    }

    [Fact]
    public async Task Claimable_claimed_and_unposted_epochs_are_shown_with_the_claimable_totals()
    {
        Chain.Chain = InMemoryChainClient.Anvil with { ExplorerUrl = "https://explorer.example" };
        await ConnectAsync();
        Rewards.Answers(Account, AccountOf(
            Posted(7, 30, 20),
            Leaf(6, RewardEpochStatus.Computed, 5 * OneToken, 5 * OneToken),
            Claimed(Posted(5, 100, 100)),
            Leaf(4, RewardEpochStatus.Posted, 10 * OneToken, OneToken * 5 / 2)));

        var page = Render<RewardsPage>();

        page.WaitForAssertion(() => Assert.Equal("40", Text(page, "rewards-claimable-heu")));
        Assert.Equal("22.5", Text(page, "rewards-claimable-esheu"));
        Assert.Equal(["Claimable", "Not posted yet", "Claimed", "Claimable"], new long[] { 7, 6, 5, 4 }.Select(e => Text(page, $"reward-status-{e}")));
        Assert.Equal("Claim all (2)", Text(page, "claim-all"));
        Assert.Empty(page.FindAll("[data-testid='claim-5']"));
        Assert.Contains("0xc1a1…c1a1", Text(page, "claim-tx-5"), StringComparison.Ordinal);
        Assert.Equal($"https://explorer.example/tx/{ClaimHash}", page.Find("[data-testid='claim-tx-5'] a").GetAttribute("href"));
        Assert.Equal("/api/rewards/epochs/7", page.Find("[data-testid='tree-7']").GetAttribute("href"));
        Assert.Equal("/vesting", page.Find("[data-testid='rewards-explainer'] a").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid='rewards-other-account']"));
    }

    [Fact]
    public async Task Claiming_an_epoch_sends_its_leaf_to_the_distributor_and_shows_it_claimed_once_indexed()
    {
        await ConnectAsync(heu: 100);
        var leaf = Posted(7, 30, 20);
        Rewards.Answers(Account, AccountOf(leaf), AccountOf(Claimed(leaf)));
        NothingClaimedOnChain();
        TransactionsSucceed();
        var page = Render<RewardsPage>();
        page.WaitForAssertion(() => Assert.Equal("Claimable", Text(page, "reward-status-7")));
        // What the chain holds once the claim is mined.
        Wallet.CallAnswers(Contracts.HeuristToken, ContractCalls.Selectors[ContractSignatures.BalanceOf], Word(130 * OneToken));

        page.Find("[data-testid='claim-7']").Click();

        page.WaitForAssertion(() => Assert.Equal("Claimed", Text(page, "reward-status-7")));
        var sent = Assert.Single(Wallet.Sent);
        Assert.Equal((Contracts.RewardsDistributor, ClaimData(leaf)), (sent.To, sent.Data));
        Assert.Contains(ContractCalls.IsClaimed(7, Account), Wallet.CallData);
        Assert.Equal("Indexed", page.Find("[data-testid='tx-status']").GetAttribute("data-stage"));
        Assert.Equal("0", Text(page, "rewards-claimable-heu"));
        Assert.Empty(page.FindAll("[data-testid='claim-7']"));
        Assert.Equal("130", WalletService.Heu.Display);
    }

    [Fact]
    public async Task Claim_all_claims_oldest_first_and_stops_at_a_decline_keeping_the_first_claim()
    {
        await ConnectAsync();
        var (three, four, five) = (Posted(3, 1, 1), Posted(4, 2, 2), Posted(5, 3, 3));
        Rewards.Answers(Account, AccountOf(five, four, three), AccountOf(five, four, Claimed(three)));
        NothingClaimedOnChain();
        TransactionsSucceed();
        Wallet.RefusesToSend(ClaimData(four), 4001, "User rejected the request.");
        var page = Render<RewardsPage>();
        page.WaitForAssertion(() => Assert.Equal("Claim all (3)", Text(page, "claim-all")));

        page.Find("[data-testid='claim-all']").Click();

        page.WaitForAssertion(() => Assert.StartsWith("Stopped at claim 2 of 3 (epoch 4): You declined", Text(page, "claim-progress"), StringComparison.Ordinal));
        Assert.EndsWith("The epoch claimed before it is kept.", Text(page, "claim-progress"), StringComparison.Ordinal);
        Assert.Equal([ClaimData(three), ClaimData(four)], Wallet.Sent.Select(s => s.Data));
        Assert.Equal(["Claimable", "Claimable", "Claimed"], new long[] { 5, 4, 3 }.Select(e => Text(page, $"reward-status-{e}")));
        Assert.Equal("Declined", page.Find("[data-testid='tx-status']").GetAttribute("data-stage"));
        Assert.Equal("Claim all (2)", Text(page, "claim-all"));
    }

    [Fact]
    public async Task An_epoch_already_claimed_on_chain_is_refused_before_the_wallet_opens_even_when_the_row_is_stale()
    {
        await ConnectAsync();
        var leaf = Posted(7, 30, 20);
        // The page loads before the portal indexed a claim made elsewhere; the contract already knows.
        Rewards.Answers(Account, AccountOf(leaf), AccountOf(Claimed(leaf)));
        Wallet.CallAnswers(Contracts.RewardsDistributor, ContractCalls.IsClaimed(7, Account), Word(1));
        TransactionsSucceed();
        var page = Render<RewardsPage>();
        page.WaitForAssertion(() => Assert.Equal("Claimable", Text(page, "reward-status-7")));

        page.Find("[data-testid='claim-7']").Click();

        page.WaitForAssertion(() => Assert.Equal("Epoch 7 is already claimed (tx 0xc1a1…c1a1).", Text(page, "claim-message")));
        Assert.Equal("Claimed", Text(page, "reward-status-7"));
        Assert.Empty(page.FindAll("[data-testid='claim-7']"));
        Assert.Empty(Wallet.Requests("eth_sendTransaction"));
    }

    [Fact]
    public async Task An_epoch_whose_root_is_not_posted_is_refused_before_the_wallet_opens()
    {
        await ConnectAsync();
        Rewards.Answers(Account, AccountOf(Leaf(6, RewardEpochStatus.Computed, 5 * OneToken, 0)));
        TransactionsSucceed();
        var page = Render<RewardsPage>();
        page.WaitForAssertion(() => Assert.Equal("Not posted yet", Text(page, "reward-status-6")));
        Assert.True(page.Find("[data-testid='claim-all']").HasAttribute("disabled"));

        page.Find("[data-testid='claim-6']").Click();

        page.WaitForAssertion(() => Assert.Equal("Epoch 6's root is not on chain yet; it can be claimed once it is posted.", Text(page, "claim-message")));
        Assert.DoesNotContain(Wallet.CallData, d => d.StartsWith(ContractCalls.Selectors[ContractSignatures.IsClaimed], StringComparison.Ordinal));
        Assert.Empty(Wallet.Requests("eth_sendTransaction"));
    }

    [Fact]
    public async Task A_wallet_other_than_the_signed_in_account_is_the_one_shown_and_named()
    {
        await ConnectAsync();
        Rewards.Answers(Account, AccountOf(Posted(7, 30, 20)));
        var page = Render<RewardsPage>();
        page.WaitForAssertion(() => Assert.Equal("Claimable", Text(page, "reward-status-7")));

        // A sign-in as another account (in another tab) while this wallet stays connected.
        await page.InvokeAsync(() => Services.GetRequiredService<WalletAuthenticationStateProvider>().SignedIn(FakeWalletModule.OtherAccount));

        page.WaitForAssertion(() => Assert.Contains("(0xf39F…2266); you are signed in as 0x3C44…93BC", Text(page, "rewards-other-account"), StringComparison.Ordinal));
        Assert.Equal([Account], Rewards.Requests.Distinct());
    }

    [Fact]
    public async Task A_failed_read_says_so()
    {
        await ConnectAsync();
        Rewards.Failure = new HttpRequestException("Connection refused.");

        var page = Render<RewardsPage>();

        page.WaitForAssertion(() => Assert.Equal("Could not load your rewards: Connection refused.", Text(page, "rewards-error")));
    }
}
