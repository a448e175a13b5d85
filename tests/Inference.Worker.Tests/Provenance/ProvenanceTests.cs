using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Mining;
using Heurist.Inference.Worker.Provenance;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Jobs;
using Heurist.Portal.Data.Provenance;
using Heurist.Protocol.Api.Provenance;
using Heurist.Protocol.Jobs;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Heurist.Inference.Worker.Tests.Provenance;

[Integration]
public sealed class ProvenanceTests(PostgresFixture postgres, TinyModelsFixture tiny)
{
    [Fact]
    public async Task A_finished_image_records_its_provenance_beside_the_other_metadata()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("provenancerecord");
        using (host)
        {
            var sha256 = await RenderAsync(database, host, "sd15", ct);

            await using var db = PostgresFixture.CreateContext(database);
            var metadata = await db.Images.AsNoTracking().Where(i => i.Sha256 == sha256).Select(i => i.Metadata).SingleAsync(ct);
            var root = JsonNode.Parse(metadata)!.AsObject();
            Assert.Equal(["job", "model", "provenance", "timings", "worker"], root.Select(p => p.Key).Order(StringComparer.Ordinal));
            var provenance = ImageProvenance.FromMetadata(metadata)!;
            var folder = host.Services.GetRequiredService<ModelHost>().Find("sd15")!.Folder;
            Assert.Equal(sha256, provenance.PngSha256);
            Assert.Equal(("sd15", "a lighthouse at dawn", "blurry", 42L, "euler", 4, 6.0, 256, 256),
                (provenance.ModelId, provenance.Prompt, provenance.NegativePrompt, provenance.Seed, provenance.Scheduler, provenance.Steps,
                    provenance.Guidance, provenance.Width, provenance.Height));
            Assert.Equal(("CPUExecutionProvider", 2, MinerRegistry.WorkerVersion), (provenance.ExecutionProvider, provenance.CpuThreads, provenance.WorkerVersion));
            Assert.Matches(@"^\d+\.\d+\.\d+", provenance.OnnxRuntimeVersion);
            // The graphs, tokenizer and scheduler, with the hashes taken when the model was loaded; not the demo marker.
            Assert.Equal(folder.FileHashes["unet/model.onnx"], provenance.ModelFiles["unet/model.onnx"]);
            Assert.Contains("scheduler/scheduler_config.json", provenance.ModelFiles.Keys);
            Assert.Contains(provenance.ModelFiles.Keys, k => k.StartsWith("tokenizer/", StringComparison.Ordinal));
            Assert.DoesNotContain("heurist-model.json", provenance.ModelFiles.Keys);
            // jsonb keeps its own key order; the canonical bytes are ToJson's, from what it stores.
            Assert.True(JsonNode.DeepEquals(provenance.ToJsonNode(), root[ImageProvenance.MetadataProperty]));
        }
    }

    [Fact]
    public async Task Model_files_are_hashed_when_loaded_so_a_later_change_on_disk_does_not_reach_the_provenance()
    {
        var ct = TestContext.Current.CancellationToken;
        var models = Path.Combine(Path.GetTempPath(), $"heurist-provenance-{Guid.NewGuid():N}");
        CopyFolder(tiny.ModelFolder("sd15"), Path.Combine(models, "sd15"));
        try
        {
            var (database, host) = await StartAsync("provenancecache", models);
            using (host)
            {
                var loaded = host.Services.GetRequiredService<ModelHost>().Find("sd15")!.Folder.RecordedFiles["scheduler/scheduler_config.json"];
                await File.AppendAllTextAsync(Path.Combine(models, "sd15", "scheduler", "scheduler_config.json"), "\n", ct);

                var sha256 = await RenderAsync(database, host, "sd15", ct);

                await using var db = PostgresFixture.CreateContext(database);
                var provenance = ImageProvenance.FromMetadata(await db.Images.Where(i => i.Sha256 == sha256).Select(i => i.Metadata).SingleAsync(ct))!;
                Assert.Equal(loaded, provenance.ModelFiles["scheduler/scheduler_config.json"]);
            }
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [Fact]
    public async Task A_re_run_of_a_tiny_model_image_on_the_cpu_is_identical()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("provenanceidentical");
        using (host)
        {
            var sha256 = await RenderAsync(database, host, "sdxl", ct);

            var verification = await VerifyAsync(database, host, sha256, ct);

            Assert.Equal(VerificationState.Identical, verification.State);
            Assert.Equal(sha256, verification.ActualSha256);
            Assert.Empty(verification.Differences);
            Assert.Null(verification.Reason);
            Assert.Equal(host.Services.GetRequiredService<MinerRegistry>().MinerId, verification.MinerId);
            Assert.Equal(1, verification.Attempts);
            Assert.NotNull(verification.FinishedAt);
        }
    }

    [Fact]
    public async Task A_recorded_model_hash_this_worker_does_not_have_cannot_be_verified_and_names_the_file()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("provenancetampered");
        using (host)
        {
            var sha256 = await RenderAsync(database, host, "sd15", ct);
            var forged = new string('0', 64);
            await EditProvenanceAsync(database, sha256, p => p with { ModelFiles = new Dictionary<string, string>(p.ModelFiles) { ["unet/model.onnx"] = forged } }, ct);

            var verification = await VerifyAsync(database, host, sha256, ct);

            Assert.Equal(VerificationState.CannotVerify, verification.State);
            Assert.Null(verification.ActualSha256);
            Assert.Contains("are not the recorded ones", verification.Reason, StringComparison.Ordinal);
            Assert.StartsWith($"unet/model.onnx: {forged} → ", Assert.Single(verification.Differences), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Other_bytes_are_different_with_both_hashes_and_the_environment_fields_that_differed()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("provenancedifferent");
        using (host)
        {
            var sha256 = await RenderAsync(database, host, "sd15", ct);
            var claimed = new string('e', 64);
            await EditProvenanceAsync(database, sha256, p => p with { PngSha256 = claimed, WorkerVersion = "0.0.1", CpuThreads = 8 }, ct);

            var verification = await VerifyAsync(database, host, sha256, ct);

            Assert.Equal(VerificationState.Different, verification.State);
            Assert.Equal((claimed, sha256), (verification.ExpectedSha256, verification.ActualSha256));
            Assert.Equal(["cpuThreads: 8 → 2", $"workerVersion: 0.0.1 → {MinerRegistry.WorkerVersion}"], verification.Differences);
        }
    }

    [Fact]
    public async Task A_model_this_worker_does_not_serve_cannot_be_verified_here()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, renderer) = await StartAsync("provenanceunserved");
        string sha256;
        using (renderer)
        {
            sha256 = await RenderAsync(database, renderer, "flux-dev", ct);
        }
        using var other = TestWorkerHost.Build(database, new Dictionary<string, string?> { ["Worker:ModelsPath"] = tiny.Folder, ["Worker:Models:0"] = "sd15" });

        var verification = await VerifyAsync(database, other, sha256, ct);

        Assert.Equal(VerificationState.CannotVerify, verification.State);
        Assert.EndsWith("does not serve flux-dev", verification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_finished_verification_run_again_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("provenancererun");
        using (host)
        {
            var sha256 = await RenderAsync(database, host, "sd15", ct);
            var first = await VerifyAsync(database, host, sha256, ct);

            await RunVerificationAsync(host, first.Id, ct);

            await using var db = PostgresFixture.CreateContext(database);
            var again = await db.ImageVerifications.AsNoTracking().SingleAsync(v => v.Id == first.Id, ct);
            Assert.Equal((VerificationState.Identical, 1, first.FinishedAt), (again.State, again.Attempts, again.FinishedAt));
        }
    }

    [Fact]
    public async Task The_command_line_re_runs_a_metadata_file_and_says_identical_or_why_it_cannot()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("provenancecli");
        using (host)
        {
            var sha256 = await RenderAsync(database, host, "sd15", ct);
            await using var db = PostgresFixture.CreateContext(database);
            var metadata = await db.Images.AsNoTracking().Where(i => i.Sha256 == sha256).Select(i => i.Metadata).SingleAsync(ct);
            var file = Path.GetTempFileName();
            try
            {
                await File.WriteAllTextAsync(file, metadata, ct);
                var output = new StringWriter();
                Assert.Equal(VerifyCommand.Identical, await VerifyCommand.RunAsync([file, "--models", tiny.Folder], output, cancellationToken: ct));
                Assert.Equal($"identical: {sha256}", output.ToString().Trim());

                var recorded = ImageProvenance.FromMetadata(metadata)!;
                await File.WriteAllTextAsync(file, (recorded with { PngSha256 = new string('e', 64) }).ToJson(), ct);
                output = new StringWriter();
                Assert.Equal(VerifyCommand.Different, await VerifyCommand.RunAsync([file, "--models", tiny.Folder], output, cancellationToken: ct));
                Assert.Equal(["different", $"  expected {new string('e', 64)}", $"  actual   {sha256}"], output.ToString().Trim().Split('\n').Take(3));

                var tampered = recorded with { ModelFiles = new Dictionary<string, string>(recorded.ModelFiles) { ["vae_decoder/model.onnx"] = new string('0', 64) } };
                await File.WriteAllTextAsync(file, tampered.ToJson(), ct);
                output = new StringWriter();
                Assert.Equal(VerifyCommand.CannotVerify, await VerifyCommand.RunAsync([file, "--models", tiny.Folder], output, cancellationToken: ct));
                Assert.StartsWith("cannot verify: the model files of sd15", output.ToString(), StringComparison.Ordinal);
                Assert.Contains("vae_decoder/model.onnx: 0000", output.ToString(), StringComparison.Ordinal);
            }
            finally
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task The_command_line_reads_a_tokens_metadata_from_the_portal()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("provenancetoken");
        using (host)
        {
            var sha256 = await RenderAsync(database, host, "sd15", ct);
            await using var db = PostgresFixture.CreateContext(database);
            var provenance = ImageProvenance.FromMetadata(await db.Images.AsNoTracking().Where(i => i.Sha256 == sha256).Select(i => i.Metadata).SingleAsync(ct))!;
            var nft = "{\"name\":\"Imaginary #7\",\"description\":\"\",\"image\":\"x\",\"attributes\":[],\"provenance\":" + provenance.ToJson() + "}";
            var portal = new PortalStub(request => request.RequestUri!.AbsolutePath == "/api/nft/7/metadata"
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(nft, Encoding.UTF8, "application/json") }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
            using var http = new HttpClient(portal);

            var output = new StringWriter();
            Assert.Equal(VerifyCommand.Identical,
                await VerifyCommand.RunAsync(["--token", "7", "--portal", "http://portal.test", "--models", tiny.Folder], output, http, ct));
            Assert.Equal($"identical: {sha256}", output.ToString().Trim());

            output = new StringWriter();
            Assert.Equal(VerifyCommand.CannotVerify,
                await VerifyCommand.RunAsync(["--token", "8", "--portal", "http://portal.test", "--models", tiny.Folder], output, http, ct));
            Assert.StartsWith("cannot verify: http://portal.test/api/nft/8/metadata answered 404", output.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new string[0], "give either a metadata file or --token")]
    [InlineData(new[] { "--token", "7" }, "--token needs --portal")]
    [InlineData(new[] { "a.json", "b.json" }, "unexpected argument 'b.json'")]
    [InlineData(new[] { "/nonexistent/metadata.json" }, "Could not find")]
    public async Task The_command_line_refuses_what_it_cannot_run_with_exit_code_2(string[] args, string message)
    {
        var output = new StringWriter();

        Assert.Equal(VerifyCommand.CannotVerify, await VerifyCommand.RunAsync(args, output, cancellationToken: TestContext.Current.CancellationToken));
        Assert.StartsWith("cannot verify: ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(message, output.ToString(), StringComparison.Ordinal);
    }

    private async Task<(string Database, IHost Host)> StartAsync(string purpose, string? modelsPath = null)
    {
        var database = await postgres.CreateMigratedDatabaseAsync(purpose);
        var host = TestWorkerHost.Build(database, new Dictionary<string, string?> { ["Worker:ModelsPath"] = modelsPath ?? tiny.Folder, ["Worker:CpuThreads"] = "2" });
        await host.Services.GetRequiredService<MinerRegistry>().RegisterAsync(TestContext.Current.CancellationToken);
        return (database, host);
    }

    /// <summary>Runs one small image job to the end and returns its image's sha256.</summary>
    private static async Task<string> RenderAsync(string database, IHost host, string modelId, CancellationToken ct)
    {
        var job = new ImageJob
        {
            Id = Guid.NewGuid(),
            CreatorId = "test-creator",
            CreatedAt = DateTimeOffset.UtcNow,
            Prompt = "a lighthouse at dawn",
            NegativePrompt = "blurry",
            ModelId = modelId,
            Width = 256,
            Height = 256,
            Steps = 4,
            Guidance = 6,
            Seed = 42,
            Scheduler = modelId == "flux-dev" ? "flow-match-euler" : "euler",
            State = ImageJobState.Queued,
        };
        await using var db = PostgresFixture.CreateContext(database);
        db.ImageJobs.Add(job);
        await db.SaveChangesAsync(ct);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IImageGenerationJob>().RunAsync(job.Id, ct);
        }
        var done = await db.ImageJobs.AsNoTracking().SingleAsync(j => j.Id == job.Id, ct);
        Assert.Equal(ImageJobState.Succeeded, done.State);
        return done.ImageSha256!;
    }

    /// <summary>Queues a verification of the image as the portal does, runs it on <paramref name="host"/>, and returns its row.</summary>
    private static async Task<ImageVerification> VerifyAsync(string database, IHost host, string sha256, CancellationToken ct)
    {
        await using var db = PostgresFixture.CreateContext(database);
        var provenance = ImageProvenance.FromMetadata(await db.Images.Where(i => i.Sha256 == sha256).Select(i => i.Metadata).SingleAsync(ct))!;
        var verification = new ImageVerification
        {
            Id = Guid.NewGuid(),
            ImageSha256 = sha256,
            ModelId = provenance.ModelId,
            ExpectedSha256 = provenance.PngSha256,
            State = VerificationState.Queued,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.ImageVerifications.Add(verification);
        await db.SaveChangesAsync(ct);
        await RunVerificationAsync(host, verification.Id, ct);
        return await db.ImageVerifications.AsNoTracking().SingleAsync(v => v.Id == verification.Id, ct);
    }

    private static async Task RunVerificationAsync(IHost host, Guid id, CancellationToken ct)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IImageVerificationJob>().RunAsync(id, ct);
    }

    private static async Task EditProvenanceAsync(string database, string sha256, Func<ImageProvenance, ImageProvenance> edit, CancellationToken ct)
    {
        await using var db = PostgresFixture.CreateContext(database);
        var image = await db.Images.SingleAsync(i => i.Sha256 == sha256, ct);
        var metadata = JsonNode.Parse(image.Metadata)!.AsObject();
        metadata[ImageProvenance.MetadataProperty] = edit(ImageProvenance.FromMetadata(image.Metadata)!).ToJsonNode();
        image.Metadata = metadata.ToJsonString();
        await db.SaveChangesAsync(ct);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private sealed class PortalStub(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(answer(request));
    }
}
