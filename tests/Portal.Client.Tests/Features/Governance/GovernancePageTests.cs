using Bunit;
using Heurist.Portal.Client.Features.Governance;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using static Heurist.Portal.Client.Tests.Features.Governance.InMemoryGovernanceClient;

namespace Heurist.Portal.Client.Tests.Features.Governance;

/// <summary>/governance: the proposals by state, each with its countdown, leader and turnout, and the states around them.</summary>
public sealed class GovernancePageTests : GovernanceTestContext
{
    private static List<string> TabTexts(IRenderedComponent<GovernancePage> page)
        => [.. page.FindAll(".mud-tab").Select(t => t.TextContent.Trim())];

    private static List<string> CardTitles(IRenderedComponent<GovernancePage> page)
        => [.. page.FindAll("[data-testid='proposal-title']").Select(t => t.TextContent.Trim())];

    [Fact]
    public void Proposals_are_grouped_by_state_with_active_first_and_counts_on_the_tabs()
    {
        Governance.Proposals.AddRange([
            Summary("0x01", "Add Flux to the catalog"),
            Summary("0x02", "Raise the quorum", VotingType.Basic),
            Summary("0x03", "Next epoch's split", VotingType.Weighted, ProposalState.Pending, start: TestServices.Now.AddHours(5)),
            Summary("0x04", "Rename the space", state: ProposalState.Closed, scores: [10, 30, 5], end: TestServices.Now.AddDays(-2)),
            Summary("0x05", "Withdrawn idea", state: ProposalState.Cancelled),
        ]);

        var page = Render<GovernancePage>();

        page.WaitForAssertion(() => Assert.Equal(["Active (2)", "Pending (1)", "Closed (1)"], TabTexts(page)));
        Assert.Equal(["Add Flux to the catalog", "Raise the quorum"], CardTitles(page));
        Assert.Equal("/governance/0x01", page.Find("[data-testid='proposal-title']").GetAttribute("href"));

        page.Find(".mud-tab:contains('Closed (1)')").Click();

        page.WaitForAssertion(() => Assert.Equal(["Rename the space"], CardTitles(page)));
        Assert.Equal("ended 2 d ago", page.Find("[data-testid='proposal-timing']").TextContent.Trim());
        Assert.Equal("Result: Beta", page.Find("[data-testid='proposal-leading']").TextContent.Trim());
        Assert.DoesNotContain("Withdrawn idea", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_card_shows_its_type_kind_state_time_left_leader_turnout_and_quorum()
    {
        Governance.Proposals.Add(Summary("0x01", "GPU split for December", VotingType.Weighted, choices: ["sdxl", "flux-dev"], scores: [1500, 500],
            kind: ProposalKind.ModelAllocation, quorum: 5000, votes: 3, end: TestServices.Now.AddDays(2).AddHours(3)));

        var page = Render<GovernancePage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='proposal-card']")));
        Assert.Equal("Weighted", page.Find("[data-testid='proposal-type']").TextContent.Trim());
        Assert.Equal("Model allocation", page.Find("[data-testid='proposal-allocation']").TextContent.Trim());
        Assert.Equal("Active", page.Find("[data-testid='proposal-state']").TextContent.Trim());
        Assert.Equal("ends in 2 d 3 h", page.Find("[data-testid='proposal-timing']").TextContent.Trim());
        Assert.Equal("Leading: sdxl", page.Find("[data-testid='proposal-leading']").TextContent.Trim());
        Assert.Equal("3 voters · 2,000 power", page.Find("[data-testid='proposal-turnout']").TextContent.Trim());
        Assert.Contains("Quorum: 2,000 of 5,000", page.Find("[data-testid='proposal-quorum']").TextContent, StringComparison.Ordinal);
        Assert.Equal("40", page.Find("[data-testid='proposal-quorum'] [role='progressbar']").GetAttribute("aria-valuenow"));
    }

    [Fact]
    public void The_time_left_counts_down_on_the_clock()
    {
        Governance.Proposals.Add(Summary("0x01", "Soon over", end: TestServices.Now.AddMinutes(3)));
        var page = Render<GovernancePage>();
        page.WaitForAssertion(() => Assert.Equal("ends in 3 min 0 s", page.Find("[data-testid='proposal-timing']").TextContent.Trim()));

        Clock.Advance(TimeSpan.FromSeconds(1));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal("ends in 2 min 58 s", page.Find("[data-testid='proposal-timing']").TextContent.Trim()));
    }

    [Fact]
    public void Without_proposals_the_page_invites_to_create_one()
    {
        var page = Render<GovernancePage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='governance-empty']")));
        Assert.Contains(page.FindAll("[data-testid='governance-empty'] a"), a => a.GetAttribute("href") == "/governance/new");
        Assert.Equal("/governance/new", page.Find("[data-testid='create-proposal']").GetAttribute("href"));
        Assert.Empty(page.FindAll(".mud-tab"));
    }

    [Fact]
    public void With_only_closed_proposals_the_closed_tab_is_open_and_the_active_one_says_there_are_none()
    {
        Governance.Proposals.Add(Summary("0x04", "Old question", state: ProposalState.Closed, end: TestServices.Now.AddDays(-1)));

        var page = Render<GovernancePage>();

        page.WaitForAssertion(() => Assert.Equal(["Old question"], CardTitles(page)));
        page.Find(".mud-tab:contains('Active (0)')").Click();
        page.WaitForAssertion(() => Assert.Contains("No active proposals.", page.Find("[data-testid='governance-empty-active']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void The_list_shows_a_skeleton_while_loading_and_an_error_when_the_portal_fails()
    {
        Governance.ListGate = new TaskCompletionSource();
        Governance.ListFailure = new ApiException(503, "The database is not reachable.");

        var page = Render<GovernancePage>();

        Assert.NotNull(page.Find("[data-testid='governance-loading']"));
        Governance.ListGate.SetResult();
        page.WaitForAssertion(() => Assert.Contains("The database is not reachable.", page.Find("[data-testid='governance-error']").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid='governance-loading']"));
    }
}
