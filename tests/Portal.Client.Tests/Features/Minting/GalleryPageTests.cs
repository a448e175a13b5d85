using Bunit;
using Heurist.Portal.Client.Features.Minting;
using Heurist.Portal.Client.Tests.Features.Studio;
using Heurist.Protocol.Api.Minting;

namespace Heurist.Portal.Client.Tests.Features.Minting;

/// <summary>/gallery/{address}: a wallet's NFTs for everyone, its images to mint for its owner only.</summary>
public sealed class GalleryPageTests : MintingTestContext
{
    private IRenderedComponent<GalleryPage> RenderGallery(string address)
        => Render<GalleryPage>(parameters => parameters.Add(page => page.Address, address));

    [Fact]
    public async Task The_owner_sees_their_nfts_and_their_images_to_mint_each_with_a_mint_button()
    {
        await SignInAsync();
        Nfts.Galleries[Account] = new WalletGallery(Account, true, [NftPageTests.Nft(Account)],
            [InMemoryStudioClient.Job("a red fox in snow"), InMemoryStudioClient.Job("a paper boat")]);

        var page = RenderGallery(Account);

        page.WaitForAssertion(() => Assert.Equal("My NFTs", page.Find("[data-testid='gallery-title']").TextContent.Trim()));
        var nft = Assert.Single(page.FindAll("[data-testid='gallery-nft']"));
        Assert.Contains("Lighthouse at dusk", nft.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/nft/{NftPageTests.Nft().TokenId}", nft.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal(2, page.FindAll("[data-testid='gallery-image']").Count);
        Assert.Equal(2, page.FindAll("[data-testid='gallery-image'] [data-testid='mint-button']").Count);
    }

    [Fact]
    public async Task A_visitor_sees_the_nfts_but_not_the_images_to_mint()
    {
        await SignInAsync(OtherAccount);
        Nfts.Galleries[Account] = new WalletGallery(Account, false, [NftPageTests.Nft(Account)], [InMemoryStudioClient.Job("a red fox in snow")]);

        var page = RenderGallery(Account);

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='gallery-nft']")));
        Assert.Equal("NFTs of 0xf39F…2266", page.Find("[data-testid='gallery-title']").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid='gallery-unminted']"));
        Assert.Empty(page.FindAll("[data-testid='mint-button']"));
    }

    [Fact]
    public void A_wallet_without_nfts_says_so()
    {
        var page = RenderGallery(OtherAccount);

        page.WaitForAssertion(() => Assert.Equal("This wallet holds no Imaginaries NFTs yet.", page.Find("[data-testid='gallery-minted-empty']").TextContent.Trim()));
        Assert.Equal([OtherAccount], Nfts.GalleryRequests);
    }

    [Fact]
    public async Task An_owner_with_nothing_yet_is_sent_to_the_studio()
    {
        await SignInAsync();
        Nfts.Galleries[Account] = new WalletGallery(Account, true, [], []);

        var page = RenderGallery(Account);

        page.WaitForAssertion(() => Assert.Contains("mint one of your images below", page.Find("[data-testid='gallery-minted-empty']").TextContent, StringComparison.Ordinal));
        Assert.Equal("/studio", page.Find("[data-testid='gallery-unminted-empty'] a").GetAttribute("href"));
    }

    [Fact]
    public void Something_that_is_not_an_address_is_not_looked_up()
    {
        var page = RenderGallery("vitalik");

        Assert.NotNull(page.Find("[data-testid='gallery-invalid']"));
        Assert.Empty(Nfts.GalleryRequests);
    }
}
