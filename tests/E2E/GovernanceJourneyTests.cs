using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Heurist.Contracts.LocalChain;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Api.Network;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heurist.E2E;

/// <summary>
/// HEU holders with a browser wallet on the real portal, chain and worker: create a proposal, vote with two accounts of
/// different power and see the results; then a model-allocation vote that, once closed, changes the model the worker
/// serves on the home page.
/// </summary>
public sealed partial class GovernanceJourneyTests(RunningPortal portal, BrowserFixture browser) : IAsyncLifetime
{
    // Dev accounts no other journey signs in with or stakes from, so their power is only what this journey gives them.
    private const int Proposer = 3;
    private const int SmallHolder = 5;
    private const int ProposerHeu = 12_000;
    private const int SmallHolderHeu = 3_500;

    private static readonly JsonSerializerOptions Api = new(JsonSerializerDefaults.Web);

    private readonly List<IBrowserContext> _contexts = [];

    public async ValueTask InitializeAsync()
    {
        // Holdings at the latest block, before any proposal takes its snapshot.
        await portal.Chain.FundHeuAsync(AnvilAccounts.Address(Proposer), ProposerHeu);
        await portal.Chain.FundHeuAsync(AnvilAccounts.Address(SmallHolder), SmallHolderHeu);
    }

    [Fact]
    public async Task A_holder_creates_a_proposal_two_holders_of_different_power_vote_and_the_results_weigh_their_power()
    {
        var proposer = await OpenSignedInAsync("/governance/new", Proposer);
        var title = $"Raise the Flux share ({Guid.NewGuid().ToString("N")[..6]})";
        await Expect(proposer.GetByTestId("create-power-total")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await proposer.GetByRole(AriaRole.Textbox, new() { Name = "Title" }).FillAsync(title);
        await proposer.GetByRole(AriaRole.Textbox, new() { Name = "Body" }).FillAsync("## Why\n\nFlux images earn **10×** the points; give it more GPUs.\n\n<script>alert(1)</script>");
        await proposer.GetByRole(AriaRole.Textbox, new() { Name = "Choice 1" }).FillAsync("Yes");
        await proposer.GetByRole(AriaRole.Textbox, new() { Name = "Choice 2" }).FillAsync("No");
        await Screenshots.SaveAsync(proposer, "governance-create");
        await proposer.GetByTestId("create-submit").ClickAsync();

        await Expect(proposer).ToHaveURLAsync(new Regex("/governance/0x[0-9a-f]{64}$"), new() { Timeout = 30_000 });
        var id = proposer.Url[(proposer.Url.LastIndexOf('/') + 1)..];
        await Expect(proposer.GetByTestId("proposal-title")).ToHaveTextAsync(title, new() { Timeout = 30_000 });
        // The body is Markdown rendered on the server: the heading is there, the script only as text.
        await Expect(proposer.GetByTestId("proposal-body").Locator("h2")).ToHaveTextAsync("Why");
        Assert.Equal(0, await proposer.GetByTestId("proposal-body").Locator("script").CountAsync());

        await VoteSingleAsync(proposer, "Yes");
        var voter = await OpenSignedInAsync($"/governance/{id}", SmallHolder);
        await VoteSingleAsync(voter, "No");

        // The results weigh each vote by the voter's power at the snapshot block.
        var view = await ProposalAsync(voter, id);
        Assert.Equal([(decimal)ProposerHeu, SmallHolderHeu], view.Summary.Scores);
        Assert.Equal(2, view.Summary.Votes);
        Assert.Equal(["Yes"], view.Summary.Leading);
        await voter.ReloadAsync();
        await WaitInteractiveAsync(voter);
        await Expect(voter.GetByTestId("voter-address")).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(voter.GetByTestId("result-row").Filter(new() { Has = voter.GetByTestId("result-leading") })).ToContainTextAsync("Yes");
        await Expect(voter.GetByTestId("results-turnout")).ToContainTextAsync("15,500");
        // Back on the page, the voter's counted vote is shown and picked, so a change starts from it.
        await Expect(voter.GetByTestId("vote-current-choice")).ToHaveTextAsync("No", new() { Timeout = 30_000 });
        await Expect(voter.GetByTestId("vote-single").GetByRole(AriaRole.Radio, new() { Name = "No" })).ToBeCheckedAsync();
        await Expect(voter.GetByTestId("vote-button")).ToHaveTextAsync("Change vote");
        await Screenshots.SaveAsync(voter, "governance-proposal");

        // Every receipt is a signed message anyone can fetch and check.
        var receipt = await voter.GetByTestId("voter-receipt").First.GetAttributeAsync("href");
        Assert.Matches("api/msg/0x[0-9a-f]{64}$", receipt ?? "");
        var signed = await voter.APIRequest.GetAsync(GovernanceRoutes.SignedVotes(id));
        using var votes = JsonDocument.Parse(await signed.TextAsync());
        Assert.Equal(2, votes.RootElement.GetArrayLength());

        await voter.GotoAsync("/governance");
        await WaitInteractiveAsync(voter);
        await Expect(voter.GetByTestId("proposal-card").Filter(new() { HasText = title })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(voter, "governance-list");
        await voter.SetViewportSizeAsync(390, 844);
        await Screenshots.SaveAsync(voter, "governance-list-mobile");
        Assert.True(await voter.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"), "/governance runs off a 390 px screen.");
    }

    [Fact]
    public async Task A_model_allocation_vote_once_closed_changes_the_model_the_worker_serves_on_the_home_page()
    {
        var page = await OpenSignedInAsync("/governance/new", Proposer);
        // Before the vote the work follows demand: an SD 1.5 image puts the worker on SD 1.5.
        await StudioSteps.GenerateAsync(page, "a lantern in the fog, before the vote", "sd15");
        await WaitForServedAsync(page, served: "sd15", notServed: "flux-dev", TimeSpan.FromSeconds(60));
        await page.GotoAsync("/");
        await WaitInteractiveAsync(page);
        await Screenshots.SaveAsync(page, "governance-home-before");
        await page.GotoAsync("/governance/new");
        await WaitInteractiveAsync(page);

        await Expect(page.GetByTestId("create-power-total")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.GetByTestId("create-allocation").ClickAsync();
        await Expect(page.GetByTestId("create-model-choice")).ToHaveCountAsync(3);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Title" }).FillAsync("Give every GPU to Flux for a while");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Body" }).FillAsync("A short allocation vote.");
        // It closes in about two minutes: the worker follows the result only once voting has ended.
        var end = DateTimeOffset.UtcNow.AddMinutes(2);
        await FillAsync(page.GetByRole(AriaRole.Textbox, new() { Name = "End date (UTC)" }), end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await FillAsync(page.GetByRole(AriaRole.Textbox, new() { Name = "End time (UTC)" }), end.ToString("HH:mm", CultureInfo.InvariantCulture));
        await page.GetByTestId("create-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/governance/0x[0-9a-f]{64}$"), new() { Timeout = 30_000 });
        var id = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        await Expect(page.GetByTestId("proposal-allocation")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // All of the weight on Flux.
        await Expect(page.GetByTestId("vote-weights")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.GetByLabel("Weight of flux-dev in percent", new() { Exact = true }).FillAsync("100");
        await page.GetByLabel("Weight of flux-dev in percent", new() { Exact = true }).PressAsync("Tab");
        await Expect(page.GetByTestId("weights-left")).ToContainTextAsync("0 %");
        await page.GetByTestId("vote-button").ClickAsync();
        await Expect(page.GetByTestId("vote-recorded")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(page, "governance-allocation-vote");

        // After the end, the allocation service reads the frozen result, and the worker switches at its next heartbeat.
        // By then the SD 1.5 job has left the demand window, so the vote alone decides.
        var wait = end - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(90);
        await Readiness.WaitUntilAsync(async () => (await AllocationAsync(page)).ProposalId == id, [], wait, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        await WaitForServedAsync(page, served: "flux-dev", notServed: "sd15", TimeSpan.FromSeconds(60));

        await page.GotoAsync("/");
        await WaitInteractiveAsync(page);
        var row = page.Locator("tr").Filter(new() { HasText = RunningPortal.MinerId });
        await Expect(row.GetByText("flux-dev", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(row.GetByText("held, idle").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "governance-home-served");

        var allocation = await AllocationAsync(page);
        Assert.Equal(id, allocation.ProposalId);
        Assert.Equal(1.0, allocation.Models.Single(m => m.ModelId == "flux-dev").VotedShare, 6);
        await page.GotoAsync("/stats");
        await WaitInteractiveAsync(page);
        await Screenshots.SaveAsync(page, "governance-stats-allocation");
    }

    private static async Task VoteSingleAsync(IPage page, string choice)
    {
        await Expect(page.GetByTestId("vote-power-total")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.GetByTestId("vote-single").GetByText(choice, new() { Exact = true }).ClickAsync();
        await page.GetByTestId("vote-button").ClickAsync();
        await Expect(page.GetByTestId("vote-recorded")).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    private static async Task<ProposalView> ProposalAsync(IPage page, string id)
        => JsonSerializer.Deserialize<ProposalView>(await (await page.APIRequest.GetAsync(GovernanceRoutes.Proposal(id))).TextAsync(), Api)!;

    private static async Task<AllocationStatus> AllocationAsync(IPage page)
        => JsonSerializer.Deserialize<AllocationStatus>(await (await page.APIRequest.GetAsync(GovernanceRoutes.Allocation)).TextAsync(), Api)!;

    /// <summary>Waits until the journey's worker reports serving <paramref name="served"/> and not <paramref name="notServed"/>.</summary>
    private static Task WaitForServedAsync(IPage page, string served, string notServed, TimeSpan timeout)
        => Readiness.WaitUntilAsync(async () =>
        {
            var worker = (await WorkersAsync(page)).Single(w => w.MinerId == RunningPortal.MinerId);
            return worker.Queues.Contains(served) && !worker.Queues.Contains(notServed);
        }, [], timeout, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

    private static async Task<OnlineWorker[]> WorkersAsync(IPage page)
        => JsonSerializer.Deserialize<OnlineWorker[]>(await (await page.APIRequest.GetAsync("/api/network/workers")).TextAsync(), Api)!;

    /// <summary>Types into an editable picker's field as a person would, replacing what is there.</summary>
    private static async Task FillAsync(ILocator field, string text)
    {
        await field.FillAsync(text);
        await field.PressAsync("Enter");
        await field.Page.Keyboard.PressAsync("Escape");
    }

    private Task<IPage> OpenSignedInAsync(string path, int account)
        => WalletSteps.OpenSignedInAsync(browser, portal, path, account, _contexts);

    private static Task WaitInteractiveAsync(IPage page) => WalletSteps.WaitInteractiveAsync(page);

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }
}
