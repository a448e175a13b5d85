using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Server.Tests.Features.Studio;
using Heurist.Protocol.Api.Provenance;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Server.Tests.Features.Provenance;

/// <summary>Verification through the portal, Hangfire on PostgreSQL and a real worker process serving the tiny models.</summary>
public sealed class ProvenanceApiTests(PortalApp portal, TinyModelsFixture tiny) : IClassFixture<PortalApp>
{
    private static readonly JsonSerializerOptions Web = JsonSerializerOptions.Web;

    [Fact]
    public async Task A_tiny_model_image_re_run_by_a_worker_is_identical_and_listed_with_the_image()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var worker = await StartWorkerAsync("verify-identical", ct);
        var client = portal.CreateClient();
        var sha256 = await GenerateAsync(client, worker, "identical", ct);

        using var response = await client.PostAsync("/" + ProvenanceRoutes.Verify(sha256), null, ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = (await response.Content.ReadFromJsonAsync<VerificationView>(Web, ct))!;
        Assert.Equal("/" + ProvenanceRoutes.Verification(queued.Id), response.Headers.Location!.OriginalString);
        Assert.Equal((sha256, sha256, VerificationState.Queued), (queued.ImageSha256, queued.ExpectedSha256, queued.State));

        var done = await WaitUntilFinishedAsync(client, queued.Id, worker, ct);
        Assert.Equal(VerificationState.Identical, done.State);
        Assert.Equal(sha256, done.ActualSha256);
        Assert.Empty(done.Differences);
        Assert.NotNull(done.FinishedAt);
        var listed = await client.GetFromJsonAsync<List<VerificationView>>("/" + ProvenanceRoutes.Verifications(sha256), Web, ct);
        Assert.Equal([done.Id], listed!.Select(v => v.Id));
    }

    [Fact]
    public async Task An_image_whose_recorded_model_hash_was_tampered_with_cannot_be_verified_and_says_which_file()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var worker = await StartWorkerAsync("verify-tampered", ct);
        var client = portal.CreateClient();
        var sha256 = await GenerateAsync(client, worker, "tampered", ct);
        var forged = new string('0', 64);
        await using (var db = PostgresFixture.CreateContext(portal.ConnectionString))
        {
            var image = await db.Images.SingleAsync(i => i.Sha256 == sha256, ct);
            var metadata = JsonNode.Parse(image.Metadata)!;
            metadata[ImageProvenance.MetadataProperty]!["modelFiles"]!["unet/model.onnx"] = forged;
            image.Metadata = metadata.ToJsonString();
            await db.SaveChangesAsync(ct);
        }

        using var response = await client.PostAsync("/" + ProvenanceRoutes.Verify(sha256), null, ct);
        var verification = await WaitUntilFinishedAsync(client, (await response.Content.ReadFromJsonAsync<VerificationView>(Web, ct))!.Id, worker, ct);

