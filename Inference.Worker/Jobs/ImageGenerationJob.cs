using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Heurist.Inference.Worker.Device;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Pipelines;
using Heurist.Inference.Worker.Mining;
using Heurist.Inference.Worker.Provenance;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Network;
using Heurist.Portal.Data.Jobs;
using Heurist.Protocol.Api.Provenance;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Models;
using Heurist.Protocol.Points;
using Microsoft.EntityFrameworkCore;
using Microsoft.ML.OnnxRuntime;

namespace Heurist.Inference.Worker.Jobs;

/// <summary>
/// Runs one image job: loads its spec, renders it with the model's pipeline while reporting each step, stores the PNG
/// by its sha256, credits the miner's points and marks the job done. Re-running a finished job changes nothing, and
/// a re-run of an interrupted one stores no second image and credits no second time.
/// </summary>
public sealed partial class ImageGenerationJob(
    IDbContextFactory<PortalDbContext> databases,
    ModelHost models,
    ModelCatalog catalog,
    MinerRegistry registry,
    DeviceInfo device,
    JobTelemetry telemetry,
    TimeProvider clock,
    ILogger<ImageGenerationJob> logger) : IImageGenerationJob
{
    public async Task RunAsync(Guid imageJobId, CancellationToken cancellationToken)
    {
        using var activity = JobTelemetry.Source.StartActivity("image_job.run", ActivityKind.Consumer);
        activity?.SetTag(JobTelemetry.Tags.JobId, imageJobId).SetTag(JobTelemetry.Tags.Miner, registry.MinerId);
        var started = Stopwatch.GetTimestamp();
        string? modelId = null;
        var outcome = JobTelemetry.Outcomes.Error;
        try
        {
            (outcome, modelId) = await RunJobAsync(imageJobId, activity, cancellationToken);
        }
        catch (Exception ex)
        {
            // Hangfire retries the job; the span says why this run ended, and no outcome is counted for it.
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message).AddException(ex);
            throw;
        }
        finally
        {
            activity?.SetTag(JobTelemetry.Tags.Outcome, outcome);
            if (modelId is not null && outcome != JobTelemetry.Outcomes.Skipped)
            {
                telemetry.Completed(JobTelemetry.Kinds.Image, modelId, registry.MinerId, outcome, Stopwatch.GetElapsedTime(started));
            }
        }
    }

    /// <summary>Runs the job and says how the run ended, with the job's model once the job was found.</summary>
    private async Task<(string Outcome, string? ModelId)> RunJobAsync(Guid imageJobId, Activity? activity, CancellationToken cancellationToken)
    {
        ImageJob job;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var found = await db.ImageJobs.SingleOrDefaultAsync(j => j.Id == imageJobId, cancellationToken);
            if (found is null)
            {
                LogJobMissing(logger, imageJobId);
                return (JobTelemetry.Outcomes.Skipped, null);
            }
            job = found;
            activity?.SetTag(JobTelemetry.Tags.Model, job.ModelId)
                .SetTag(JobTelemetry.Tags.Steps, job.Steps)
                .SetTag(JobTelemetry.Tags.Width, job.Width)
                .SetTag(JobTelemetry.Tags.Height, job.Height);
            if (job.State is ImageJobState.Succeeded or ImageJobState.Failed or ImageJobState.Canceled)
            {
                return (JobTelemetry.Outcomes.Skipped, job.ModelId);
            }
            if (job.CancelRequested)
            {
                await FinishAsync(db, job, ImageJobState.Canceled, null, cancellationToken);
                return (JobTelemetry.Outcomes.Canceled, job.ModelId);
            }
            job.State = ImageJobState.Running;
            job.MinerId = registry.MinerId;
            job.StartedAt ??= clock.GetUtcNow();
            job.Attempts++;
            job.ProgressStep = 0;
            job.Preview = null;
            await db.SaveChangesAsync(cancellationToken);
            await ImageJobNotifications.NotifyAsync(db, job.Id, cancellationToken);
        }

        var pipeline = models.Find(job.ModelId);
        var model = catalog.FindImageModel(job.ModelId);
        if (pipeline is null || model is null)
        {
            await FailAsync(job, $"miner {registry.MinerId} does not serve {job.ModelId}", cancellationToken);
            return (JobTelemetry.Outcomes.Failed, job.ModelId);
        }

        using var canceled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = new ProgressReporter(databases, job.Id, job.WatchedUntil > clock.GetUtcNow(), clock, canceled, logger);
        var pipelineStarted = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        GeneratedImage image;
        try
        {
            try
            {
                image = pipeline.Generate(ToResolved(job), reporter.Report, canceled.Token);
            }
            finally
            {
                // However the run ended, its progress writer stops here, so that no progress lands after the outcome.
                await reporter.FlushAsync();
            }
        }
        catch (OperationCanceledException) when (reporter.CancelRequested)
        {
            await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
            var current = await db.ImageJobs.SingleAsync(j => j.Id == job.Id, CancellationToken.None);
            await FinishAsync(db, current, ImageJobState.Canceled, null, CancellationToken.None);
            return (JobTelemetry.Outcomes.Canceled, job.ModelId);
        }
        catch (Exception ex) when (ex is ModelInterfaceException or OnnxRuntimeException or ModelFolderException or ArgumentException)
        {
            // A model that cannot run this job will not run it on a retry either: record why, and stop.
            LogModelFailed(logger, ex, job.Id, job.ModelId);
            await FailAsync(job, $"{job.ModelId} could not render it ({ex.Message})", cancellationToken);
            return (JobTelemetry.Outcomes.Failed, job.ModelId);
        }
        var duration = watch.Elapsed;
        RecordPhases(pipelineStarted, image.Timings);

        using (image)
        {
            await StoreResultAsync(job, model, pipeline.Folder, image, duration, activity, cancellationToken);
        }
        return (JobTelemetry.Outcomes.Succeeded, job.ModelId);
    }

    /// <summary>
    /// The pipeline's phases as child spans. The pipeline is synchronous ONNX code that knows nothing of telemetry; it
    /// measures its phases back to back from the moment it starts, so their spans are laid out the same way.
    /// </summary>
    private static void RecordPhases(DateTimeOffset start, PipelineTimings timings)
    {
        foreach (var (name, length) in new[] { ("image_job.text_encode", timings.TextEncoding), ("image_job.denoise", timings.Denoising), ("image_job.decode", timings.Decoding) })
        {
            using var phase = JobTelemetry.Source.StartActivity(name, ActivityKind.Internal, parentContext: default, startTime: start);
            phase?.SetEndTime((start + length).UtcDateTime);
            start += length;
        }
    }

    private async Task StoreResultAsync(
        ImageJob job, ImageModel model, ModelFolder folder, GeneratedImage image, TimeSpan duration, Activity? activity, CancellationToken cancellationToken)
    {
        var encoding = Stopwatch.StartNew();
        byte[] png;
        using (JobTelemetry.Source.StartActivity("image_job.png_encode"))
        {
            png = image.ToPng();
        }
        var encodingTime = encoding.Elapsed;
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(png));
        var points = WaifuPoints.For(job.Width, job.Height, job.Steps, model.PointsMultiplier, duration, TimeSpan.FromSeconds(model.DeadlineSeconds));
        // Whole microseconds, as PostgreSQL stores it, so the rollups count exactly what a recount from the rows would.
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        var metadata = JsonSerializer.SerializeToNode(new
        {
            model = new { id = job.ModelId, pipeline = folder.Pipeline.ToString(), demo = folder.Demo, files = folder.FileHashes },
            job = new { job.Prompt, job.NegativePrompt, job.Width, job.Height, job.Steps, job.Guidance, job.Seed, job.Scheduler },
            timings = new
            {
                textEncodingMs = image.Timings.TextEncoding.TotalMilliseconds,
                denoisingMs = image.Timings.Denoising.TotalMilliseconds,
                decodingMs = image.Timings.Decoding.TotalMilliseconds,
                pngEncodingMs = encodingTime.TotalMilliseconds,
                totalMs = duration.TotalMilliseconds,
            },
            worker = new { minerId = registry.MinerId, device = device.Name, deviceKind = device.Kind.ToString(), version = MinerRegistry.WorkerVersion },
        })!.AsObject();
        metadata[ImageProvenance.MetadataProperty] = RecipeRuns.Record(ToResolved(job), folder, models.Inference, sha256).ToJsonNode();

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Content-addressed and credited once per job: a re-run after a crash finds both rows already there. The same
        // bytes stored before provenance was recorded get this run's, which re-runs to them just as well.
        var metadataJson = metadata.ToJsonString();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO images (sha256, png, width, height, metadata, created_at) VALUES ({sha256}, {png}, {image.Width}, {image.Height}, CAST({metadataJson} AS jsonb), {now})
            ON CONFLICT (sha256) DO UPDATE SET metadata = images.metadata || jsonb_build_object({ImageProvenance.MetadataProperty}::text, EXCLUDED.metadata -> {ImageProvenance.MetadataProperty}::text)
            WHERE NOT jsonb_exists(images.metadata, {ImageProvenance.MetadataProperty}::text)
            """,
            cancellationToken);
        var credited = await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO points_credits (job_id, miner_id, kind, points, credited_at) VALUES ({job.Id}, {registry.MinerId}, {nameof(PointsKind.Waifu)}, {points}, {now}) ON CONFLICT (job_id) DO NOTHING",
            cancellationToken);
        var stored = await db.ImageJobs.SingleAsync(j => j.Id == job.Id, cancellationToken);
        if (credited == 1)
        {
            // Counted with the credit, so a re-run that credits nothing counts nothing either. The latency is what
            // the creator waited once a worker took the job, as the job row records it (started_at to completed_at).
            var latency = now - (stored.StartedAt ?? now - duration);
            await NetworkRollups.RecordFinishedJobAsync(db, new FinishedJob(registry.MinerId, job.ModelId, PointsKind.Waifu, points, now, latency), cancellationToken);
        }
        stored.State = ImageJobState.Succeeded;
        stored.ImageSha256 = sha256;
        stored.Points = await db.PointsCredits.Where(c => c.JobId == job.Id).Select(c => c.Points).SingleAsync(cancellationToken);
        stored.ProgressStep = stored.Steps;
        stored.Preview = null;
        stored.CompletedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (credited == 1)
        {
            telemetry.Credited(job.ModelId, registry.MinerId, points);
        }
        activity?.SetTag(JobTelemetry.Tags.Points, (double)stored.Points);
        await ImageJobNotifications.NotifyAsync(db, job.Id, cancellationToken);
        LogJobDone(logger, job.Id, job.ModelId, job.Width, job.Height, job.Steps, duration.TotalSeconds, stored.Points.Value, sha256[..12]);
    }

    private async Task FailAsync(ImageJob job, string reason, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var current = await db.ImageJobs.SingleAsync(j => j.Id == job.Id, cancellationToken);
        current.Error = reason.Length > ImageJob.MaxErrorLength ? reason[..ImageJob.MaxErrorLength] : reason;
        await FinishAsync(db, current, ImageJobState.Failed, current.Error, cancellationToken);
    }

    private async Task FinishAsync(PortalDbContext db, ImageJob job, ImageJobState state, string? error, CancellationToken cancellationToken)
    {
        job.State = state;
        job.Error = error;
        job.Preview = null;
        job.CompletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await ImageJobNotifications.NotifyAsync(db, job.Id, cancellationToken);
    }

    private static ResolvedImageJob ToResolved(ImageJob job)
        => new(job.Prompt, job.NegativePrompt, job.ModelId, job.Width, job.Height, job.Steps, job.Guidance, job.Seed, job.Scheduler);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Image job {JobId} does not exist; nothing to do")]
    private static partial void LogJobMissing(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Image job {JobId} failed on {Model}")]
    private static partial void LogModelFailed(ILogger logger, Exception exception, Guid jobId, string model);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Image job {JobId} on {Model}: {Width}×{Height}, {Steps} steps in {Seconds:0.00} s, {Points} points, image {Sha}")]
    private static partial void LogJobDone(ILogger logger, Guid jobId, string model, int width, int height, int steps, double seconds, decimal points, string sha);
}
