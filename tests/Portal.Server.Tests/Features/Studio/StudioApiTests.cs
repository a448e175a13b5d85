using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Heurist.Portal.Client.Features.Studio;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Heurist.Portal.Server.Tests.Features.Studio;

public sealed class StudioApiTests(PortalApp portal) : IClassFixture<PortalApp>
{
    private const string Creator = "creator-api-tests";

    [Fact]
    public async Task Models_lists_the_catalog_with_defaults_limits_and_schedulers()
    {
        var models = await portal.CreateClient().GetFromJsonAsync<List<StudioModel>>("/api/models", TestContext.Current.CancellationToken);

        Assert.Equal(["sd15", "sdxl", "flux-dev"], models!.Select(m => m.Id));
        var flux = models!.Single(m => m.Id == "flux-dev");
        Assert.Equal((1024, 1024, 28, 16), (flux.DefaultWidth, flux.DefaultHeight, flux.DefaultSteps, flux.SizeMultiple));
        Assert.Equal(["flow-match-euler"], flux.Schedulers);
        Assert.Equal(10m, flux.PointsMultiplier);
    }

    public static TheoryData<string, string, string> BadSpecs => new()
    {
        { """{"modelId":"sdxl"}""", "prompt", "prompt is required." },
        { """{"prompt":"a fox","modelId":"midjourney"}""", "modelId", "modelId 'midjourney' is not in the catalog" },
        { """{"prompt":"a fox","modelId":"sdxl","width":1001}""", "width", "width must be a multiple of 8 (got 1001)." },
        { """{"prompt":"a fox","modelId":"sd15","height":4096}""", "height", "height must be at most 2048 (got 4096)." },
        { """{"prompt":"a fox","modelId":"sdxl","steps":80}""", "steps", "steps must be between 1 and 50 (got 80)." },
        { """{"prompt":"a fox","modelId":"sdxl","guidance":25}""", "guidance", "guidance must be between 0 and 20 (got 25)." },
        { """{"prompt":"a fox","modelId":"flux-dev","scheduler":"ddim"}""", "scheduler", "scheduler 'ddim' does not run flux-dev" },
        // PostgreSQL cannot store a NUL in text: it answered 500 (22021) before it was refused here.
        { """{"prompt":"a fox\u0000","modelId":"sdxl"}""", "prompt", "prompt must not contain the NUL character (U+0000, at position 5)." },
        { """{"prompt":"a fox","negativePrompt":"blur\u0000ry","modelId":"sdxl"}""", "negativePrompt", "negativePrompt must not contain the NUL character" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public async Task A_bad_spec_gets_a_400_naming_the_field(string body, string field, string message)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await PostJobAsync(body, Creator, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.StartsWith(message, problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spec_wrong_in_several_fields_gets_every_error_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await PostJobAsync("""{"modelId":"sdxl","width":1001,"steps":80,"guidance":25}""", creator: "bad id", ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.Equal("The image job is invalid.", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(["prompt", "width", "steps", "guidance", CreatorIds.Field],
            problem.RootElement.GetProperty("errors").EnumerateObject().Select(f => f.Name));
    }

    [Fact]
    public async Task The_client_and_the_servers_own_service_refuse_a_bad_spec_with_the_same_field_errors()
    {
        var ct = TestContext.Current.CancellationToken;
        var spec = new ImageJobSpec { ModelId = "sdxl", Width = 1001, Steps = 80 };

        var overHttp = await Assert.ThrowsAsync<ApiException>(() => new HttpStudioClient(portal.CreateClient()).SubmitAsync(Creator, spec, ct));
        await using var scope = portal.Services.CreateAsyncScope();
        var inProcess = await Assert.ThrowsAsync<ApiException>(() => scope.ServiceProvider.GetRequiredService<IStudioClient>().SubmitAsync(Creator, spec, ct));

        Assert.Equal((400, "The image job is invalid."), (overHttp.Status, overHttp.Title));
        Assert.Equal((overHttp.Status, overHttp.Title), (inProcess.Status, inProcess.Title));
        Assert.Equal(["prompt", "width", "steps"], overHttp.Errors.Keys);
        Assert.Equal(overHttp.Errors.ToDictionary(), inProcess.Errors.ToDictionary());
    }

    [Fact]
    public async Task A_job_without_a_creator_id_is_refused_naming_the_header()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await PostJobAsync("""{"prompt":"a fox","modelId":"sdxl"}""", creator: null, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(CreatorIds.Header, await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_job_is_queued_with_the_model_defaults_and_shows_in_the_creators_gallery_only()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await PostJobAsync("""{"prompt":"  a fox  ","modelId":"sdxl"}""", Creator + "-gallery", ct);
        var job = await response.Content.ReadFromJsonAsync<ImageJobView>(ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(("a fox", 1024, 1024, 30, 7.0, "euler"), (job!.Prompt, job.Width, job.Height, job.Steps, job.Guidance, job.Scheduler));
        Assert.Equal(Heurist.Protocol.Jobs.ImageJobState.Queued, job.State);
        var client = portal.CreateClient();
        var gallery = await client.GetFromJsonAsync<List<ImageJobView>>($"/api/jobs?creatorId={Creator}-gallery", ct);
        Assert.Equal([job.Id], gallery!.Select(j => j.Id));
        Assert.Empty((await client.GetFromJsonAsync<List<ImageJobView>>("/api/jobs?creatorId=someone-else-entirely", ct))!);
    }

    [Fact]
    public async Task A_queued_job_can_be_cancelled_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await PostJobAsync("""{"prompt":"a fox","modelId":"flux-dev"}""", Creator, ct);
        var job = await response.Content.ReadFromJsonAsync<ImageJobView>(ct);

        using var cancel = await portal.CreateClient().PostAsync($"/api/jobs/{job!.Id}/cancel", null, ct);
        var cancelled = await cancel.Content.ReadFromJsonAsync<ImageJobView>(ct);

        Assert.Equal(Heurist.Protocol.Jobs.ImageJobState.Canceled, cancelled!.State);
    }

    [Theory]
    [InlineData("/api/jobs/00000000-0000-0000-0000-000000000001", "There is no image job 00000000-0000-0000-0000-000000000001.")]
    [InlineData("/api/images/not-a-hash.png", "Images are addressed by their lowercase sha256")]
    [InlineData("/api/images/0000000000000000000000000000000000000000000000000000000000000000.png", "There is no image 0000")]
    public async Task Unknown_jobs_and_images_are_404_problems(string path, string title)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await portal.CreateClient().GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.StartsWith(title, problem.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PostJobAsync(string json, string? creator, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (creator is not null)
        {
            request.Headers.Add(CreatorIds.Header, creator);
        }
        return portal.CreateClient().SendAsync(request, ct);
    }
}
