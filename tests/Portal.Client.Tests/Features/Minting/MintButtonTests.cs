using Bunit;
using Heurist.Portal.Client.Features.Minting;
using Heurist.Portal.Client.Tests.Features.Studio;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Api.Studio;

namespace Heurist.Portal.Client.Tests.Features.Minting;

/// <summary>The mint button: who sees it, and each way a gasless mint can go, with the portal and the wallet in memory.</summary>
public sealed class MintButtonTests : MintingTestContext
{
    private readonly ImageJobView _job = InMemoryStudioClient.Job("a lighthouse at dusk, oil on canvas");
    private readonly List<string> _minted = [];

    private string Sha256 => _job.ImageSha256!;

    private string TokenId => NftTokenIds.FromImageSha256(Sha256);

    private IRenderedComponent<MintButton> RenderButton(ImageJobView? job = null, string? owner = Account)
        => Render<MintButton>(parameters => parameters
            .Add(button => button.Job, job ?? _job)
            .Add(button => button.Owner, owner)
            .Add(button => button.OnMinted, tokenId => _minted.Add(tokenId)));

    private static string Stage(IRenderedComponent<MintButton> button) => button.Find("[data-testid='mint']").GetAttribute("data-stage") ?? "";

    [Fact]
    public async Task The_owner_signed_in_sees_the_button()
    {
        await SignInAsync();

        var button = RenderButton();

        Assert.Equal("Mint as NFT", button.Find("[data-testid='mint-button']").TextContent.Trim());
    }

    [Fact]
    public async Task Someone_elses_image_has_no_button()
    {
        await SignInAsync(OtherAccount);

        var button = RenderButton(owner: Account);

        Assert.Empty(button.FindAll("[data-testid='mint']"));
        Assert.Empty(button.FindAll("button"));
    }

    [Fact]
    public void Signed_out_there_is_no_button_even_for_the_browsers_own_image()
    {
        var button = RenderButton(owner: null);

        Assert.Empty(button.FindAll("[data-testid='mint']"));
    }

    [Fact]
    public async Task A_minted_image_shows_its_token_instead_of_the_button()
    {
        await SignInAsync();

        var button = RenderButton(_job with { MintedTokenId = TokenId });

        Assert.Empty(button.FindAll("[data-testid='mint-button']"));
        var badge = button.Find("[data-testid='minted-badge']");
        Assert.Equal($"Minted #{NftTokenIds.Abbreviate(TokenId)}", badge.TextContent.Trim());
        Assert.Equal($"/nft/{TokenId}", badge.GetAttribute("href"));
    }

    [Fact]
    public async Task An_image_still_rendering_has_no_button()
    {
        await SignInAsync();

        var button = RenderButton(InMemoryStudioClient.Job("still going", Protocol.Jobs.ImageJobState.Running, progressStep: 4));

        Assert.Empty(button.FindAll("[data-testid='mint']"));
    }

    [Fact]
    public async Task Minting_prepares_asks_the_wallet_to_sign_submits_and_ends_with_the_token()
    {
        await SignInAsync();
        Wallet.SignsTypedData("0xfeed");
        Minting.StatusAnswers(InMemoryMintingClient.Status(Sha256, MintState.Indexed));
        var button = RenderButton();

        button.Find("[data-testid='mint-button']").Click();

        button.WaitForAssertion(() => Assert.Equal($"Minted #{NftTokenIds.Abbreviate(TokenId)}", button.Find("[data-testid='minted-chip']").TextContent.Trim()));
        Assert.Equal($"/nft/{TokenId}", button.Find("[data-testid='minted-chip']").GetAttribute("href"));
        Assert.Equal([Sha256], Minting.Prepared);
        var (account, typedData) = Assert.Single(Wallet.TypedDataSigned);
        Assert.Equal(Account, account);
        Assert.Contains(Sha256, typedData, StringComparison.Ordinal);
        var submission = Assert.Single(Minting.Submissions);
        Assert.Equal("0xfeed", submission.Signature);
        Assert.Equal([InMemoryMintingClient.UserOpHash], Minting.StatusReads);
        Assert.Equal([TokenId], _minted);
        // Anvil has no explorer: the transaction is shown by its hash.
        Assert.Equal(InMemoryMintingClient.TransactionHash, button.Find("[data-testid='mint-tx'] .copyable").GetAttribute("title"));
    }

    [Fact]
    public async Task A_sent_mint_shows_its_progress_and_is_asked_after_until_it_is_indexed()
    {
        await SignInAsync();
        Wallet.SignsTypedData();
        Minting.StatusAnswers(
            InMemoryMintingClient.Status(Sha256, MintState.Pending),
            InMemoryMintingClient.Status(Sha256, MintState.Included),
            InMemoryMintingClient.Status(Sha256, MintState.Indexed));
        var button = RenderButton();

        button.Find("[data-testid='mint-button']").Click();

        button.WaitForAssertion(() => Assert.Contains("waiting for a block", button.Find("[data-testid='mint-pending']").TextContent, StringComparison.Ordinal));
        Assert.NotNull(button.Find("[aria-label='Mint progress']"));
        Assert.Empty(_minted);
        await PollUntilAsync(() => button.FindAll("[data-testid='minted-chip']").Count > 0);
        button.WaitForAssertion(() => Assert.NotNull(button.Find("[data-testid='minted-chip']")));
        Assert.Equal(3, Minting.StatusReads.Count);
        Assert.Equal([TokenId], _minted);
    }

