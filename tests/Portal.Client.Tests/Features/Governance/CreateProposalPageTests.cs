using Bunit;
using Heurist.Portal.Client.Features.Governance;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Tests.Features.Wallet;
using Heurist.Protocol.Api;
using Heurist.Protocol.Governance;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using static Heurist.Portal.Client.Tests.Features.Governance.InMemoryGovernanceClient;

namespace Heurist.Portal.Client.Tests.Features.Governance;

/// <summary>/governance/new: the form, its checks, the exact Proposal message signed, and what a refusal leaves.</summary>
public sealed class CreateProposalPageTests : GovernanceTestContext
{
    private static readonly long Now = TestServices.Now.ToUnixTimeSeconds();

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private async Task<IRenderedComponent<CreateProposalPage>> OpenSignedInAsync(decimal power = 5000)
    {
        Governance.Power[Account] = power;
        await SignInAsync();
        var page = Render<CreateProposalPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='create-submit']")));
        return page;
    }

    private static void Type(IRenderedComponent<CreateProposalPage> page, string label, string text)
        => page.Find($"input[aria-label='{label}'], textarea[aria-label='{label}']").Input(text);

    private static void Create(IRenderedComponent<CreateProposalPage> page) => page.Find("[data-testid='create-submit']").Click();

    private static IRenderedComponent<MudSelect<VotingType>> TypeSelect(IRenderedComponent<CreateProposalPage> page)
        => page.FindComponent<MudSelect<VotingType>>();

    private static void FillTheBasics(IRenderedComponent<CreateProposalPage> page)
    {
        Type(page, "Title", "Add Flux to the catalog");
        Type(page, "Body", "Flux is **in demand**.");
        Type(page, "Choice 1", "Yes");
        Type(page, "Choice 2", "No");
    }

    private ProposalMessage PostedProposal()
    {
        Assert.True(SnapshotEnvelope.TryParse(Assert.Single(Governance.Submitted), out var envelope, out var refusal), refusal?.ToString());
        Assert.Equal(SnapshotMessageKind.Proposal, envelope.Kind);
        Assert.Equal(Account, envelope.Address);
        // Every member of the struct, in the order it is hashed, and the wallet signed exactly what was posted.
        Assert.Equal(SnapshotTypes.Fields(SnapshotMessageKind.Proposal).Select(f => f.Name), Governance.LastMessage.Select(m => m.Key));
        Assert.Equal(SnapshotTypes.TypedData(SnapshotMessageKind.Proposal, Governance.LastMessage), Assert.Single(Wallet.TypedDataSigned).TypedData);
        return Assert.IsType<ProposalMessage>(envelope.Message);
    }

    [Fact]
    public async Task Creating_signs_the_exact_proposal_message_and_opens_the_new_proposals_page()
    {
        var page = await OpenSignedInAsync();
        Wallet.SignsTypedData();
        FillTheBasics(page);
        page.Find("input[aria-label='Discussion link (optional)']").Change("https://forum.heurist.ai/t/flux");

        Create(page);

        page.WaitForAssertion(() => Assert.EndsWith($"/governance/{ReceiptId(1)}", Navigation.Uri, StringComparison.Ordinal));
        var proposal = PostedProposal();
        Assert.Equal(new ProposalMessage(
            Account, SpaceId, Now, "single-choice", "Add Flux to the catalog", "Flux is **in demand**.", "https://forum.heurist.ai/t/flux",
            proposal.Choices, proposal.Labels, Now, Now + (3 * 24 * 3600), LatestBlock, "{}", "", "heurist-portal"), proposal);
        Assert.Equal(["Yes", "No"], proposal.Choices);
        Assert.Empty(proposal.Labels);
    }

    [Fact]
    public async Task A_model_allocation_is_a_weighted_vote_over_the_catalogs_models_marked_in_its_plugins()
    {
        var page = await OpenSignedInAsync();
        Wallet.SignsTypedData();
        Type(page, "Title", "GPU split for December");

        page.Find("input[role='switch']").Change(true);

        page.WaitForAssertion(() => Assert.Equal(["sd15", "sdxl", "flux-dev"], page.FindAll("[data-testid='create-model-choice']").Select(c => c.TextContent.Trim())));
        Assert.Equal(VotingType.Weighted, TypeSelect(page).Instance.GetState(x => x.Value));
        Assert.True(TypeSelect(page).Instance.Disabled);
        Assert.Empty(page.FindAll("input[aria-label='Choice 1']"));
        Create(page);

        page.WaitForAssertion(() => Assert.Single(Governance.Submitted));
        var proposal = PostedProposal();
        Assert.Equal(("weighted", """{"heurist":{"kind":"model-allocation"}}"""), (proposal.Type, proposal.Plugins));
        Assert.Equal(["sd15", "sdxl", "flux-dev"], proposal.Choices);
    }

    [Fact]
    public async Task A_basic_proposal_has_for_against_and_abstain_whatever_was_typed()
    {
        var page = await OpenSignedInAsync();
        Wallet.SignsTypedData();
        FillTheBasics(page);

        await page.InvokeAsync(() => TypeSelect(page).Instance.SelectOption(VotingType.Basic));

        page.WaitForAssertion(() => Assert.Equal(["For", "Against", "Abstain"], page.FindAll("[data-testid='create-basic-choice']").Select(c => c.TextContent.Trim())));
        Assert.Equal(GovernanceText.TypeExplanation(VotingType.Basic), page.Find("[data-testid='create-type-explanation']").TextContent.Trim());
        Create(page);

        page.WaitForAssertion(() => Assert.Single(Governance.Submitted));
        var proposal = PostedProposal();
        Assert.Equal(("basic", "{}"), (proposal.Type, proposal.Plugins));
        Assert.Equal(["For", "Against", "Abstain"], proposal.Choices);
    }

    [Fact]
    public async Task Choices_are_added_moved_and_removed_and_signed_in_the_order_shown()
    {
        var page = await OpenSignedInAsync();
        Wallet.SignsTypedData();
        FillTheBasics(page);
        page.Find("[data-testid='create-add-choice']").Click();
        Type(page, "Choice 3", "Later");

        page.Find("button[aria-label='Move choice 3 up']").Click();
        page.Find("button[aria-label='Remove choice 1']").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='create-choice']").Count));
        Assert.Equal("Later", page.Find("input[aria-label='Choice 1']").GetAttribute("value"));
        Create(page);

        page.WaitForAssertion(() => Assert.Single(Governance.Submitted));
        Assert.Equal(["Later", "No"], PostedProposal().Choices);
    }

    [Fact]
    public async Task Each_invalid_field_is_named_and_nothing_is_signed()
    {
        var page = await OpenSignedInAsync();
        Type(page, "Choice 1", "Yes");
        page.Find("input[aria-label='Discussion link (optional)']").Change("forum thread 12");
        page.Find("input[aria-label='End date (UTC)']").Change("2026-11-20");
        page.Find("input[aria-label='Snapshot block']").Change((LatestBlock + 10).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Create(page);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='create-errors']")));
        Assert.Equal("Fix the title, the choices, the end, the snapshot block, the discussion link first.", page.Find("[data-testid='create-errors']").TextContent.Trim());
        Assert.Contains("Give the proposal a title.", page.Markup, StringComparison.Ordinal);
        Assert.Equal("Choices: choice 2 has no label.", page.Find("[data-testid='create-choices-error']").TextContent.Trim());
        Assert.Contains("The end must be in the future.", page.Markup, StringComparison.Ordinal);
        Assert.Contains($"Block {LatestBlock + 10} has not been mined yet; the latest is {LatestBlock}.", page.Markup, StringComparison.Ordinal);
        Assert.Contains("The discussion link must be an http or https address.", page.Markup, StringComparison.Ordinal);
        Assert.Empty(Wallet.TypedDataSigned);
        Assert.Empty(Governance.Submitted);
    }

    [Fact]
    public async Task An_end_before_the_start_is_refused_before_signing()
    {
        var page = await OpenSignedInAsync();
        FillTheBasics(page);
        page.Find("input[aria-label='Start date (UTC)']").Change("2026-11-30");

        Create(page);

        page.WaitForAssertion(() => Assert.Contains("The end must be after the start (2026-11-30 12:00 UTC).", page.Markup, StringComparison.Ordinal));
        Assert.Equal("Fix the end first.", page.Find("[data-testid='create-errors']").TextContent.Trim());
        Assert.Empty(Wallet.TypedDataSigned);
    }

    [Fact]
    public async Task A_declined_signature_and_a_refusal_keep_everything_typed()
    {
        var page = await OpenSignedInAsync();
        Wallet.RefusesToSignTypedData(WalletError.UserRejected, "User rejected the request.");
        FillTheBasics(page);

        Create(page);

        page.WaitForAssertion(() => Assert.Equal("You declined the signature; nothing was created. Your proposal is still here.", page.Find("[data-testid='create-info']").TextContent.Trim()));
        Assert.Empty(Governance.Submitted);
        Assert.Equal("Add Flux to the catalog", page.Find("input[aria-label='Title']").GetAttribute("value"));

        Wallet.SignsTypedData();
        Governance.SubmitFailure = new ApiException(400, "the proposer's power at block 4321 is below the threshold of 1000");
        Create(page);

        page.WaitForAssertion(() => Assert.Equal("The hub refused the proposal: the proposer's power at block 4321 is below the threshold of 1000",
            page.Find("[data-testid='create-error']").TextContent.Trim()));
        Assert.Equal("Add Flux to the catalog", page.Find("input[aria-label='Title']").GetAttribute("value"));
        Assert.Equal(["Yes", "No"], page.FindAll("[data-testid='create-choice'] input").Select(i => i.GetAttribute("value")));
        Assert.EndsWith("/", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Power_below_the_threshold_at_the_snapshot_block_is_shown_and_disables_create()
    {
        var page = await OpenSignedInAsync(power: 10);

        page.WaitForAssertion(() => Assert.Contains("You need at least 1,000 voting power at block 4321", page.Find("[data-testid='create-below-threshold']").TextContent, StringComparison.Ordinal));
        Assert.Equal("10", page.Find("[data-testid='create-power-total']").TextContent.Trim());
        Assert.True(page.Find("[data-testid='create-submit']").HasAttribute("disabled"));
        Assert.Contains((Account, LatestBlock), Governance.PowerReads);
    }

    [Fact]
    public async Task Another_snapshot_block_reads_the_power_at_that_block()
    {
        var page = await OpenSignedInAsync();

        page.Find("input[aria-label='Snapshot block']").Change("4000");

        page.WaitForAssertion(() => Assert.Contains((Account, 4000L), Governance.PowerReads));
        page.WaitForAssertion(() => Assert.Contains("Your power at block 4000", page.Find("[data-testid='create-power']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_preview_tab_shows_the_body_as_the_portal_renders_it()
    {
        var page = await OpenSignedInAsync();
        Type(page, "Body", "# Why\nFlux is **in demand**.");

        page.Find(".mud-tab:contains('Preview')").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='create-preview'] p[data-preview]")));
        Assert.Equal(["# Why\nFlux is **in demand**."], Governance.Previewed);
    }

    [Fact]
    public void Signed_out_the_form_asks_to_sign_in_and_create_is_disabled()
    {
        Wallet.Announces(FakeWalletModule.Rabby);

        var page = Render<CreateProposalPage>();

        page.WaitForAssertion(() => Assert.Contains("Connect a wallet and sign in to create a proposal.", page.Find("[data-testid='signer-prompt']").TextContent, StringComparison.Ordinal));
        Assert.True(page.Find("[data-testid='create-submit']").HasAttribute("disabled"));
        Assert.Equal("Sign in with your wallet to create a proposal.", page.Find("[data-testid='create-why-not']").TextContent.Trim());
    }
}
