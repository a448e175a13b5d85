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
}
