using Microsoft.Playwright;

namespace Heurist.E2E;

internal static class Screenshots
{
    /// <summary>Saves the page as artifacts/screenshots/&lt;name&gt;.png, for people to look at after a run.</summary>
    public static async Task SaveAsync(IPage page, string name)
    {
        // From the top, so fixed bars sit where a person sees them.
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Artifacts("screenshots"), name + ".png"), FullPage = true });
    }
}
