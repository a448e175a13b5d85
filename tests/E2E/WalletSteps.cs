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
}
