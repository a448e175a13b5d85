using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heurist.E2E;

public sealed class HomeJourneyTests(RunningPortal stack, BrowserFixture browser) : IAsyncLifetime
{
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async ValueTask InitializeAsync()
    {
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = stack.Url.ToString(), ViewportSize = new() { Width = 1366, Height = 900 } });
        _page = await _context.NewPageAsync();
    }

    [Fact]
    public async Task The_home_page_shows_the_network_and_a_test_job_comes_back_from_the_worker()
    {
        await _page.GotoAsync("/");

        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "Decentralized AI inference, live", Level = 1 })).ToBeVisibleAsync();
        var workers = _page.GetByRole(AriaRole.Table).First;
        await Expect(_page.GetByText(RunningPortal.MinerId, new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(workers).ToContainTextAsync("CPU");
        await Expect(_page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        await _page.GetByRole(AriaRole.Button, new() { Name = "Send a test job" }).ClickAsync();

        await Expect(_page.GetByText($"Run by {RunningPortal.MinerId}")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(_page, "home");
    }

    [Fact]
    public async Task The_dark_theme_is_kept_across_a_reload()
    {
        await _page.GotoAsync("/");
        await Expect(_page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        await _page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
        await _page.ReloadAsync();

        await Expect(_page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(_page.GetByText(RunningPortal.MinerId, new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(_page, "home-dark");
    }

    [Fact]
    public async Task On_a_phone_the_workers_stack_into_cards_and_the_test_job_works_from_the_keyboard()
    {
        await _page.SetViewportSizeAsync(390, 844);
        await _page.GotoAsync("/");
        await Expect(_page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(_page.GetByText(RunningPortal.MinerId, new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = 30_000 });

        var send = _page.GetByRole(AriaRole.Button, new() { Name = "Send a test job" });
        await send.FocusAsync();
        await _page.Keyboard.PressAsync("Enter");

        await Expect(_page.GetByText($"Run by {RunningPortal.MinerId}")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var pageWidth = await _page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(pageWidth <= 390, $"The page is {pageWidth}px wide on a 390px screen: something overflows.");
        await Screenshots.SaveAsync(_page, "home-mobile");
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