        Assert.Equal(VerificationState.CannotVerify, verification.State);
        Assert.Null(verification.ActualSha256);
        Assert.StartsWith("no worker online has the recorded model files of sd15", verification.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"unet/model.onnx: {forged} → ", Assert.Single(verification.Differences), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verifying_an_unknown_image_is_404()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = portal.CreateClient();
        var unknown = new string('a', 64);

        using var verify = await client.PostAsync("/" + ProvenanceRoutes.Verify(unknown), null, ct);
        using var list = await client.GetAsync("/" + ProvenanceRoutes.Verifications(unknown), ct);
        using var malformed = await client.PostAsync("/" + ProvenanceRoutes.Verify("not-a-hash"), null, ct);
        using var verification = await client.GetAsync("/" + ProvenanceRoutes.Verification(Guid.NewGuid()), ct);

        Assert.Equal(HttpStatusCode.NotFound, verify.StatusCode);
        Assert.Equal($"There is no image {unknown}.", (await ReadProblemAsync(verify, ct)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, verification.StatusCode);
    }

    [Fact]
    public async Task Verifying_an_image_without_provenance_is_409_and_says_why()
    {
        var ct = TestContext.Current.CancellationToken;
        var sha256 = await AddImageAsync("""{"model":{"id":"sd15"},"job":{"Seed":1}}""", ct);

        using var response = await portal.CreateClient().PostAsync("/" + ProvenanceRoutes.Verify(sha256), null, ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal($"Image {sha256} has no provenance, so it cannot be re-run: it was made before workers recorded one.",
            (await ReadProblemAsync(response, ct)).GetProperty("title").GetString());
        await using var db = PostgresFixture.CreateContext(portal.ConnectionString);
        Assert.False(await db.ImageVerifications.AnyAsync(v => v.ImageSha256 == sha256, ct));
    }

    [Fact]
    public async Task Without_a_worker_online_for_the_model_it_cannot_verify_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var provenance = Recorded("flux-dev", new Dictionary<string, string> { ["transformer/model.onnx"] = new('1', 64) });
        var sha256 = await AddImageAsync(new JsonObject { [ImageProvenance.MetadataProperty] = provenance.ToJsonNode() }.ToJsonString(), ct, provenance.PngSha256);

        using var response = await portal.CreateClient().PostAsync("/" + ProvenanceRoutes.Verify(sha256), null, ct);

        var view = (await response.Content.ReadFromJsonAsync<VerificationView>(Web, ct))!;
        Assert.Equal((VerificationState.CannotVerify, "no worker online serves flux-dev"), (view.State, view.Reason));
        Assert.NotNull(view.FinishedAt);
    }

    [Fact]
    public async Task Asking_again_while_a_re_run_waits_joins_it_instead_of_queuing_another()
    {
        var ct = TestContext.Current.CancellationToken;
        var files = new Dictionary<string, string> { ["unet/model.onnx"] = new('2', 64) };
        var provenance = Recorded("sdxl", files) with { PngSha256 = new string('9', 64) };
        var sha256 = await AddImageAsync(new JsonObject { [ImageProvenance.MetadataProperty] = provenance.ToJsonNode() }.ToJsonString(), ct, provenance.PngSha256);
        // A miner online with the recorded files, but no worker process: the re-run stays queued.
        await portal.AddMinerAsync("verify-queued", DateTimeOffset.UtcNow, null, "sdxl");
        await using (var db = PostgresFixture.CreateContext(portal.ConnectionString))
        {
            db.MinerModels.Add(new MinerModel { MinerId = "verify-queued", ModelId = "sdxl", Demo = true, FileHashes = JsonSerializer.Serialize(files), RegisteredAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(ct);
        }
        var client = portal.CreateClient();

        using var first = await client.PostAsync("/" + ProvenanceRoutes.Verify(sha256), null, ct);
        using var second = await client.PostAsync("/" + ProvenanceRoutes.Verify(sha256), null, ct);

        var queued = (await first.Content.ReadFromJsonAsync<VerificationView>(Web, ct))!;
        Assert.Equal(VerificationState.Queued, queued.State);
        Assert.Equal(queued.Id, (await second.Content.ReadFromJsonAsync<VerificationView>(Web, ct))!.Id);
        await using var check = PostgresFixture.CreateContext(portal.ConnectionString);
        var row = await check.ImageVerifications.AsNoTracking().SingleAsync(v => v.ImageSha256 == sha256, ct);
        Assert.NotNull(row.HangfireJobId);
    }

    private static ImageProvenance Recorded(string modelId, Dictionary<string, string> files) => new(
        modelId, files, "a prompt", "", 1, "euler", 4, 5, 256, 256, "1.0.0", "1.31.1", "CPUExecutionProvider", 1, Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + new string('0', 32));

    private async Task<string> AddImageAsync(string metadata, CancellationToken ct, string? sha256 = null)
    {
        sha256 ??= Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray()));
        await using var db = PostgresFixture.CreateContext(portal.ConnectionString);
        db.Images.Add(new StoredImage { Sha256 = sha256, Png = [1, 2, 3], Width = 8, Height = 8, Metadata = metadata, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(ct);
        return sha256;
    }

    private async Task<ChildProcess> StartWorkerAsync(string minerId, CancellationToken ct)
    {
        var worker = WorkerProcesses.Start(portal.ConnectionString, minerId, tiny.Folder, "sd15");
        var client = portal.CreateClient();
        await Readiness.WaitUntilAsync(async () => (await client.GetFromJsonAsync<List<StudioModel>>("/api/models", ct))!
            .Single(m => m.Id == "sd15").WorkersOnline >= 1, [worker], TimeSpan.FromMinutes(2), cancellationToken: ct);
        return worker;
    }

    /// <summary>Generates one small sd15 image through the portal and returns its sha256.</summary>
    private static async Task<string> GenerateAsync(HttpClient client, ChildProcess worker, string creator, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs")
        {
            Content = JsonContent.Create(new ImageJobSpec { Prompt = $"verify {creator}", ModelId = "sd15", Width = 256, Height = 256, Steps = 4, Seed = 7 }),
        };
        request.Headers.Add(CreatorIds.Header, $"provenance-{creator}");
        using var response = await client.SendAsync(request, ct);
        var jobId = (await response.Content.ReadFromJsonAsync<ImageJobView>(ct))!.Id;
        ImageJobView? job = null;
        await Readiness.WaitUntilAsync(async () =>
        {
            job = await client.GetFromJsonAsync<ImageJobView>($"/api/jobs/{jobId}", ct);
            return job!.State == ImageJobState.Succeeded;
        }, [worker], TimeSpan.FromMinutes(2), cancellationToken: ct);
        return job!.ImageSha256!;
    }

    private static async Task<VerificationView> WaitUntilFinishedAsync(HttpClient client, Guid id, ChildProcess worker, CancellationToken ct)
    {
        VerificationView? view = null;
        await Readiness.WaitUntilAsync(async () =>
        {
            view = await client.GetFromJsonAsync<VerificationView>("/" + ProvenanceRoutes.Verification(id), Web, ct);
            return view!.IsFinished;
        }, [worker], TimeSpan.FromMinutes(2), cancellationToken: ct);
        return view!;
    }

    private static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response, CancellationToken ct)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.Clone();
}
