using System.Text.Json;
using Bunit;
using Heurist.Portal.Client.Features.Governance;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Tests.Features.Wallet;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using static Heurist.Portal.Client.Tests.Features.Governance.InMemoryGovernanceClient;

namespace Heurist.Portal.Client.Tests.Features.Governance;

/// <summary>
/// The voting widget of each type on the proposal page: what it lets the voter pick, the exact message the wallet
/// signs and the envelope posted to the hub, and what happens on a declined signature, a refusal or no power.
/// </summary>
public sealed class VotePanelTests : GovernanceTestContext
{
    private const string ProposalId = "0x7a0c4be1d2f3a4b5c6d7e8f90123456789abcdef0123456789abcdef01234567";

    private IRenderedComponent<ProposalPage> RenderProposal()
        => Render<ProposalPage>(parameters => parameters.Add(page => page.Id, ProposalId));

    private async Task<IRenderedComponent<ProposalPage>> OpenSignedInAsync(VotingType type, string[]? choices = null, decimal power = 2500)
    {
        Governance.Add(Summary(ProposalId, "Which model next?", type, choices: choices));
        Governance.Power[Account] = power;
        await SignInAsync();
        var page = RenderProposal();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='vote-panel']")));
        return page;
    }

    private static void Vote(IRenderedComponent<ProposalPage> page) => page.Find("[data-testid='vote-button']").Click();

    private static bool VoteDisabled(IRenderedComponent<ProposalPage> page) => page.Find("[data-testid='vote-button']").HasAttribute("disabled");

    private static void WaitUntilVotable(IRenderedComponent<ProposalPage> page)
        => page.WaitForAssertion(() => Assert.False(VoteDisabled(page), page.Find("[data-testid='vote-panel']").TextContent));

    /// <summary>The one posted envelope, read as the hub reads it.</summary>
    private VoteMessage PostedVote(SnapshotMessageKind kind)
    {
        var posted = Assert.Single(Governance.Submitted);
        Assert.True(SnapshotEnvelope.TryParse(posted, out var envelope, out var refusal), refusal?.ToString());
        Assert.Equal(kind, envelope.Kind);
        Assert.Equal(FakeWalletModule.Signature, envelope.Signature);
        Assert.Equal(Account, envelope.Address);
        var vote = Assert.IsType<VoteMessage>(envelope.Message);
        Assert.Equal((Account, SpaceId, TestServices.Now.ToUnixTimeSeconds(), ProposalId), (vote.From, vote.Space, vote.Timestamp, vote.Proposal));
        Assert.Equal(("heurist-portal", "{}"), (vote.App, vote.Metadata));
        // The wallet signed exactly the message that was posted, as the struct of its kind.
        var (account, typedData) = Assert.Single(Wallet.TypedDataSigned);
        Assert.Equal(Account, account);
        Assert.Equal(SnapshotTypes.TypedData(kind, Governance.LastMessage), typedData);
        return vote;
    }

    [Fact]
    public async Task A_single_choice_vote_signs_the_choice_number_with_the_reason_and_shows_its_receipt()
    {
        var page = await OpenSignedInAsync(VotingType.SingleChoice);
        Wallet.SignsTypedData();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='vote-single'] input[type='radio']").Count));
        Assert.True(VoteDisabled(page));

        page.FindAll("[data-testid='vote-single'] input[type='radio']")[1].Click();
        page.Find("textarea[aria-label='Reason']").Input("Beta is cheaper to serve.");
        WaitUntilVotable(page);
        Vote(page);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='vote-recorded']")));
        var vote = PostedVote(SnapshotMessageKind.Vote);
        Assert.Equal(VoteChoice.OfChoice(2), vote.Choice);
        Assert.Equal(JsonValueKind.Number, Governance.LastMessage["choice"]!.GetValueKind());
        Assert.Equal("Beta is cheaper to serve.", vote.Reason);
        var receipt = page.Find("[data-testid='vote-receipt']");
        Assert.Equal($"api/msg/{ReceiptId(1)}", receipt.GetAttribute("href"));
        Assert.Equal("_blank", receipt.GetAttribute("target"));
        // The results and the voters are read again once the vote is in.
        page.WaitForAssertion(() => Assert.Equal(2, Governance.ProposalReads.Count));
        page.WaitForAssertion(() => Assert.Equal(2, Governance.VoteReads.Count));
    }

    [Fact]
    public async Task A_basic_vote_offers_for_against_and_abstain_and_signs_the_number_picked()
    {
        var page = await OpenSignedInAsync(VotingType.Basic);
        Wallet.SignsTypedData();

        page.WaitForAssertion(() => Assert.Equal(["For", "Against", "Abstain"],
            page.FindAll("[data-testid='vote-single'] .mud-radio").Select(r => r.TextContent.Trim())));
        page.FindAll("[data-testid='vote-single'] input[type='radio']")[1].Click();
        WaitUntilVotable(page);
        Vote(page);

        page.WaitForAssertion(() => Assert.Single(Governance.Submitted));
        Assert.Equal(VoteChoice.OfChoice(ProposalChoices.BasicAgainst), PostedVote(SnapshotMessageKind.Vote).Choice);
    }

    [Fact]
    public async Task An_approval_vote_signs_the_checked_choices_as_a_list()
    {
        var page = await OpenSignedInAsync(VotingType.Approval);
        Wallet.SignsTypedData();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='vote-approval'] input[type='checkbox']").Count));

        page.FindAll("[data-testid='vote-approval'] input[type='checkbox']")[2].Change(true);
        page.FindAll("[data-testid='vote-approval'] input[type='checkbox']")[0].Change(true);
        WaitUntilVotable(page);
        Vote(page);

        page.WaitForAssertion(() => Assert.Single(Governance.Submitted));
        Assert.Equal(VoteChoice.OfChoices([1, 3]), PostedVote(SnapshotMessageKind.VoteArray).Choice);
        Assert.Equal("[1,3]", Governance.LastMessage["choice"]!.ToJsonString());
    }

    [Fact]
    public async Task A_ranking_is_reordered_with_the_keyboard_buttons_and_signed_best_first()
    {
        var page = await OpenSignedInAsync(VotingType.RankedChoice);
        Wallet.SignsTypedData();
        page.WaitForAssertion(() => Assert.Equal(["Alpha", "Beta", "Gamma"], page.FindAll("[data-testid='rank-label']").Select(l => l.TextContent.Trim())));
        Assert.True(page.Find("button[aria-label='Move Alpha up']").HasAttribute("disabled"));
        Assert.True(page.Find("button[aria-label='Move Gamma down']").HasAttribute("disabled"));

        page.Find("button[aria-label='Move Gamma up']").Click();
        page.Find("button[aria-label='Move Gamma up']").Click();
        page.Find("button[aria-label='Move Alpha down']").Click();

        page.WaitForAssertion(() => Assert.Equal(["Gamma", "Beta", "Alpha"], page.FindAll("[data-testid='rank-label']").Select(l => l.TextContent.Trim())));
        Assert.Equal(["1.", "2.", "3."], page.FindAll("[data-testid='rank-position']").Select(p => p.TextContent.Trim()));
        WaitUntilVotable(page);
        Vote(page);

        page.WaitForAssertion(() => Assert.Single(Governance.Submitted));
        Assert.Equal(VoteChoice.OfChoices([3, 2, 1]), PostedVote(SnapshotMessageKind.VoteArray).Choice);
    }

    [Theory]
    [InlineData(VotingType.Weighted)]
    [InlineData(VotingType.Quadratic)]
    public async Task Weights_must_reach_100_percent_before_the_vote_signs_them_as_a_json_string(VotingType type)
    {
        var page = await OpenSignedInAsync(type);
        Wallet.SignsTypedData();
        page.WaitForAssertion(() => Assert.Equal("100 % left to give.", page.Find("[data-testid='weights-left']").TextContent.Trim()));
        Assert.True(VoteDisabled(page));

        page.Find("input[type='range'][aria-label='Weight of Alpha']").Input("70");
        page.WaitForAssertion(() => Assert.Equal("30 % left to give.", page.Find("[data-testid='weights-left']").TextContent.Trim()));
        Assert.True(VoteDisabled(page));
        Assert.Equal("The weights must add up to 100 %.", page.Find("[data-testid='vote-why-not']").TextContent.Trim());

        page.Find("input[aria-label='Weight of Gamma in percent']").Change("40");
        page.WaitForAssertion(() => Assert.Equal("10 % too much: take some back.", page.Find("[data-testid='weights-left']").TextContent.Trim()));
        Assert.True(VoteDisabled(page));

        page.Find("input[aria-label='Weight of Gamma in percent']").Change("30");
        page.WaitForAssertion(() => Assert.Equal("100 % given.", page.Find("[data-testid='weights-left']").TextContent.Trim()));
        WaitUntilVotable(page);
        Vote(page);

        page.WaitForAssertion(() => Assert.Single(Governance.Submitted));
        var vote = PostedVote(SnapshotMessageKind.VoteString);
        Assert.Equal(VoteChoice.OfWeights([new ChoiceWeight(1, 70), new ChoiceWeight(3, 30)]), vote.Choice);
        Assert.Equal(JsonValueKind.String, Governance.LastMessage["choice"]!.GetValueKind());
        Assert.Equal("""{"1":70,"3":30}""", (string?)Governance.LastMessage["choice"]);
    }

    [Fact]
    public async Task A_declined_signature_returns_to_the_form_with_the_choice_and_reason_kept()
    {
        var page = await OpenSignedInAsync(VotingType.SingleChoice);
        Wallet.RefusesToSignTypedData(WalletError.UserRejected, "User rejected the request.");
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='vote-single'] input[type='radio']").Count));
        page.FindAll("[data-testid='vote-single'] input[type='radio']")[2].Click();
        page.Find("textarea[aria-label='Reason']").Input("Gamma, for the long run.");
        WaitUntilVotable(page);

        Vote(page);

        page.WaitForAssertion(() => Assert.Equal("You declined the signature; your vote was not sent.", page.Find("[data-testid='vote-info']").TextContent.Trim()));
        Assert.Empty(Governance.Submitted);
        Assert.Equal("Ready", page.Find("[data-testid='vote-panel']").GetAttribute("data-stage"));
        Assert.True(page.FindAll("[data-testid='vote-single'] input[type='radio']")[2].HasAttribute("checked"));
        Assert.Equal("Gamma, for the long run.", page.Find("textarea[aria-label='Reason']").GetAttribute("value") ?? page.Find("textarea[aria-label='Reason']").TextContent);
        Assert.False(VoteDisabled(page));
    }

    [Fact]
    public async Task A_refusal_by_the_hub_shows_its_reason_and_keeps_the_vote_to_try_again()
    {
        var page = await OpenSignedInAsync(VotingType.Approval);
        Wallet.SignsTypedData();
        Governance.SubmitFailure = new ApiException(400, "the proposal closed at 2026-11-22 11:59 UTC");
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='vote-approval'] input[type='checkbox']").Count));
        page.FindAll("[data-testid='vote-approval'] input[type='checkbox']")[1].Change(true);
        WaitUntilVotable(page);

        Vote(page);

        page.WaitForAssertion(() => Assert.Equal("The hub refused the vote: the proposal closed at 2026-11-22 11:59 UTC",
            page.Find("[data-testid='vote-error']").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid='vote-recorded']"));
        Assert.True(page.FindAll("[data-testid='vote-approval'] input[type='checkbox']")[1].HasAttribute("checked"));
        Assert.False(VoteDisabled(page));
    }

    [Fact]
    public async Task No_power_at_the_snapshot_block_disables_voting_and_says_why()
    {
        var page = await OpenSignedInAsync(VotingType.SingleChoice, power: 0);

        page.WaitForAssertion(() => Assert.StartsWith("You had no voting power at block 4000.", page.Find("[data-testid='vote-no-power']").TextContent.Trim(), StringComparison.Ordinal));
        page.FindAll("[data-testid='vote-single'] input[type='radio']")[0].Click();
        Assert.True(VoteDisabled(page));
        Assert.Equal("You had no voting power at block 4000.", page.Find("[data-testid='vote-why-not']").TextContent.Trim());
        Assert.Contains((Account, 4000L), Governance.PowerReads);
    }

    [Fact]
    public async Task The_viewers_power_at_the_snapshot_block_is_shown_with_its_parts()
    {
        var page = await OpenSignedInAsync(VotingType.SingleChoice, power: 2500);

        page.WaitForAssertion(() => Assert.Equal("2,500", page.Find("[data-testid='vote-power-total']").TextContent.Trim()));
        Assert.Equal("1,000 HEU + 1,500 staked HEU", page.Find("[data-testid='vote-power-parts']").TextContent.Trim());
    }

    [Fact]
    public void Signed_out_the_panel_asks_to_connect_and_sign_in_and_voting_is_disabled()
    {
        Governance.Add(Summary(ProposalId, "Which model next?"));
        Wallet.Announces(FakeWalletModule.Rabby);

        var page = RenderProposal();

        page.WaitForAssertion(() => Assert.Contains("Connect a wallet and sign in to vote.", page.Find("[data-testid='signer-prompt']").TextContent, StringComparison.Ordinal));
        Assert.NotNull(page.Find("[data-testid='signer-connect']"));
        Assert.True(VoteDisabled(page));
        Assert.Equal("Sign in with your wallet to vote.", page.Find("[data-testid='vote-why-not']").TextContent.Trim());
        Assert.Empty(Governance.PowerReads);
    }

    [Fact]
    public async Task A_connected_wallet_not_signed_in_is_offered_sign_in_and_its_power_is_shown()
    {
        Governance.Add(Summary(ProposalId, "Which model next?"));
        Governance.Power[Account] = 12;
        Wallet.Announces(FakeWalletModule.Rabby);
        Wallet.Restores(Account);
        await WalletService.InitializeAsync();

        var page = RenderProposal();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='signer-sign-in']")));
        page.WaitForAssertion(() => Assert.Equal("12", page.Find("[data-testid='vote-power-total']").TextContent.Trim()));
        Assert.True(VoteDisabled(page));
    }

    [Fact]
    public async Task A_closed_proposal_takes_no_vote()
    {
        Governance.Add(Summary(ProposalId, "Done", state: ProposalState.Closed, end: TestServices.Now.AddDays(-1)));
        Governance.Power[Account] = 10;
        await SignInAsync();

        var page = RenderProposal();

        page.WaitForAssertion(() => Assert.Equal("Voting closed 2026-11-21 12:00 UTC.", page.Find("[data-testid='vote-not-open']").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid='vote-button']"));
    }

    [Fact]
    public async Task The_viewers_counted_vote_is_shown_and_picked_so_a_new_vote_starts_from_it()
    {
        Governance.Votes[ProposalId] = [CountedVote(OtherAccount, 3), CountedVote(Account, 2)];
        var page = await OpenSignedInAsync(VotingType.SingleChoice);
        Wallet.SignsTypedData();

        page.WaitForAssertion(() => Assert.Equal("Beta", page.Find("[data-testid='vote-current-choice']").TextContent.Trim()));
        Assert.Contains(ReceiptId(7)[..6], page.Find("[data-testid='vote-current']").TextContent, StringComparison.Ordinal);
        Assert.True(page.FindAll("[data-testid='vote-single'] input[type='radio']")[1].HasAttribute("checked"));
        Assert.False(page.FindAll("[data-testid='vote-single'] input[type='radio']")[2].HasAttribute("checked"));
        Assert.Equal("Change vote", page.Find("[data-testid='vote-button']").TextContent.Trim());

        page.FindAll("[data-testid='vote-single'] input[type='radio']")[0].Click();
        WaitUntilVotable(page);
        Vote(page);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='vote-recorded']")));
        Assert.Equal(VoteChoice.OfChoice(1), PostedVote(SnapshotMessageKind.Vote).Choice);
        Assert.Empty(page.FindAll("[data-testid='vote-current']"));
    }

    [Fact]
    public async Task A_counted_ranking_is_put_back_in_its_order()
    {
        Governance.Votes[ProposalId] = [CountedVote(Account, JsonSerializer.SerializeToElement(new[] { 2, 3, 1 }), "Beta, Gamma, Alpha")];

        var page = await OpenSignedInAsync(VotingType.RankedChoice);

        page.WaitForAssertion(() => Assert.Equal(["Beta", "Gamma", "Alpha"], page.FindAll("[data-testid='rank-label']").Select(l => l.TextContent.Trim())));
        Assert.Equal(["1.", "2.", "3."], page.FindAll("[data-testid='rank-position']").Select(p => p.TextContent.Trim()));
    }

    [Fact]
    public async Task Counted_weights_are_put_back_as_percentages_that_add_up_to_100()
    {
        // 1 : 1 : 1 has no whole percentages; the largest remainder makes them add up to 100.
        Governance.Votes[ProposalId] = [CountedVote(Account, JsonSerializer.SerializeToElement(new Dictionary<string, decimal> { ["1"] = 1, ["2"] = 1, ["3"] = 1 }), "thirds")];

        var page = await OpenSignedInAsync(VotingType.Weighted);

        page.WaitForAssertion(() => Assert.Equal("100 % given.", page.Find("[data-testid='weights-left']").TextContent.Trim()));
        Assert.Equal(["34", "33", "33"], page.FindAll("input[aria-label$='in percent']").Select(r => r.GetAttribute("value")));
    }

    [Fact]
    public void Counted_weights_become_whole_percentages_that_add_up_to_100()
    {
        Assert.Equal([70, 0, 30], VotePanel.Percentages([new ChoiceWeight(1, 7), new ChoiceWeight(3, 3)], 3));
        Assert.Equal([50, 50], VotePanel.Percentages([new ChoiceWeight(1, 0.000_5m), new ChoiceWeight(2, 0.000_5m)], 2));
        Assert.Equal([17, 17, 17, 17, 16, 16], VotePanel.Percentages([.. Enumerable.Range(1, 6).Select(c => new ChoiceWeight(c, 2))], 6));
        Assert.Equal([0, 0], VotePanel.Percentages([], 2));
    }

    private static VoteView CountedVote(string voter, int choice)
        => CountedVote(voter, JsonSerializer.SerializeToElement(choice), new[] { "Alpha", "Beta", "Gamma" }[choice - 1]);

    private static VoteView CountedVote(string voter, JsonElement choice, string text)
        => new(ReceiptId(voter == Account ? 7 : 8), voter, choice, text, 2500, "", "heurist-portal", TestServices.Now.AddMinutes(-5));

    [Fact]
    public void The_vote_message_has_the_struct_members_in_order_for_each_form()
    {
        foreach (var (type, choice) in new (VotingType, VoteChoice)[]
        {
            (VotingType.Basic, VoteChoice.OfChoice(1)),
            (VotingType.RankedChoice, VoteChoice.OfChoices([2, 1])),
            (VotingType.Weighted, VoteChoice.OfWeights([new ChoiceWeight(2, 1)])),
        })
        {
            var (kind, message) = GovernanceMessages.Vote(type, Account, SpaceId, TestServices.Now, ProposalId, choice, "");

            Assert.Equal(SnapshotTypes.Fields(kind).Select(f => f.Name), message.Select(m => m.Key));
            Assert.Equal(SnapshotTypes.VoteKind(type), kind);
        }
        Assert.Throws<ArgumentException>(() => GovernanceMessages.Vote(VotingType.Approval, Account, SpaceId, TestServices.Now, ProposalId, VoteChoice.OfChoice(1), ""));
    }
}