    [Fact]
    public async Task Declining_the_signature_goes_back_to_ready_with_a_short_note()
    {
        await SignInAsync();
        Wallet.RefusesToSignTypedData(4001, "User rejected the request.");
        var button = RenderButton();

        button.Find("[data-testid='mint-button']").Click();

        button.WaitForAssertion(() => Assert.Equal("You declined the signature; nothing was minted.", button.Find("[data-testid='mint-info']").TextContent.Trim()));
        Assert.Equal("Ready", Stage(button));
        Assert.NotNull(button.Find("[data-testid='mint-button']"));
        Assert.Empty(button.FindAll("[data-testid='mint-error']"));
        Assert.Empty(Minting.Submissions);
    }

    [Fact]
    public async Task An_image_minted_meanwhile_links_the_existing_token_and_offers_no_retry()
    {
        await SignInAsync();
        Minting.PrepareFailure = new ApiException(409, "This image is minted already as token #1234…5678.");
        var button = RenderButton();

        button.Find("[data-testid='mint-button']").Click();

        button.WaitForAssertion(() => Assert.Contains("This image is minted already", button.Find("[data-testid='mint-error']").TextContent, StringComparison.Ordinal));
        Assert.Equal($"/nft/{TokenId}", button.Find("[data-testid='mint-existing']").GetAttribute("href"));
        Assert.Empty(button.FindAll("[data-testid='mint-retry']"));
        Assert.Empty(Wallet.TypedDataSigned);
    }

    [Fact]
    public async Task A_spent_quota_shows_which_one_and_when_it_resets()
    {
        await SignInAsync();
        const string Quota = "This wallet has used its 5 sponsored mints for today; the quota resets at 00:00 UTC.";
        Minting.PrepareFailure = new ApiException(429, Quota);
        var button = RenderButton();

        button.Find("[data-testid='mint-button']").Click();

        button.WaitForAssertion(() => Assert.Equal(Quota, button.Find("[data-testid='mint-error']").TextContent.Trim()));
        Assert.Equal("Failed", Stage(button));
        Assert.Empty(Wallet.TypedDataSigned);
        Assert.NotNull(button.Find("[data-testid='mint-retry']"));
    }

    [Fact]
    public async Task A_bundler_refusal_shows_its_reason_and_trying_again_mints()
    {
        await SignInAsync();
        Wallet.SignsTypedData();
        Minting.SubmitFailure = new ApiException(502, "The bundler refused the operation: AA33 reverted.");
        Minting.StatusAnswers(InMemoryMintingClient.Status(Sha256, MintState.Indexed));
        var button = RenderButton();

        button.Find("[data-testid='mint-button']").Click();

        button.WaitForAssertion(() => Assert.Equal("The bundler refused the operation: AA33 reverted.", button.Find("[data-testid='mint-error']").TextContent.Trim()));
        Minting.SubmitFailure = null;
        button.Find("[data-testid='mint-retry']").Click();
        button.WaitForAssertion(() => Assert.NotNull(button.Find("[data-testid='minted-chip']")));
        Assert.Equal(2, Minting.Prepared.Count);
    }

    [Fact]
    public async Task A_failed_operation_shows_the_reason_with_a_retry()
    {
        await SignInAsync();
        Wallet.SignsTypedData();
        Minting.StatusAnswers(InMemoryMintingClient.Status(Sha256, MintState.Failed, "the operation reverted"));
        var button = RenderButton();

        button.Find("[data-testid='mint-button']").Click();

        button.WaitForAssertion(() => Assert.Contains("the operation reverted", button.Find("[data-testid='mint-error']").TextContent, StringComparison.Ordinal));
        Assert.NotNull(button.Find("[data-testid='mint-retry']"));
        Assert.Empty(_minted);
    }

    [Fact]
    public async Task A_reissued_operation_is_signed_once_more_and_sent()
    {
        await SignInAsync();
        var reissued = InMemoryMintingClient.Preparation(Sha256, """{"primaryType":"PackedUserOperation","message":{"reissued":true}}""");
        Minting.SubmitAnswers(new MintSubmitted(null, reissued));
        Wallet.SignsTypedData("0x01");
        Wallet.SignsTypedData("0x02", containing: "reissued");
        Minting.StatusAnswers(InMemoryMintingClient.Status(Sha256, MintState.Indexed));
        var button = RenderButton();

        button.Find("[data-testid='mint-button']").Click();

        button.WaitForAssertion(() => Assert.NotNull(button.Find("[data-testid='minted-chip']")));
        Assert.Equal(2, Wallet.TypedDataSigned.Count);
        Assert.Equal(reissued.TypedData, Wallet.TypedDataSigned[1].TypedData);
        Assert.Equal(2, Minting.Submissions.Count);
        Assert.Equal("0x01", Minting.Submissions[0].Signature);
        Assert.Equal((reissued.PreparationId, "0x02"), (Minting.Submissions[1].PreparationId, Minting.Submissions[1].Signature));
        Assert.Single(Minting.Prepared);
    }
}
