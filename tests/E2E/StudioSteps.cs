using System.Text.Json;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Microsoft.Playwright;

namespace Heurist.E2E;

/// <summary>What the journeys make in the Studio without its form: small images through its API, as the page's session.</summary>
internal static class StudioSteps
{
    private static readonly JsonSerializerOptions Api = new(JsonSerializerDefaults.Web);

    /// <summary>Makes a small image as the signed-in creator through the Studio's API, and waits for the worker to finish it.</summary>
    public static async Task<ImageJobView> GenerateAsync(IPage page, string prompt, string modelId = "sd15")
    {
        var submitted = await page.APIRequest.PostAsync("/api/jobs", new()
        {
            Headers = new Dictionary<string, string> { [CreatorIds.Header] = "e2e-journeys" },
            DataObject = new { prompt, modelId, width = 256, height = 256, steps = 4 },
        });
        Assert.True(submitted.Ok, $"The job was refused: {submitted.Status} {await submitted.TextAsync()}");
        var job = (await submitted.JsonAsync<ImageJobView>(Api))!;
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (!job.IsFinished)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"The job '{prompt}' did not finish: {job.State}.");
            await Task.Delay(250);
            job = (await (await page.APIRequest.GetAsync($"/api/jobs/{job.Id}")).JsonAsync<ImageJobView>(Api))!;
        }
        Assert.Equal(ImageJobState.Succeeded, job.State);
        return job;
    }
}
