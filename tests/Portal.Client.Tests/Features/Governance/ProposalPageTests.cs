using System.Text.RegularExpressions;
using Bunit;
using Heurist.Portal.Client.Features.Governance;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using MudBlazor;
using static Heurist.Portal.Client.Tests.Features.Governance.InMemoryGovernanceClient;

namespace Heurist.Portal.Client.Tests.Features.Governance;

/// <summary>/governance/{id}: the proposal, its results and voters, the author's Cancel, and the states without it.</summary>
public sealed class ProposalPageTests : GovernanceTestContext
{
    private const string ProposalId = "0x3b9ac9ff00000000000000000000000000000000000000000000000000000001";

    private IRenderedComponent<ProposalPage> RenderProposal(string id = ProposalId)
        => Render<ProposalPage>(parameters => parameters.Add(page => page.Id, id));

    private static List<(string Choice, string Score, string Share, bool Leading)> ResultRows(IRenderedComponent<ProposalPage> page)
        => [.. page.FindAll("[data-testid='result-row']").Select(row =>
        {
            var cells = row.QuerySelectorAll("td");
            return (cells[0].FirstChild!.TextContent.Trim(), cells[1].TextContent.Trim(), cells[2].TextContent.Trim(), row.GetAttribute("data-leading") == "true");
        })];

    [Fact]
    public void The_page_shows_the_title_chips_author_window_snapshot_and_the_sanitized_body()
    {
        Governance.Add(Summary(ProposalId, "GPU split for December", VotingType.Weighted, kind: ProposalKind.ModelAllocation,
                start: TestServices.Now.AddDays(-1), end: TestServices.Now.AddHours(5)),
            bodyHtml: "<h2>Why</h2><p>Flux is <strong>in demand</strong>.</p>");

        var page = RenderProposal();

        page.WaitForAssertion(() => Assert.Equal("GPU split for December", page.Find("[data-testid='proposal-title']").TextContent.Trim()));
        Assert.Equal("Weighted", page.Find("[data-testid='proposal-type']").TextContent.Trim());
        Assert.Equal("Model allocation", page.Find("[data-testid='proposal-allocation']").TextContent.Trim());
        Assert.Equal("Active", page.Find("[data-testid='proposal-state']").TextContent.Trim());
        Assert.Equal(OtherAccount, page.Find("[data-testid='proposal-author'] .copyable").GetAttribute("title"));
        Assert.Equal("2026-11-21 12:00 UTC – 2026-11-22 17:00 UTC (ends in 5 h 0 min)", Regex.Replace(page.Find("[data-testid='proposal-window']").TextContent.Trim(), @"\s+", " "));
        Assert.Equal("4000", page.Find("[data-testid='proposal-snapshot']").TextContent.Trim());
        Assert.Equal("Flux is in demand.", page.Find("[data-testid='proposal-body'] p").TextContent);
        Assert.NotNull(page.Find("[data-testid='proposal-body'] h2"));
        Assert.Equal($"api/msg/{ProposalId}", page.Find("[data-testid='proposal-receipt']").GetAttribute("href"));
    }

    [Fact]
    public void Live_results_show_each_choice_with_its_share_the_leader_and_the_quorum()
    {
        Governance.Add(Summary(ProposalId, "Which model next?", scores: [300, 600, 100], quorum: 2000, votes: 4));

        var page = RenderProposal();

        page.WaitForAssertion(() => Assert.Equal(3, ResultRows(page).Count));
        Assert.Equal([("Alpha", "300", "30%", false), ("Beta", "600", "60%", true), ("Gamma", "100", "10%", false)], ResultRows(page));
        Assert.Equal("Leading", page.Find("[data-testid='result-leading']").TextContent.Trim());
        Assert.Equal("Live", page.Find("[data-testid='results-label']").TextContent.Trim());
        Assert.Equal("Share of the power cast: Alpha 30%, Beta 60%, Gamma 10%", page.Find("[data-testid='results-chart']").GetAttribute("aria-label"));
        Assert.Equal(["30", "60", "10"], page.FindAll("[data-testid='results-bar'] [role='progressbar']").Select(bar => bar.GetAttribute("aria-valuenow")));
        Assert.Equal("4 voters · 1,000 power in all", page.Find("[data-testid='results-turnout']").TextContent.Trim());
        Assert.Contains("1,000 of 2,000", page.Find("[data-testid='results-quorum']").TextContent, StringComparison.Ordinal);
        Assert.Contains("1,000 more needed", page.Find("[data-testid='results-quorum']").TextContent, StringComparison.Ordinal);
        Assert.Equal("50", page.Find("[data-testid='results-quorum'] [role='progressbar']").GetAttribute("aria-valuenow"));
    }

