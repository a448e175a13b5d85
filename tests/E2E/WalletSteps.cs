using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heurist.E2E;

/// <summary>What a person does with the account button in every journey: connect the test wallet, open the panel, sign in.</summary>
internal static class WalletSteps
{
    public static async Task ConnectAsync(IPage page)
    {
        await page.GetByTestId("connect-wallet").ClickAsync();
        var option = page.GetByTestId("wallet-option").Filter(new() { HasText = TestWallet.Name });
        await Expect(option).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await option.ClickAsync();
        await Expect(page.GetByTestId("account-button")).ToBeVisibleAsync(new() { Timeout = 15_000 });
    }

    public static async Task OpenAccountMenuAsync(IPage page)
    {
        if (!await page.GetByTestId("account-address").IsVisibleAsync())
        {
            await page.GetByTestId("account-button").ClickAsync();
        }
        await Expect(page.GetByTestId("account-address")).ToBeVisibleAsync();
    }

    public static async Task SignInAsync(IPage page)
    {
        await OpenAccountMenuAsync(page);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("signed-in-dot")).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    /// <summary>Closes the account panel, which covers the page: Escape when focus is in it, otherwise a click beside it, as a person would.</summary>
    public static async Task CloseAccountMenuAsync(IPage page)
    {
        var address = page.GetByTestId("account-address");
        await page.Keyboard.PressAsync("Escape");
        try
        {
            await Expect(address).ToBeHiddenAsync(new() { Timeout = 2_000 });
            return;
        }
        catch (PlaywrightException)
        {
            // Focus had left the panel (the Sign in button it held is gone once signed in), so Escape did not reach it.
        }
        await page.Locator(".mud-overlay").ClickAsync(new() { Position = new() { X = 10, Y = 200 } });
        await Expect(address).ToBeHiddenAsync();
        // Off the navigation, so that screenshots do not show a hovered link.
        await page.Mouse.MoveAsync(1, 1);
    }

    /// <summary>
    /// Opens <paramref name="path"/> in a fresh browser context with the wallet of dev account <paramref name="account"/>,
    /// connected and signed in, the panel closed. The context is added to <paramref name="contexts"/> for the test to dispose.
    /// </summary>
    public static async Task<IPage> OpenSignedInAsync(BrowserFixture browser, RunningPortal portal, string path, int account, ICollection<IBrowserContext> contexts)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = portal.Url.ToString(), ViewportSize = new() { Width = 1366, Height = 1000 } });
        contexts.Add(context);
        await TestWallet.InstallAsync(context, portal.RpcUrl, [Heurist.Contracts.LocalChain.AnvilAccounts.Address(account)]);
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await WaitInteractiveAsync(page);
        await ConnectAsync(page);
        await SignInAsync(page);
        await CloseAccountMenuAsync(page);
        return page;
    }

    /// <summary>Waits until the page's components run interactively (the layout marks it).</summary>
    public static Task WaitInteractiveAsync(IPage page)
        => Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
}
