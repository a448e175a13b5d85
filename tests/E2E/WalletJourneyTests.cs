using System.Text.RegularExpressions;
using Heurist.Contracts.LocalChain;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heurist.E2E;

/// <summary>A person with a browser wallet: connect, sign in, reload, switch account or chain, decline to sign.</summary>
public sealed class WalletJourneyTests(RunningPortal portal, BrowserFixture browser) : IAsyncLifetime
{
    private static readonly string Alice = AnvilAccounts.Address(6);
    private static readonly string Bob = AnvilAccounts.Address(7);

    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Connect_pick_the_wallet_sign_in_and_stay_signed_in_across_a_reload()
    {
        await OpenAsync("/");

        await ConnectAsync();
        await Expect(_page.GetByTestId("account-short")).ToHaveTextAsync(Short(Alice));
        await SignInAsync();
        await Expect(_page.GetByTestId("account-address")).ToContainTextAsync(Alice);
        await Expect(_page.GetByTestId("balance-eth")).ToContainTextAsync(new Regex(@"\d"), new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(_page, "wallet-signed-in");
        Assert.Equal(Alice, await SessionAddressAsync());

        await _page.ReloadAsync();
        await WaitInteractiveAsync();

        await Expect(_page.GetByTestId("signed-in-dot")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(_page.GetByTestId("account-short")).ToHaveTextAsync(Short(Alice));
        Assert.Equal(Alice, await SessionAddressAsync());

        // On a phone the account panel stays on the screen, whole address and buttons included.
        await _page.SetViewportSizeAsync(390, 844);
        await OpenAccountMenuAsync();
        await Expect(_page.GetByTestId("balance-eth")).ToContainTextAsync(new Regex(@"\d"), new() { Timeout = 30_000 });
        var panel = (await _page.GetByTestId("account-address").BoundingBoxAsync())!;
        Assert.True(panel.X >= 0 && panel.X + panel.Width <= 390, $"The address spans {panel.X}..{panel.X + panel.Width}px on a 390px screen.");
        await Expect(_page.GetByTestId("sign-out")).ToBeInViewportAsync();
        await Screenshots.SaveAsync(_page, "wallet-mobile");
    }

    [Fact]
    public async Task Switching_accounts_in_the_wallet_signs_the_old_account_out()
    {
        await OpenAsync("/");
        await ConnectAsync();
        await SignInAsync();

        await _page.EvaluateAsync($"() => window.__testWallet.switchAccount('{Bob}')");

        await Expect(_page.GetByTestId("account-short")).ToHaveTextAsync(Short(Bob), new() { Timeout = 15_000 });
        await Expect(_page.GetByTestId("signed-in-dot")).ToHaveCountAsync(0);
        await Expect(_page.GetByText(new Regex("Signed out", RegexOptions.IgnoreCase)).First).ToBeVisibleAsync();
        Assert.Null(await SessionAddressAsync());
    }

    [Fact]
    public async Task On_the_wrong_chain_a_banner_offers_the_switch_and_the_wallet_adds_the_portals_chain()
    {
        await OpenAsync("/", chainIdHex: "0x1");
        await ConnectAsync();

        var banner = _page.GetByTestId("wrong-network");
        await Expect(banner).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(_page.GetByTestId("wrong-network-text")).ToContainTextAsync("31337");
        await Screenshots.SaveAsync(_page, "wallet-wrong-network");

        await _page.GetByTestId("switch-network").ClickAsync();

        await Expect(banner).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        var added = await _page.EvaluateAsync<string[]>("() => window.__testWallet.added.map(c => c.chainId + ' ' + c.rpcUrls[0])");
        Assert.Equal([$"0x7a69 {portal.RpcUrl}"], added);
        var calls = await _page.EvaluateAsync<string[]>("() => window.__testWallet.calls");
        Assert.True(Array.IndexOf(calls, "wallet_switchEthereumChain") < Array.IndexOf(calls, "wallet_addEthereumChain"));
    }

    [Fact]
    public async Task Declining_the_signature_leaves_the_page_as_it_was_and_not_signed_in()
    {
        await OpenAsync("/studio");
        await _page.GetByLabel("Prompt").First.FillAsync("a quiet harbour at night");
        await ConnectAsync();
        await _page.EvaluateAsync("() => { window.__testWallet.declineSignatures = true; }");

        await OpenAccountMenuAsync();
        await _page.GetByTestId("sign-in").ClickAsync();

        await Expect(_page.GetByText(new Regex("declined", RegexOptions.IgnoreCase)).First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.EndsWith("/studio", _page.Url, StringComparison.Ordinal);
        await Expect(_page.GetByLabel("Prompt").First).ToHaveValueAsync("a quiet harbour at night");
        await Expect(_page.GetByTestId("signed-in-dot")).ToHaveCountAsync(0);
        Assert.Null(await SessionAddressAsync());
        // Still connected, and a second try with a willing wallet signs in.
        await _page.EvaluateAsync("() => { window.__testWallet.declineSignatures = false; }");
        await SignInAsync();
        Assert.Equal(Alice, await SessionAddressAsync());
    }

    private async Task OpenAsync(string path, string chainIdHex = "0x7a69")
    {
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = portal.Url.ToString(), ViewportSize = new() { Width = 1366, Height = 900 } });
        await TestWallet.InstallAsync(_context, portal.RpcUrl, [Alice, Bob], chainIdHex);
        _page = await _context.NewPageAsync();
        await _page.GotoAsync(path);
        await WaitInteractiveAsync();
    }

    private Task WaitInteractiveAsync()
        => Expect(_page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 60_000 });

    private Task ConnectAsync() => WalletSteps.ConnectAsync(_page);

    private Task OpenAccountMenuAsync() => WalletSteps.OpenAccountMenuAsync(_page);

    private Task SignInAsync() => WalletSteps.SignInAsync(_page);

    /// <summary>Who the portal thinks this browser is, asked with the browser's own cookie.</summary>
    private Task<string?> SessionAddressAsync()
        => _page.EvaluateAsync<string?>("async () => { const r = await fetch('/api/auth/me'); return r.ok ? (await r.json()).address : null; }");

    private static string Short(string address) => $"{address[..6]}…{address[^4..]}";

    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
    }
}
