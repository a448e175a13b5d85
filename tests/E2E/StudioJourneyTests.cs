using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heurist.E2E;

public sealed class StudioJourneyTests(RunningPortal portal, BrowserFixture browser) : IAsyncLifetime
{
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async ValueTask InitializeAsync()
    {
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = portal.Url.ToString(), ViewportSize = new() { Width = 1366, Height = 1000 } });
        _page = await _context.NewPageAsync();
    }

    [Fact]
    public async Task A_prompt_renders_step_by_step_to_an_image_that_lands_in_the_gallery()
    {
        const string prompt = "a lighthouse on a cliff at dawn";
        await _page.GotoAsync("/studio");
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "Studio", Level = 1 })).ToBeVisibleAsync();
        await Expect(_page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(_page.GetByText("Nothing yet.")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // Remember every progress value the bar shows, to see it move.
        await _page.EvaluateAsync(@"() => {
            window.__progress = [];
            new MutationObserver(() => {
                const bar = document.querySelector('[aria-label=""Progress""]');
                if (bar) { window.__progress.push(Number(bar.getAttribute('aria-valuenow'))); }
            }).observe(document.body, { subtree: true, childList: true, attributes: true });
        }");

        await _page.GetByLabel("Prompt").First.FillAsync(prompt);
        await _page.GetByLabel("Model").First.ClickAsync();
        await _page.GetByRole(AriaRole.Option, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Stable Diffusion XL") }).ClickAsync();
        await Expect(_page.GetByText("demo weights").First).ToBeVisibleAsync();
        await _page.GetByText("1024 × 1024", new() { Exact = true }).ClickAsync();
        var steps = _page.GetByRole(AriaRole.Slider, new() { Name = "Steps" });
        await steps.FocusAsync();
        await _page.Keyboard.PressAsync("End");
        await Expect(_page.GetByText("Steps: 50")).ToBeVisibleAsync();

        await _page.GetByRole(AriaRole.Button, new() { Name = "Generate" }).ClickAsync();

        await Expect(_page.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex("^(Rendering: step|Waiting for)") })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(_page, "studio-rendering");
        var image = _page.GetByRole(AriaRole.Img, new() { Name = prompt }).First;
        await Expect(image).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Expect(_page.Locator("[aria-label=Progress]")).ToHaveAttributeAsync("aria-valuenow", "100");
        var seen = await _page.EvaluateAsync<int[]>("() => window.__progress");
        Assert.Contains(seen, value => value is > 0 and < 100);
        Assert.Equal(100, seen.Max());

        await Expect(_page.GetByText("demo weights").First).ToBeVisibleAsync();
        await Expect(_page.GetByText("50 steps")).ToBeVisibleAsync();
        var naturalWidth = await image.EvaluateAsync<int>("img => img.naturalWidth");
        Assert.Equal(1024, naturalWidth);
        await Expect(_page.GetByRole(AriaRole.Button, new() { Name = $"Show {prompt}" })).ToBeVisibleAsync();
        await Expect(_page.GetByRole(AriaRole.Link, new() { Name = "Download PNG" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"api/images/[0-9a-f]{64}\.png\?download=true$"));
        await Screenshots.SaveAsync(_page, "studio");

        // The gallery belongs to this browser: it is there after a reload.
        await _page.ReloadAsync();
        await Expect(_page.GetByRole(AriaRole.Button, new() { Name = $"Show {prompt}" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
    }

    [Fact]
    public async Task Generate_waits_for_a_prompt_and_the_size_follows_the_model()
    {
        await _page.GotoAsync("/studio");
        await Expect(_page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var generate = _page.GetByRole(AriaRole.Button, new() { Name = "Generate" });

        await _page.GetByLabel("Prompt").First.FillAsync("   ");
        await Expect(generate).ToBeDisabledAsync();
        await _page.GetByLabel("Prompt").First.FillAsync("a fox");
        await Expect(generate).ToBeEnabledAsync();

        // Flux packs latents 2×2, so its presets are multiples of 16 only, and its default is selected on switching.
        await _page.GetByLabel("Model").First.ClickAsync();
        await _page.GetByRole(AriaRole.Option, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Flux") }).ClickAsync();
        await Expect(_page.GetByText("flow-match-euler")).ToBeVisibleAsync();
        var sizes = await _page.Locator(".mud-chip").AllInnerTextsAsync();
        Assert.All(sizes.Where(t => t.Contains('×', StringComparison.Ordinal)), label =>
            Assert.All(label.Split('×').Select(part => int.Parse(part.Trim(), System.Globalization.CultureInfo.InvariantCulture)), side => Assert.Equal(0, side % 16)));
        await Expect(_page.Locator(".mud-chip-selected")).ToHaveTextAsync("1024 × 1024");
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
