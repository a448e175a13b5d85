using Bunit;
using Heurist.Portal.Client.Features.Studio;
using Heurist.Portal.Client.Tests.Features.Studio;
using Heurist.Protocol.Api.Minting;

namespace Heurist.Portal.Client.Tests.Features.Minting;

/// <summary>The Studio's finished job and its gallery cards offer the mint, or show the NFT the image became.</summary>
public sealed class StudioMintingTests : MintingTestContext
{
    [Fact]
    public async Task The_finished_job_of_the_signed_in_account_offers_the_mint()
    {
        await SignInAsync();

        var result = Render<JobResult>(parameters => parameters
            .Add(r => r.Job, InMemoryStudioClient.Job("a red fox in snow"))
            .Add(r => r.Owner, Account));

        Assert.NotNull(result.Find("[data-testid='mint-button']"));
    }

    [Fact]
    public async Task A_gallery_card_of_a_minted_image_shows_its_badge()
    {
        await SignInAsync();
        var job = InMemoryStudioClient.Job("a red fox in snow");
        var tokenId = NftTokenIds.FromImageSha256(job.ImageSha256!);

        var card = Render<GalleryCard>(parameters => parameters
            .Add(c => c.Job, job with { MintedTokenId = tokenId })
            .Add(c => c.Owner, Account));

        Assert.Equal($"/nft/{tokenId}", card.Find("[data-testid='minted-badge']").GetAttribute("href"));
        Assert.Empty(card.FindAll("[data-testid='mint-button']"));
    }
}
