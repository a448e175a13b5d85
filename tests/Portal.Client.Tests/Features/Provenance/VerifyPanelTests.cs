using Bunit;
using Heurist.Portal.Client.Features.Provenance;
using Heurist.Portal.Client.Tests.Features.Minting;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Provenance;

namespace Heurist.Portal.Client.Tests.Features.Provenance;

/// <summary>The NFT page's Verify section: earlier re-runs, a new one followed to its outcome, and refusals.</summary>
public sealed class VerifyPanelTests : MintingTestContext
{
    private const string Sha256 = InMemoryProvenanceClient.Sha256;

    private IRenderedComponent<VerifyPanel> RenderPanel()
        => Render<VerifyPanel>(parameters => parameters.Add(panel => panel.ImageSha256, Sha256));

    private static string? State(IRenderedComponent<VerifyPanel> panel)
        => panel.FindAll("[data-testid='verification']").SingleOrDefault()?.GetAttribute("data-state");

    [Fact]
    public async Task Verify_queues_a_rerun_and_follows_it_until_it_is_identical()
    {
        Provenance.Then(v => v with { State = VerificationState.Running },
            v => v with { State = VerificationState.Identical, ActualSha256 = Sha256, FinishedAt = TestServices.Now.AddSeconds(3) });
        var panel = RenderPanel();
        panel.WaitForAssertion(() => Assert.Contains("Nobody has verified", panel.Find("[data-testid='verify-none']").TextContent, StringComparison.Ordinal));

        panel.Find("[data-testid='verify-button']").Click();

        panel.WaitForAssertion(() => Assert.Equal("Queued", State(panel)));
        Assert.True(panel.Find("[data-testid='verify-button']").HasAttribute("disabled"));
        Assert.Equal("Verifying…", panel.Find("[data-testid='verify-button']").TextContent.Trim());
        await PollUntilAsync(() => State(panel) == "Identical");
        panel.WaitForAssertion(() => Assert.Equal("Identical", State(panel)));
        Assert.Contains("Identical.", panel.Find("[data-testid='verification']").TextContent, StringComparison.Ordinal);
        Assert.Equal(Sha256, panel.Find("[data-testid='verification'] .copyable").GetAttribute("title"));
        Assert.False(panel.Find("[data-testid='verify-button']").HasAttribute("disabled"));
        Assert.Equal(1, Provenance.Requests);
        Assert.Equal(2, Provenance.Reads.Count);
    }

    [Fact]
    public void A_different_rerun_shows_both_hashes_and_what_differed()
    {
        Provenance.Verifications.Add(InMemoryProvenanceClient.View(VerificationState.Different, InMemoryProvenanceClient.OtherSha256,
            ["executionProvider: CPU → CUDA", "threads: 2 → 16"]));

        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Equal("Different", State(panel)));
        var hashes = panel.FindAll("[data-testid='verification'] .copyable").Select(c => c.GetAttribute("title")).ToList();
        Assert.Equal([Sha256, InMemoryProvenanceClient.OtherSha256], hashes);
        var differences = panel.FindAll("[data-testid='verify-differences'] li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(["executionProvider: CPU → CUDA", "threads: 2 → 16"], differences);
        Assert.Contains("What differed in the environment", panel.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Cannot_verify_says_why_and_lists_the_model_files_that_differ()
    {
        Provenance.Verifications.Add(InMemoryProvenanceClient.View(VerificationState.CannotVerify,
            differences: ["unet/model.onnx: ab12 → cd34"], reason: "the model files of sd15 on worker w1 are not the recorded ones (1 differ)"));

        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Equal("CannotVerify", State(panel)));
        var text = panel.Find("[data-testid='verification']").TextContent;
        Assert.Contains("Cannot verify: the model files of sd15 on worker w1 are not the recorded ones (1 differ).", text, StringComparison.Ordinal);
        Assert.Equal("unet/model.onnx: ab12 → cd34", panel.Find("[data-testid='verify-differences'] li").TextContent.Trim());
    }

    [Fact]
    public async Task The_newest_is_shown_earlier_ones_are_listed_and_an_unfinished_one_is_followed_on_load()
    {
        var older = InMemoryProvenanceClient.View(VerificationState.Identical, Sha256, createdAt: TestServices.Now.AddDays(-2));
        var running = InMemoryProvenanceClient.View(VerificationState.Running, createdAt: TestServices.Now.AddMinutes(-1));
        Provenance.Verifications.AddRange([running, older]);
        Provenance.Then(v => v with { State = VerificationState.Identical, ActualSha256 = Sha256 });

        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Equal("Running", State(panel)));
        Assert.Equal("Identical", panel.Find("[data-testid='verify-history'] tbody .mud-chip").TextContent.Trim());
        Assert.True(panel.Find("[data-testid='verify-button']").HasAttribute("disabled"));
        await PollUntilAsync(() => State(panel) == "Identical");
        panel.WaitForAssertion(() => Assert.Equal("Identical", State(panel)));
        Assert.Equal([running.Id], Provenance.Reads);
        Assert.Equal(0, Provenance.Requests);
    }

    [Fact]
    public void A_second_verify_keeps_the_first_in_the_history()
    {
        Provenance.Verifications.Add(InMemoryProvenanceClient.View(VerificationState.Identical, Sha256, createdAt: TestServices.Now.AddHours(-1)));
        var panel = RenderPanel();
        panel.WaitForAssertion(() => Assert.Equal("Identical", State(panel)));
        Assert.Empty(panel.FindAll("[data-testid='verify-history']"));

        panel.Find("[data-testid='verify-button']").Click();

        panel.WaitForAssertion(() => Assert.Equal("Queued", State(panel)));
        Assert.Single(panel.FindAll("[data-testid='verify-history'] tbody tr"));
    }

    [Fact]
    public void A_refusal_shows_the_portals_reason_and_verify_can_be_pressed_again()
    {
        Provenance.RequestFailure = new ApiException(409, "This image was made before provenance was recorded; it cannot be re-run.");
        var panel = RenderPanel();
        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("[data-testid='verify-none']")));

        panel.Find("[data-testid='verify-button']").Click();

        panel.WaitForAssertion(() => Assert.Equal("This image was made before provenance was recorded; it cannot be re-run.",
            panel.Find("[data-testid='verify-error']").TextContent.Trim()));
        Assert.False(panel.Find("[data-testid='verify-button']").HasAttribute("disabled"));
        Assert.NotNull(panel.Find("[data-testid='verify-none']"));
    }

    [Fact]
    public async Task A_portal_that_stops_answering_while_following_is_asked_again_and_the_outcome_still_arrives()
    {
        var panel = RenderPanel();
        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("[data-testid='verify-none']")));
        Provenance.ReadFailure = new HttpRequestException("connection refused");

        panel.Find("[data-testid='verify-button']").Click();
        await PollUntilAsync(() => panel.FindAll("[data-testid='verify-error']").Count > 0);
        panel.WaitForAssertion(() => Assert.Contains("still trying", panel.Find("[data-testid='verify-error']").TextContent, StringComparison.Ordinal));
        Assert.Equal("Queued", State(panel));

        Provenance.ReadFailure = null;
        Provenance.Then(v => v with { State = VerificationState.Identical, ActualSha256 = Sha256 });
        await PollUntilAsync(() => State(panel) == "Identical");
        panel.WaitForAssertion(() => Assert.Equal("Identical", State(panel)));
        Assert.Empty(panel.FindAll("[data-testid='verify-error']"));
    }
}