    [Fact]
    public void A_closed_ranked_choice_proposal_shows_final_results_and_its_rounds()
    {
        Governance.Add(
            Summary(ProposalId, "Rank the models", VotingType.RankedChoice, ProposalState.Closed, scores: [0, 550, 450], end: TestServices.Now.AddDays(-1)),
            rounds: [new RunoffRound(1, [200m, 450m, 350m], 1), new RunoffRound(2, [null, 550m, 450m], null)]);

        var page = RenderProposal();

        page.WaitForAssertion(() => Assert.Equal("Final", page.Find("[data-testid='results-label']").TextContent.Trim()));
        Assert.Equal("Won", page.Find("[data-testid='result-leading']").TextContent.Trim());
        var rounds = page.FindAll("[data-testid='round-row']").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(
            [["Alpha", "200 (out)", "—"], ["Beta", "450", "550"], ["Gamma", "350", "450"]],
            rounds);
        Assert.Equal(["Choice", "Round 1", "Round 2"], page.FindAll("[data-testid='results-rounds'] th").Select(h => h.TextContent.Trim()));
    }

    [Fact]
    public void The_voters_table_links_each_receipt_to_its_signed_message_and_offers_every_signed_vote()
    {
        Governance.Add(Summary(ProposalId, "Which model next?", scores: [0, 900, 0]));
        Governance.Votes[ProposalId] = [Vote(1, Account, "Beta", 900, "cheaper to serve")];

        var page = RenderProposal();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='voters-table'] tbody tr")));
        Assert.Equal(Account, page.Find("[data-testid='voter-address'] .copyable").GetAttribute("title"));
        Assert.Equal("Beta", page.Find("[data-testid='voter-choice']").TextContent.Trim());
        Assert.Equal("900", page.Find("[data-testid='voter-power']").TextContent.Trim());
        Assert.Equal("cheaper to serve", page.Find("[data-testid='voter-reason']").TextContent.Trim());
        var receipt = page.Find("[data-testid='voter-receipt']");
        Assert.Equal($"api/msg/{ReceiptId(1001)}", receipt.GetAttribute("href"));
        Assert.Equal("_blank", receipt.GetAttribute("target"));
        Assert.Equal($"api/proposals/{ProposalId}/votes.json", page.Find("[data-testid='voters-download']").GetAttribute("href"));
    }

    [Fact]
    public void Many_voters_are_shown_a_page_at_a_time()
    {
        Governance.Add(Summary(ProposalId, "Popular question", scores: [1, 2, 3]));
        Governance.Votes[ProposalId] = [.. Enumerable.Range(1, 45).Select(n => Vote(n, $"0x{n:x40}", "Gamma", 100 - n))];

        var page = RenderProposal();

        page.WaitForAssertion(() => Assert.Equal(VotesPage.DefaultPageSize, page.FindAll("[data-testid='voters-table'] tbody tr").Count));
        page.Find("[data-testid='voters-pages'] button[aria-label='Page 3']").Click();

        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid='voters-table'] tbody tr").Count));
        Assert.Equal([(ProposalId, 1, VotesPage.DefaultPageSize), (ProposalId, 3, VotesPage.DefaultPageSize)], Governance.VoteReads);
    }

    [Fact]
    public async Task The_author_cancels_after_confirming_and_the_page_shows_it_cancelled()
    {
        var dialogs = Render<MudDialogProvider>();
        Governance.Add(Summary(ProposalId, "Mine to withdraw", author: Account));
        Governance.OnSubmitted = message => Governance.Views[ProposalId] = Governance.Views[ProposalId] with
        {
            Summary = Governance.Views[ProposalId].Summary with { State = ProposalState.Cancelled },
            CancelledAt = TestServices.Now,
        };
        Wallet.SignsTypedData();
        await SignInAsync();
        var page = RenderProposal();

        page.WaitForAssertion(() => page.Find("[data-testid='cancel-proposal']").Click());
        dialogs.WaitForAssertion(() => dialogs.Find("button:contains('Cancel proposal')").Click());

        page.WaitForAssertion(() => Assert.Equal("The proposal is cancelled.", page.Find("[data-testid='cancel-message']").TextContent.Trim()));
        Assert.Equal("Cancelled", page.Find("[data-testid='proposal-state']").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid='cancel-proposal']"));
        Assert.True(SnapshotEnvelope.TryParse(Assert.Single(Governance.Submitted), out var envelope, out var refusal), refusal?.ToString());
        Assert.Equal(SnapshotMessageKind.CancelProposal, envelope.Kind);
        Assert.Equal(new CancelProposalMessage(Account, SpaceId, TestServices.Now.ToUnixTimeSeconds(), ProposalId), envelope.Message);
    }

    [Fact]
    public async Task Keeping_the_proposal_in_the_confirmation_signs_nothing()
    {
        var dialogs = Render<MudDialogProvider>();
        Governance.Add(Summary(ProposalId, "Mine to keep", author: Account));
        await SignInAsync();
        var page = RenderProposal();

        page.WaitForAssertion(() => page.Find("[data-testid='cancel-proposal']").Click());
        dialogs.WaitForAssertion(() => dialogs.Find("button:contains('Keep it')").Click());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Empty(Wallet.TypedDataSigned);
        Assert.Empty(Governance.Submitted);
        Assert.NotNull(page.Find("[data-testid='cancel-proposal']"));
    }

    [Fact]
    public async Task Someone_other_than_the_author_sees_no_cancel()
    {
        Governance.Add(Summary(ProposalId, "Not mine", author: OtherAccount));
        await SignInAsync(Account);

        var page = RenderProposal();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='proposal-title']")));
        Assert.Empty(page.FindAll("[data-testid='cancel-proposal']"));
    }

    [Fact]
    public void The_page_shows_a_skeleton_until_the_proposal_arrives()
    {
        Governance.Add(Summary(ProposalId, "Worth the wait"));
        Governance.ProposalGate = new TaskCompletionSource();

        var page = RenderProposal();

        Assert.NotNull(page.Find("[data-testid='proposal-loading']"));
        Assert.Empty(page.FindAll("[data-testid='proposal-title']"));
        Governance.ProposalGate.SetResult();
        page.WaitForAssertion(() => Assert.Equal("Worth the wait", page.Find("[data-testid='proposal-title']").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid='proposal-loading']"));
    }

    [Fact]
    public void An_unknown_proposal_says_it_is_not_found()
    {
        var page = RenderProposal("0xdeadbeef");

        page.WaitForAssertion(() => Assert.Contains("There is no proposal", page.Find("[data-testid='proposal-not-found']").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid='vote-panel']"));
    }

    [Fact]
    public void A_failed_read_shows_the_error_and_trying_again_loads_the_proposal()
    {
        Governance.Add(Summary(ProposalId, "Back again"));
        Governance.ProposalFailure = new ApiException(503, "The portal is starting.");
        var page = RenderProposal();
        page.WaitForAssertion(() => Assert.Contains("The portal is starting.", page.Find("[data-testid='proposal-error']").TextContent, StringComparison.Ordinal));

        Governance.ProposalFailure = null;
        page.Find("[data-testid='proposal-error'] button").Click();

        page.WaitForAssertion(() => Assert.Equal("Back again", page.Find("[data-testid='proposal-title']").TextContent.Trim()));
    }

    [Fact]
    public void A_proposal_that_closes_while_open_is_read_again_for_its_final_state()
    {
        Governance.Add(Summary(ProposalId, "Closing soon", end: TestServices.Now.AddSeconds(2)));
        var page = RenderProposal();
        page.WaitForAssertion(() => Assert.Equal("Active", page.Find("[data-testid='proposal-state']").TextContent.Trim()));
        Governance.Views[ProposalId] = Governance.Views[ProposalId] with
        {
            Summary = Governance.Views[ProposalId].Summary with { State = ProposalState.Closed },
            ResultsFrozenAt = TestServices.Now.AddSeconds(2),
        };

        for (var i = 0; i < 3; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        page.WaitForAssertion(() => Assert.Equal("Closed", page.Find("[data-testid='proposal-state']").TextContent.Trim()));
        Assert.Equal("Final", page.Find("[data-testid='results-label']").TextContent.Trim());
    }
}
