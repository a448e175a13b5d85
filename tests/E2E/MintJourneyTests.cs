using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Heurist.Contracts.LocalChain;
using Heurist.Protocol.Api.Minting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heurist.E2E;

/// <summary>
/// Creators with a browser wallet and no gas, on the real portal, worker, chain and bundler (Alto): generate, mint
/// for free, open the NFT and verify it by a re-run; someone else's image and a spent quota are refused.
/// </summary>
public sealed partial class MintJourneyTests(RunningPortal portal, BrowserFixture browser) : IAsyncLifetime
{
    // Dev accounts the other journeys do not sign in with, so their Studio galleries are this journey's alone.
    private const int Creator = 0;
    private const int Visitor = 2;
    private const int Prolific = 4;

    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    private readonly List<IBrowserContext> _contexts = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Generate_sign_in_mint_without_gas_see_the_badge_and_the_nft_page_then_verify_it_identical()
    {
        var creator = AnvilAccounts.Address(Creator);
        var ethBefore = await portal.Chain.EthBalanceAsync(creator);
        var page = await OpenSignedInAsync("/studio", Creator);
        const string prompt = "a paper boat on a moonlit canal";

        await page.GetByLabel("Prompt").First.FillAsync(prompt);
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = prompt }).First).ToBeVisibleAsync(new() { Timeout = 120_000 });

        // The result's own button, which explains the mint; the gallery's cards below have small ones.
        var result = page.GetByTestId("mint").Filter(new() { HasText = "Free: the portal pays the gas." });
        await Expect(result).ToBeVisibleAsync();
        await result.GetByRole(AriaRole.Button, new() { Name = "Mint as NFT" }).ClickAsync();
        var minted = page.GetByTestId("minted-chip");
        await Expect(minted).ToBeVisibleAsync(new() { Timeout = (float)Long.TotalMilliseconds });
        await Expect(minted).ToContainTextAsync("Minted #");
        await Screenshots.SaveAsync(page, "mint-minted");

        // The wallet signed one typed-data message and sent nothing: the paymaster paid, and the creator's ETH is untouched.
        var calls = await page.EvaluateAsync<string[]>("() => window.__testWallet.calls");
        Assert.Equal(1, calls.Count(c => c == "eth_signTypedData_v4"));
        Assert.DoesNotContain("eth_sendTransaction", calls);
        Assert.Equal(ethBefore, await portal.Chain.EthBalanceAsync(creator));

        var href = await minted.GetAttributeAsync("href") ?? "";
        var tokenId = TokenIdPattern().Match(href).Groups[1].Value;
        Assert.NotEmpty(tokenId);
        Assert.Equal(creator, await portal.Chain.Nft.OwnerOfAsync(BigInteger.Parse(tokenId, System.Globalization.CultureInfo.InvariantCulture)), StringComparer.OrdinalIgnoreCase);

        await minted.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/nft/{tokenId}$"));
        await Expect(page.GetByTestId("nft-name")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("nft-prompt")).ToHaveTextAsync(prompt);
        await Expect(page.GetByTestId("nft-owner").Locator(".copyable")).ToHaveAttributeAsync("title", new Regex(creator, RegexOptions.IgnoreCase));
        await Expect(page.GetByTestId("nft-provenance")).ToContainTextAsync("Png sha256");
        await Expect(page.GetByTestId("nft-image")).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await page.GetByTestId("nft-image").EvaluateAsync<int>("img => img.naturalWidth") > 0, "The NFT's image did not load.");
        await WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("verify-none")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(page, "nft-page");

        await page.GetByTestId("verify-button").ClickAsync();
        var verification = page.GetByTestId("verification");
        await Expect(verification).ToHaveAttributeAsync("data-state", "Identical", new() { Timeout = 120_000 });
        await Expect(verification).ToContainTextAsync("Identical.");
        await verification.ScrollIntoViewIfNeededAsync();
        await Screenshots.SaveAsync(page, "nft-verified");

        // The token URI marketplaces read is the portal's metadata, with the provenance that was just re-run.
        using var metadata = JsonDocument.Parse(await (await page.APIRequest.GetAsync(MintingRoutes.Metadata(tokenId))).TextAsync());
        Assert.Equal(prompt, metadata.RootElement.GetProperty("provenance").GetProperty("prompt").GetString());
    }

    [Fact]
    public async Task A_mint_of_another_wallets_image_is_refused_and_its_gallery_offers_no_mint()
    {
        var owner = AnvilAccounts.Address(Creator);
        var ownerPage = await OpenSignedInAsync($"/gallery/{owner}", Creator);
        var job = await StudioSteps.GenerateAsync(ownerPage, "a kite over dunes, owned by its creator");
        // Its owner is offered the mint in the gallery.
        await ownerPage.ReloadAsync();
        await WaitInteractiveAsync(ownerPage);
        await Expect(ownerPage.GetByTestId("gallery-unminted").GetByRole(AriaRole.Img, new() { Name = job.Prompt })).ToBeVisibleAsync(new() { Timeout = 30_000 });

        var visitorPage = await OpenSignedInAsync($"/gallery/{owner}", Visitor);
        await Expect(visitorPage.GetByTestId("gallery-title")).ToBeVisibleAsync();
        await Expect(visitorPage.GetByTestId("gallery-minted-empty").Or(visitorPage.GetByTestId("gallery-nft").First)).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(visitorPage.GetByTestId("gallery-unminted")).ToHaveCountAsync(0);
        await Expect(visitorPage.GetByRole(AriaRole.Button, new() { Name = "Mint as NFT" })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(visitorPage, "mint-someone-elses-gallery");

        // Asking the portal directly, signed in as the visitor, is refused: it is not their image.
        var refused = await visitorPage.APIRequest.PostAsync(MintingRoutes.Prepare(job.ImageSha256!));
        Assert.Equal(403, refused.Status);
        using var problem = JsonDocument.Parse(await refused.TextAsync());
        Assert.Contains("only its creator can mint it", problem.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
        // The owner can still mint it.
        Assert.False(await portal.Chain.Nft.IsMintedAsync(Convert.FromHexString(job.ImageSha256!)));
    }

    [Fact]
    public async Task Past_the_wallets_daily_quota_a_mint_is_refused_saying_which_quota_and_when_it_resets()
    {
        var address = AnvilAccounts.Address(Prolific);
        var page = await OpenSignedInAsync($"/gallery/{address}", Prolific);
        for (var i = 0; i < RunningPortal.MintsPerWalletPerDay + 1; i++)
        {
            await StudioSteps.GenerateAsync(page, $"a lantern festival, study {i + 1}");
        }
        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        var ready = page.GetByTestId("gallery-unminted");
        await Expect(ready.GetByTestId("mint-button")).ToHaveCountAsync(RunningPortal.MintsPerWalletPerDay + 1, new() { Timeout = 30_000 });

        for (var i = 1; i <= RunningPortal.MintsPerWalletPerDay; i++)
        {
            await ready.GetByTestId("mint-button").First.ClickAsync();
            // A minted image leaves "Ready to mint" for the wallet's NFTs.
            await Expect(page.GetByTestId("gallery-nft")).ToHaveCountAsync(i, new() { Timeout = (float)Long.TotalMilliseconds });
        }

        await ready.GetByTestId("mint-button").ClickAsync();
        var error = ready.GetByTestId("mint-error");
        await Expect(error).ToContainTextAsync($"Mint quota reached: {RunningPortal.MintsPerWalletPerDay} sponsored mints per wallet per day", new() { Timeout = 30_000 });
        await Expect(error).ToContainTextAsync(new Regex(@"the next one is possible at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC"));
        await Expect(ready.GetByTestId("mint-retry")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "mint-quota-spent");
        var calls = await page.EvaluateAsync<string[]>("() => window.__testWallet.calls");
        // The refused one never reached the wallet.
        Assert.Equal(RunningPortal.MintsPerWalletPerDay, calls.Count(c => c == "eth_signTypedData_v4"));
    }

    private Task<IPage> OpenSignedInAsync(string path, int account)
        => WalletSteps.OpenSignedInAsync(browser, portal, path, account, _contexts);

    private static Task WaitInteractiveAsync(IPage page) => WalletSteps.WaitInteractiveAsync(page);


    [GeneratedRegex(@"/nft/(\d+)$")]
    private static partial Regex TokenIdPattern();

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }
}
