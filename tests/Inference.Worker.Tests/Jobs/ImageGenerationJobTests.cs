using System.Diagnostics;
using Heurist.Inference.Worker.Mining;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Jobs;
using Heurist.Protocol.Jobs;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Heurist.Inference.Worker.Tests.Jobs;

[Integration]
public sealed class ImageGenerationJobTests(PostgresFixture postgres, TinyModelsFixture tiny)
{
    [Fact]
    public async Task A_job_renders_stores_its_png_by_sha256_credits_points_and_finishes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("imagejob");
        using (host)
        {
            var jobId = await AddJobAsync(database, "sd15", 512, 512, steps: 20, scheduler: "euler-ancestral");

            await RunAsync(host, jobId, ct);

            await using var db = PostgresFixture.CreateContext(database);
            var job = await db.ImageJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
            Assert.Equal(ImageJobState.Succeeded, job.State);
            Assert.Equal(20, job.ProgressStep);
            Assert.Equal(1, job.Attempts);
            Assert.Null(job.Preview);
            Assert.Equal(host.Services.GetRequiredService<MinerRegistry>().MinerId, job.MinerId);
            // 512 × 512 at 20 steps is one point, times SD 1.5's 0.3.
            Assert.Equal(0.3m, job.Points);
            var image = await db.Images.AsNoTracking().SingleAsync(i => i.Sha256 == job.ImageSha256, ct);
            Assert.Equal(job.ImageSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(image.Png)));
            Assert.Equal((512, 512), (image.Width, image.Height));
            using var metadata = System.Text.Json.JsonDocument.Parse(image.Metadata);
            var model = metadata.RootElement.GetProperty("model");
            Assert.True(model.GetProperty("demo").GetBoolean());
            Assert.Matches("^[0-9a-f]{64}$", model.GetProperty("files").GetProperty("unet/model.onnx").GetString());
            Assert.Equal(42, metadata.RootElement.GetProperty("job").GetProperty("Seed").GetInt64());
            var credit = await db.PointsCredits.AsNoTracking().SingleAsync(c => c.JobId == jobId, ct);
            Assert.Equal((0.3m, PointsKind.Waifu, job.MinerId), (credit.Points, credit.Kind, credit.MinerId));
        }
    }

    [Fact]
    public async Task Running_a_job_again_stores_no_second_image_and_credits_no_second_time()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("imagejobretry");
        using (host)
        {
            var jobId = await AddJobAsync(database, "sdxl", 512, 512, steps: 20, scheduler: "euler");
            await RunAsync(host, jobId, ct);
            string? firstImage;
            await using (var db = PostgresFixture.CreateContext(database))
            {
                firstImage = (await db.ImageJobs.SingleAsync(j => j.Id == jobId, ct)).ImageSha256;
            }

            // A retry of a finished job does nothing at all.
            await RunAsync(host, jobId, ct);
            // A worker that died after storing the result leaves the job "running": the re-run finds the image and the credit there.
            await using (var db = PostgresFixture.CreateContext(database))
            {
                await db.ImageJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(set => set.SetProperty(j => j.State, ImageJobState.Running), ct);
            }
            await RunAsync(host, jobId, ct);

            await using var check = PostgresFixture.CreateContext(database);
            var job = await check.ImageJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
            Assert.Equal(ImageJobState.Succeeded, job.State);
            Assert.Equal(2, job.Attempts);
            Assert.Equal(firstImage, job.ImageSha256);
            Assert.Equal(1, await check.Images.CountAsync(ct));
            Assert.Equal(1, await check.PointsCredits.CountAsync(c => c.JobId == jobId, ct));
            Assert.Equal(1m, job.Points);
        }
    }

    [Fact]
    public async Task A_job_cancelled_before_it_starts_is_not_rendered()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("imagejobcancelled");
        using (host)
        {
            var jobId = await AddJobAsync(database, "sd15", 256, 256, steps: 4, scheduler: "euler", cancelRequested: true);

            await RunAsync(host, jobId, ct);

            await using var db = PostgresFixture.CreateContext(database);
            var job = await db.ImageJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
            Assert.Equal(ImageJobState.Canceled, job.State);
            Assert.Null(job.ImageSha256);
            Assert.Equal(0, await db.Images.CountAsync(ct));
        }
    }

    [Fact]
    public async Task A_job_cancelled_while_it_renders_stops_between_steps()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("imagejobstop");
        using (host)
        {
            var jobId = await AddJobAsync(database, "sdxl", 1536, 1536, steps: 50, scheduler: "euler");
            // On the thread pool: the pipeline is synchronous, and the test must go on while it renders.
            var running = Task.Run(() => RunAsync(host, jobId, ct), ct);

            await using (var db = PostgresFixture.CreateContext(database))
            {
                while (!await db.ImageJobs.AnyAsync(j => j.Id == jobId && j.ProgressStep > 0, ct))
                {
                    Assert.False(running.IsCompleted, "The job finished before it could be cancelled; make it longer.");
                    await Task.Delay(10, ct);
                }
                var stillRunning = await db.ImageJobs
                    .Where(j => j.Id == jobId && j.State == ImageJobState.Running && j.ProgressStep < 50)
                    .ExecuteUpdateAsync(set => set.SetProperty(j => j.CancelRequested, true), ct);
                Assert.Equal(1, stillRunning);
            }
            await running;

            await using var check = PostgresFixture.CreateContext(database);
            var job = await check.ImageJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
            Assert.Equal(ImageJobState.Canceled, job.State);
            Assert.InRange(job.ProgressStep, 1, 49);
            Assert.Null(job.ImageSha256);
        }
    }

    [Fact]
    public async Task A_job_nobody_watches_reports_its_steps_in_a_few_writes_without_a_preview()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("imagejobunwatched");
        using (host)
        {
            var jobId = await AddJobAsync(database, "sd15", 256, 256, steps: 50, scheduler: "euler");
            await RecordProgressWritesAsync(database, ct);

            var run = Stopwatch.StartNew();
            await RunAsync(host, jobId, ct);
            var elapsed = run.Elapsed;

            var writes = await ProgressWritesAsync(database, ct);
            Assert.NotEmpty(writes);
            Assert.All(writes, w => Assert.Null(w.Preview));
            Assert.Equal(writes.Select(w => w.Step).Order(), writes.Select(w => w.Step));
            // Without previews, a write waits 200 ms after the one before; only the first and the last do not.
            Assert.InRange(writes.Count, 1, 2 + (int)(elapsed / TimeSpan.FromMilliseconds(200)));
            await using var db = PostgresFixture.CreateContext(database);
            Assert.Equal(ImageJobState.Succeeded, (await db.ImageJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct)).State);
        }
    }

    [Fact]
    public async Task A_watched_job_stores_preview_pngs_while_it_runs()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("imagejobwatched");
        using (host)
        {
            var jobId = await AddJobAsync(database, "sd15", 256, 256, steps: 50, scheduler: "euler", watchedUntil: DateTimeOffset.UtcNow.AddMinutes(5));
            await RecordProgressWritesAsync(database, ct);

            var run = Stopwatch.StartNew();
            await RunAsync(host, jobId, ct);
            var elapsed = run.Elapsed;

            var writes = await ProgressWritesAsync(database, ct);
            var previews = writes.Where(w => w.Preview is not null).ToList();
            Assert.NotEmpty(previews);
            Assert.All(previews, p => Assert.Equal(PngSignature, p.Preview![..8]));
            // A preview is due every 5 of the 50 steps, and a write that carries none waits 200 ms after the one before.
            Assert.InRange(previews.Count, 1, 10);
            Assert.InRange(writes.Count, 1, previews.Count + 2 + (int)(elapsed / TimeSpan.FromMilliseconds(200)));
            await using var db = PostgresFixture.CreateContext(database);
            var job = await db.ImageJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
            Assert.Equal(ImageJobState.Succeeded, job.State);
            Assert.Null(job.Preview);
        }
    }

    [Fact]
    public async Task A_job_whose_progress_writes_fail_still_stores_its_image()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("imagejobprogressfails");
        using (host)
        {
            var jobId = await AddJobAsync(database, "sd15", 256, 256, steps: 20, scheduler: "euler", watchedUntil: DateTimeOffset.UtcNow.AddMinutes(5));
            await using (var db = PostgresFixture.CreateContext(database))
            {
                // The sequence counts the refused writes: nextval is not rolled back with the update it refuses.
                await db.Database.ExecuteSqlRawAsync(
                    """
                    CREATE SEQUENCE refused_progress_writes;
                    CREATE FUNCTION refuse_progress_write() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        PERFORM nextval('refused_progress_writes');
                        RAISE EXCEPTION 'progress writes are broken';
                    END $$;
                    CREATE TRIGGER refuse_progress_write BEFORE UPDATE ON image_jobs FOR EACH ROW
                        WHEN (OLD.state = 'Running' AND NEW.state = 'Running') EXECUTE FUNCTION refuse_progress_write();
                    """,
                    ct);
            }

            await RunAsync(host, jobId, ct);

            await using var check = PostgresFixture.CreateContext(database);
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync(ct);
                await using var refused = new NpgsqlCommand("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM refused_progress_writes", connection);
                Assert.True((long)(await refused.ExecuteScalarAsync(ct))! >= 1, "No progress write was even tried.");
            }
            var job = await check.ImageJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
            Assert.Equal(ImageJobState.Succeeded, job.State);
            Assert.Equal(20, job.ProgressStep);
            Assert.NotNull(job.ImageSha256);
        }
    }

    [Fact]
    public async Task A_job_for_a_model_this_worker_does_not_serve_fails_with_the_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("imagejobunserved", ["sd15"]);
        using (host)
        {
            var jobId = await AddJobAsync(database, "flux-dev", 256, 256, steps: 4, scheduler: "flow-match-euler");

            await RunAsync(host, jobId, ct);

            await using var db = PostgresFixture.CreateContext(database);
            var job = await db.ImageJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
            Assert.Equal(ImageJobState.Failed, job.State);
            Assert.EndsWith("does not serve flux-dev", job.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_run_is_one_span_with_the_jobs_parameters_and_its_phases_and_counts_its_outcome_duration_and_points_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("imagejobtelemetry");
        using (host)
        using (var telemetry = new TelemetryRecorder(host.Services, JobTelemetry.Name))
        {
            var minerId = host.Services.GetRequiredService<MinerRegistry>().MinerId;
            var jobId = await AddJobAsync(database, "sd15", 512, 512, steps: 20, scheduler: "euler-ancestral");

            await RunAsync(host, jobId, ct);
            await RunAsync(host, jobId, ct);

            var runs = telemetry.Activities.Where(a => a.OperationName == "image_job.run" && Equals(a.GetTagItem(JobTelemetry.Tags.JobId), jobId)).ToList();
            Assert.Equal(2, runs.Count);
            var run = runs[0];
            Assert.Equal(ActivityKind.Consumer, run.Kind);
            Assert.Equal<(object?, object?, object?, object?, object?, object?)>(
                ("sd15", 20, 512, 512, minerId, JobTelemetry.Outcomes.Succeeded),
                (run.GetTagItem(JobTelemetry.Tags.Model), run.GetTagItem(JobTelemetry.Tags.Steps), run.GetTagItem(JobTelemetry.Tags.Width),
                    run.GetTagItem(JobTelemetry.Tags.Height), run.GetTagItem(JobTelemetry.Tags.Miner), run.GetTagItem(JobTelemetry.Tags.Outcome)));
            Assert.Equal(0.3, (double)run.GetTagItem(JobTelemetry.Tags.Points)!, 6);
            // The second run finds the job finished and does nothing.
            Assert.Equal(JobTelemetry.Outcomes.Skipped, runs[1].GetTagItem(JobTelemetry.Tags.Outcome));

            var phases = telemetry.Activities.Where(a => a.ParentSpanId == run.SpanId).OrderBy(a => a.StartTimeUtc).ToList();
            Assert.Equal(["image_job.text_encode", "image_job.denoise", "image_job.decode", "image_job.png_encode"], phases.Select(p => p.OperationName));
            Assert.All(phases, p => Assert.InRange(p.StartTimeUtc, run.StartTimeUtc, run.StartTimeUtc + run.Duration));

            var completed = Assert.Single(telemetry.Measurements("heurist.jobs.completed"));
            Assert.Equal(1, completed.Value);
            Assert.Equal<(object?, object?, object?, object?)>(
                (JobTelemetry.Kinds.Image, "sd15", minerId, JobTelemetry.Outcomes.Succeeded),
                (completed.Tags[JobTelemetry.Tags.Kind], completed.Tags[JobTelemetry.Tags.Queue], completed.Tags[JobTelemetry.Tags.Miner], completed.Tags[JobTelemetry.Tags.Outcome]));
            Assert.True(Assert.Single(telemetry.Measurements("heurist.jobs.duration")).Value > 0);
            var points = Assert.Single(telemetry.Measurements("heurist.points.credited"));
            Assert.Equal(0.3, points.Value, 6);
        }
    }

    [Fact]
    public async Task A_run_that_fails_is_counted_as_failed_and_credits_no_points()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("imagejobtelemetryfail", ["sd15"]);
        using (host)
        using (var telemetry = new TelemetryRecorder(host.Services, JobTelemetry.Name))
        {
            var jobId = await AddJobAsync(database, "flux-dev", 256, 256, steps: 4, scheduler: "flow-match-euler");

            await RunAsync(host, jobId, ct);

            Assert.Equal(JobTelemetry.Outcomes.Failed, telemetry.Find("image_job.run", JobTelemetry.Tags.JobId, jobId).GetTagItem(JobTelemetry.Tags.Outcome));
            var completed = Assert.Single(telemetry.Measurements("heurist.jobs.completed"));
            Assert.Equal(JobTelemetry.Outcomes.Failed, completed.Tags[JobTelemetry.Tags.Outcome]);
            Assert.Empty(telemetry.Measurements("heurist.points.credited"));
        }
    }

    [Fact]
    public async Task Registration_lists_the_models_served_with_their_file_hashes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("imagejobmodels");
        using (host)
        {
            await using var db = PostgresFixture.CreateContext(database);
            var models = await db.MinerModels.AsNoTracking().OrderBy(m => m.ModelId).ToListAsync(ct);
            Assert.Equal(["flux-dev", "sd15", "sdxl"], models.Select(m => m.ModelId));
            Assert.All(models, m => Assert.True(m.Demo));
            Assert.Contains("\"unet/model.onnx\"", models.Single(m => m.ModelId == "sd15").FileHashes, StringComparison.Ordinal);
            var miner = await db.Miners.AsNoTracking().SingleAsync(ct);
            Assert.Equal(["default", "flux-dev", "sd15", "sdxl"], miner.Queues.Order(StringComparer.Ordinal));
        }
    }

    private async Task<(string Database, IHost Host)> StartAsync(string purpose, string[]? models = null)
    {
        var database = await postgres.CreateMigratedDatabaseAsync(purpose);
        var settings = new Dictionary<string, string?> { ["Worker:ModelsPath"] = tiny.Folder, ["Worker:CpuThreads"] = "2" };
        for (var i = 0; i < (models?.Length ?? 0); i++)
        {
            settings[$"Worker:Models:{i}"] = models![i];
        }
        var host = TestWorkerHost.Build(database, settings);
        await host.Services.GetRequiredService<MinerRegistry>().RegisterAsync(TestContext.Current.CancellationToken);
        return (database, host);
    }

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private sealed record ProgressWrite(int Step, byte[]? Preview);

    /// <summary>
    /// Records every progress write of a running job (an update that leaves it running), with the preview when the
    /// write brought a new one; the test's own updates come before or after the run.
    /// </summary>
    private static async Task RecordProgressWritesAsync(string database, CancellationToken ct)
    {
        await using var db = PostgresFixture.CreateContext(database);
        await db.Database.ExecuteSqlRawAsync(
            """
            CREATE TABLE progress_writes (id serial PRIMARY KEY, step integer NOT NULL, preview bytea);
            CREATE FUNCTION record_progress_write() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO progress_writes (step, preview)
                VALUES (NEW.progress_step, CASE WHEN NEW.preview IS DISTINCT FROM OLD.preview THEN NEW.preview END);
                RETURN NEW;
            END $$;
            CREATE TRIGGER record_progress_write AFTER UPDATE ON image_jobs FOR EACH ROW
                WHEN (OLD.state = 'Running' AND NEW.state = 'Running') EXECUTE FUNCTION record_progress_write();
            """,
            ct);
    }

    private static async Task<List<ProgressWrite>> ProgressWritesAsync(string database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT step, preview FROM progress_writes ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var writes = new List<ProgressWrite>();
        while (await reader.ReadAsync(ct))
        {
            writes.Add(new ProgressWrite(reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1)));
        }
        return writes;
    }

    internal static async Task<Guid> AddJobAsync(
        string database, string modelId, int width, int height, int steps, string scheduler, bool cancelRequested = false, DateTimeOffset? watchedUntil = null)
    {
        var job = new ImageJob
        {
            Id = Guid.NewGuid(),
            CreatorId = "test-creator",
            CreatedAt = DateTimeOffset.UtcNow,
            Prompt = "a lighthouse at dawn",
            NegativePrompt = "",
            ModelId = modelId,
            Width = width,
            Height = height,
            Steps = steps,
            Guidance = 6,
            Seed = 42,
            Scheduler = scheduler,
            State = ImageJobState.Queued,
            CancelRequested = cancelRequested,
            WatchedUntil = watchedUntil,
        };
        await using var db = PostgresFixture.CreateContext(database);
        db.ImageJobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }

    private static async Task RunAsync(IHost host, Guid jobId, CancellationToken ct)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IImageGenerationJob>().RunAsync(jobId, ct);
    }
}
