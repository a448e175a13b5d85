using System.Text.Json;
using Bunit;
using Heurist.Portal.Client.Features.Minting;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Minting;

namespace Heurist.Portal.Client.Tests.Features.Minting;

/// <summary>/nft/{tokenId}: what the NFT is, who holds it, how it was made, and the states before and without it.</summary>
public sealed class NftPageTests : MintingTestContext
{
    private const string Sha256 = "9c2d5f0e3b1a4c6d8e7f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d";

    private static readonly string TokenId = NftTokenIds.FromImageSha256(Sha256);

    internal static NftView Nft(string owner = OtherAccount, JsonElement? provenance = null) => new(
        TokenId,
        Sha256,
        owner,
        "sd15",
        $"https://portal.example/api/nft/{TokenId}/metadata",
        InMemoryMintingClient.TransactionHash,
        4242,
        TestServices.Now.AddHours(-2),
        new NftMetadata(
            "Lighthouse at dusk",
            "A lighthouse at dusk, oil on canvas",
            $"https://portal.example/api/images/{Sha256}.png",
            [new NftTrait("Prompt", "a lighthouse at dusk, oil on canvas"), new NftTrait("Seed", "4242424242"), new NftTrait("Steps", "25")],
            provenance));

    private IRenderedComponent<NftPage> RenderNft(string tokenId)
        => Render<NftPage>(parameters => parameters.Add(page => page.TokenId, tokenId));

    [Fact]
    public void The_nft_shows_its_image_owner_prompt_and_parameters()
    {
        Nfts.Nfts[TokenId] = Nft();

        var page = RenderNft(TokenId);

        page.WaitForAssertion(() => Assert.Equal("Lighthouse at dusk", page.Find("[data-testid='nft-name']").TextContent.Trim()));
        Assert.Equal($"api/images/{Sha256}.png", page.Find("[data-testid='nft-image']").GetAttribute("src"));
        Assert.Equal(OtherAccount, page.Find("[data-testid='nft-owner'] .copyable").GetAttribute("title"));
        Assert.Equal($"/gallery/{OtherAccount}", page.Find("[data-testid='nft-owner-gallery']").GetAttribute("href"));
        Assert.Equal("a lighthouse at dusk, oil on canvas", page.Find("[data-testid='nft-prompt']").TextContent.Trim());
        var rows = page.FindAll("[data-testid='nft-parameters'] tr").Select(r => (r.QuerySelector("th")!.TextContent.Trim(), r.QuerySelector("td")!.TextContent.Trim())).ToList();
        Assert.Equal([("Model", "sd15"), ("Seed", "4242424242"), ("Steps", "25")], rows);
        // Anvil has no explorer: the transaction is shown by its hash.
        Assert.Equal(InMemoryMintingClient.TransactionHash, page.Find("[data-testid='nft-tx'] .copyable").GetAttribute("title"));
        Assert.Empty(page.FindAll("[data-testid='nft-provenance']"));
        // Without provenance there is no recipe to re-run, and the page says so instead of offering Verify.
        Assert.Empty(page.FindAll("[data-testid='verify-panel']"));
        Assert.Contains("cannot be re-run", page.Find("[data-testid='nft-no-provenance']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_provenance_is_shown_field_by_field_with_nested_values_as_json()
    {
        var provenance = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["modelSha256"] = "ab12",
            ["seed"] = 4242424242,
            ["worker"] = new Dictionary<string, string> { ["device"] = "RTX 4090" },
        });
        Nfts.Nfts[TokenId] = Nft(provenance: provenance);

        var page = RenderNft(TokenId);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='nft-provenance']")));
        var rows = page.FindAll("[data-testid='nft-provenance'] tr").Select(r => (r.QuerySelector("th")!.TextContent.Trim(), r.QuerySelector("td")!.TextContent.Trim())).ToList();
        Assert.Equal(("Model sha256", "ab12"), rows[0]);
        Assert.Equal(("Seed", "4242424242"), rows[1]);
        Assert.Equal("Worker", rows[2].Item1);
        Assert.Contains("\"device\": \"RTX 4090\"", rows[2].Item2, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='verify-panel'] [data-testid='verify-none']")));
        Assert.Empty(page.FindAll("[data-testid='nft-no-provenance']"));
    }

    [Fact]
    public void The_prompt_is_the_provenances_whole_prompt_not_the_description_and_the_model_is_shown_once()
    {
        const string whole = "a paper boat on a moonlit canal, ink and watercolour";
        var provenance = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["modelId"] = "sd15", ["prompt"] = whole });
        var nft = Nft(provenance: provenance);
        Nfts.Nfts[TokenId] = nft with
        {
            Metadata = nft.Metadata! with
            {
                Description = "\"a paper boat…\" — made with sd15 on the Heurist network.",
                Attributes = [new NftTrait("Model", "sd15"), new NftTrait("Steps", "25")],
            },
        };

        var page = RenderNft(TokenId);

        page.WaitForAssertion(() => Assert.Equal(whole, page.Find("[data-testid='nft-prompt']").TextContent.Trim()));
        var rows = page.FindAll("[data-testid='nft-parameters'] tr").Select(r => r.QuerySelector("th")!.TextContent.Trim()).ToList();
        Assert.Equal(["Model", "Steps"], rows);
    }

    [Fact]
    public void An_unknown_token_is_not_found()
    {
        var page = RenderNft("12345");

        page.WaitForAssertion(() => Assert.Contains("There is no Imaginaries NFT", page.Find("[data-testid='nft-not-found']").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid='nft-name']"));
    }

    [Fact]
    public void Something_that_is_not_a_token_id_is_not_found_without_asking_the_portal()
    {
        Nfts.Failure = new InvalidOperationException("The portal must not be asked.");

        var page = RenderNft("lighthouse");

        Assert.NotNull(page.Find("[data-testid='nft-not-found']"));
    }

    [Fact]
    public void A_portal_that_cannot_be_reached_is_said_so()
    {
        Nfts.Failure = new ApiException(503, "The index is not ready.");

        var page = RenderNft(TokenId);

        page.WaitForAssertion(() => Assert.Contains("Could not load this NFT: The index is not ready.", page.Markup, StringComparison.Ordinal));
    }
}
