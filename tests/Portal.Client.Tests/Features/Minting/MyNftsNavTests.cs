using Bunit;
using Heurist.Portal.Client.Layout;

namespace Heurist.Portal.Client.Tests.Features.Minting;

/// <summary>The navigation's My NFTs, which leads to the connected wallet's gallery.</summary>
public sealed class MyNftsNavTests : MintingTestContext
{
    private static List<(string Text, string? Href)> Links(IRenderedComponent<NavMenu> nav)
        => [.. nav.FindAll("nav a").Select(a => (a.TextContent.Trim(), a.GetAttribute("href")))];

    [Fact]
    public async Task My_nfts_appears_once_a_wallet_is_connected_and_leads_to_its_gallery()
    {
        var nav = Render<NavMenu>();
        Assert.DoesNotContain(Links(nav), link => link.Text == "My NFTs");
        Assert.Contains(("Paymaster", "/operators/paymaster"), Links(nav));

        await SignInAsync();

        nav.WaitForAssertion(() => Assert.Contains(("My NFTs", $"/gallery/{Account}"), Links(nav)));
        var texts = Links(nav).Select(l => l.Text).ToList();
        Assert.Equal(texts.IndexOf("My staking") + 1, texts.IndexOf("My NFTs"));
    }
}
