using System.Diagnostics;
using System.Runtime.CompilerServices;
using Hangfire;
using Hangfire.States;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Jobs;
using Heurist.Portal.Data.Network;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Api.Network;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Models;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Heurist.Portal.Server.Features.Studio;

/// <summary>The server's <see cref="IStudioClient"/>: jobs in PostgreSQL, queued through Hangfire on their model's queue.</summary>
public sealed partial class StudioService(
    IDbContextFactory<PortalDbContext> databases,
    IBackgroundJobClient jobs,
    ModelCatalog catalog,
    INetworkClient network,
    JobProgressFeed feed,
    JobTelemetry telemetry,
    AuthenticationStateProvider authentication,
    TimeProvider clock,
    ILogger<StudioService> logger) : IStudioClient
{
    /// <summary>How often a watcher looks again even without a signal: the fallback if a notification is lost.</summary>
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How far ahead a watcher marks the job as watched, and how often it moves the mark on: the worker renders
    /// previews only while the mark lies ahead, so a watcher that went away stops them within this long.
    /// </summary>
    private static readonly TimeSpan WatchedFor = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan WatchedRefresh = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<StudioModel>> GetModelsAsync(CancellationToken cancellationToken = default)
    {
        var online = await network.GetOnlineWorkersAsync(cancellationToken);
        var onlineIds = online.Select(w => w.MinerId).ToList();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var demoModels = await db.MinerModels.AsNoTracking()
            .Where(m => onlineIds.Contains(m.MinerId) && m.Demo)
            .Select(m => m.ModelId)
            .Distinct()
            .ToListAsync(cancellationToken);
        return [.. catalog.Image.Select(m => new StudioModel(
            m.Id,
            m.DisplayName,
            m.DefaultWidth,
            m.DefaultHeight,
            m.DefaultSteps,
            m.DefaultGuidance,
            m.DefaultScheduler,
            m.SizeMultiple,
            m.MinWidth,
            m.MaxWidth,
            m.MinHeight,
            m.MaxHeight,
            ImageJobRules.SchedulersFor(m.Pipeline),
            m.PointsMultiplier,
            online.Count(w => w.Queues.Contains(m.Id)),
            demoModels.Contains(m.Id)))];
    }

    public async Task<ImageJobView> SubmitAsync(string creatorId, ImageJobSpec spec, CancellationToken cancellationToken = default)
    {
        if (Validate(creatorId, spec) is { IsValid: false } errors)
        {
            throw ApiException.Invalid(InvalidTitle, errors);
        }

        var resolved = ImageJobRules.Resolve(spec, catalog, Random.Shared);
        using var activity = JobTelemetry.Source.StartActivity("image_job.submit", ActivityKind.Producer);
        var owner = await OwnerAsync();
        var job = new ImageJob
        {
            Id = Guid.NewGuid(),
            CreatorId = creatorId,
            OwnerAddress = owner,
            CreatedAt = clock.GetUtcNow(),
            Prompt = resolved.Prompt,
            NegativePrompt = resolved.NegativePrompt,
            ModelId = resolved.ModelId,
            Width = resolved.Width,
            Height = resolved.Height,
            Steps = resolved.Steps,
            Guidance = resolved.Guidance,
            Seed = resolved.Seed,
            Scheduler = resolved.Scheduler,
            State = ImageJobState.Queued,
        };
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.ImageJobs.Add(job);
            await db.SaveChangesAsync(cancellationToken);
            await NetworkRollups.RecordRequestAsync(db, job.ModelId, job.CreatedAt, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // The row is committed before the job exists, so the worker always finds it. Jobs carry only the id.
        var jobId = job.Id;
        job.HangfireJobId = jobs.Create<IImageGenerationJob>(j => j.RunAsync(jobId, CancellationToken.None), new EnqueuedState(job.ModelId));
        await db.SaveChangesAsync(cancellationToken);
        telemetry.Submitted(JobTelemetry.Kinds.Image, job.ModelId);
        activity?.SetTag(JobTelemetry.Tags.JobId, job.Id)
            .SetTag(JobTelemetry.Tags.Model, job.ModelId)
            .SetTag(JobTelemetry.Tags.Steps, job.Steps)
            .SetTag(JobTelemetry.Tags.Width, job.Width)
            .SetTag(JobTelemetry.Tags.Height, job.Height);
        LogQueued(logger, job.Id, job.ModelId, job.HangfireJobId);
        return ToView(job, demo: false);
    }

    /// <summary>The title of a refused image job.</summary>
    public const string InvalidTitle = "The image job is invalid.";

    /// <summary>What is wrong with the request, by field (the spec's fields and the creator id); empty when it can be queued.</summary>
    public FieldErrors Validate(string? creatorId, ImageJobSpec? spec)
        => ImageJobRules.Validate(spec, catalog).AddAll(CreatorIds.Validate(creatorId));

    public async Task<ImageJobView?> GetJobAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var job = await db.ImageJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (job is null)
        {
            return null;
        }
        var minted = await MintedAsync(db, [job], cancellationToken);
        return ToView(job, await IsDemoAsync(db, job, cancellationToken), minted.Contains(job.ImageSha256 ?? ""));
    }

    public async Task<ImageJobView?> CancelAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var activity = JobTelemetry.Source.StartActivity("image_job.cancel");
        activity?.SetTag(JobTelemetry.Tags.JobId, id);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var job = await db.ImageJobs.SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (job is null)
        {
            return null;
        }
        activity?.SetTag(JobTelemetry.Tags.Model, job.ModelId).SetTag(JobTelemetry.Tags.State, job.State.ToString());
        if (job.State is ImageJobState.Queued or ImageJobState.Running)
        {
            job.CancelRequested = true;
            if (job.State == ImageJobState.Queued)
            {
                // Not started: cancel it here. A running job is stopped by its worker, which checks the flag between steps.
                job.State = ImageJobState.Canceled;
                job.CompletedAt = clock.GetUtcNow();
                if (job.HangfireJobId is { } hangfireId)
                {
                    jobs.Delete(hangfireId);
                }
            }
            await db.SaveChangesAsync(cancellationToken);
            await ImageJobNotifications.NotifyAsync(db, job.Id, cancellationToken);
        }
        return ToView(job, await IsDemoAsync(db, job, cancellationToken));
    }

    public async Task<IReadOnlyList<ImageJobView>> GetGalleryAsync(string creatorId, int limit, CancellationToken cancellationToken = default)
    {
        // Signed in, the gallery is the account's, wherever its jobs were made; signed out, this browser's unclaimed jobs.
        var owner = await OwnerAsync();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var jobs = owner is null
            ? db.ImageJobs.Where(j => j.CreatorId == creatorId && j.OwnerAddress == null)
            : db.ImageJobs.Where(j => j.OwnerAddress == owner);
        var recent = await jobs.AsNoTracking()
            .OrderByDescending(j => j.CreatedAt)
            .Take(Math.Clamp(limit, 1, 200))
            .ToListAsync(cancellationToken);
        var demoMiners = await DemoMinersAsync(db, recent, cancellationToken);
        var minted = await MintedAsync(db, recent, cancellationToken);
        return [.. recent.Select(j => ToView(j, demoMiners.Contains((j.MinerId, j.ModelId)), minted.Contains(j.ImageSha256 ?? "")))];
    }

    /// <summary>Which of the jobs' images the indexer has seen minted (an NFT's id is its image's hash).</summary>
    private static async Task<HashSet<string>> MintedAsync(PortalDbContext db, IReadOnlyCollection<ImageJob> jobs, CancellationToken cancellationToken)
    {
        var hashes = jobs.Where(j => j.ImageSha256 is not null).Select(j => "0x" + j.ImageSha256).Distinct().ToList();
        if (hashes.Count == 0)
        {
            return [];
        }
        var minted = await db.NftTokens.AsNoTracking().Where(t => hashes.Contains(t.ImageHash)).Select(t => t.ImageHash).ToListAsync(cancellationToken);
        return [.. minted.Select(h => h[2..])];
    }

    /// <summary>Hands the unclaimed jobs of browser <paramref name="creatorId"/> to <paramref name="address"/>; returns how many.</summary>
    public async Task<int> AdoptAsync(string creatorId, string address, CancellationToken cancellationToken)
    {
        var owner = address.ToLowerInvariant();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var adopted = await db.ImageJobs
            .Where(j => j.CreatorId == creatorId && j.OwnerAddress == null)
            .ExecuteUpdateAsync(set => set.SetProperty(j => j.OwnerAddress, owner), cancellationToken);
        LogAdopted(logger, adopted, creatorId, owner);
        return adopted;
    }

    /// <summary>The signed-in account as lowercase 0x-hex, or null.</summary>
    private async Task<string?> OwnerAsync()
        => AuthClaims.AddressOf((await authentication.GetAuthenticationStateAsync()).User)?.ToLowerInvariant();

    public async IAsyncEnumerable<ImageJobView> WatchAsync(Guid id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var changes = feed.Subscribe(id);
        DateTimeOffset? marked = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var view = await GetJobAsync(id, cancellationToken);
            if (view is null)
            {
                yield break;
            }
            var now = clock.GetUtcNow();
            if (!view.IsFinished && (marked is null || now - marked >= WatchedRefresh))
            {
                await MarkWatchedAsync(id, now + WatchedFor, cancellationToken);
                marked = now;
            }
            yield return view;
            if (view.IsFinished)
            {
                yield break;
            }
            await changes.WaitAsync(WatchPoll, cancellationToken);
        }
    }

    /// <summary>Tells the worker that someone watches the job until <paramref name="until"/>; a failed write only costs previews.</summary>
    private async Task MarkWatchedAsync(Guid id, DateTimeOffset until, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            await db.ImageJobs.Where(j => j.Id == id).ExecuteUpdateAsync(set => set.SetProperty(j => j.WatchedUntil, until), cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            LogWatchMarkFailed(logger, ex, id);
        }
    }

    private static async Task<bool> IsDemoAsync(PortalDbContext db, ImageJob job, CancellationToken cancellationToken)
        => job.MinerId is not null && await db.MinerModels.AnyAsync(m => m.MinerId == job.MinerId && m.ModelId == job.ModelId && m.Demo, cancellationToken);

    private static async Task<HashSet<(string?, string)>> DemoMinersAsync(PortalDbContext db, List<ImageJob> jobs, CancellationToken cancellationToken)
    {
        var miners = jobs.Select(j => j.MinerId).OfType<string>().Distinct().ToList();
        var demo = await db.MinerModels.AsNoTracking()
            .Where(m => miners.Contains(m.MinerId) && m.Demo)
            .Select(m => new { m.MinerId, m.ModelId })
            .ToListAsync(cancellationToken);
        return [.. demo.Select(d => ((string?)d.MinerId, d.ModelId))];
    }

    public static ImageJobView ToView(ImageJob job, bool demo, bool minted = false)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new ImageJobView(
            job.Id,
            job.Prompt,
            job.NegativePrompt,
            job.ModelId,
            job.Width,
            job.Height,
            job.Steps,
            job.Guidance,
            job.Seed,
            job.Scheduler,
            job.State,
            job.ProgressStep,
            job.CreatedAt,
            job.StartedAt,
            job.CompletedAt,
            job.MinerId,
            job.ImageSha256,
            job.Points,
            job.Error,
            demo,
            job.State == ImageJobState.Running && job.Preview is { Length: > 0 } preview ? "data:image/png;base64," + Convert.ToBase64String(preview) : null,
            minted && job.ImageSha256 is { } sha256 ? NftTokenIds.FromImageSha256(sha256) : null);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Image job {JobId} queued on {Queue} as Hangfire job {HangfireJobId}")]
    private static partial void LogQueued(ILogger logger, Guid jobId, string queue, string hangfireJobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mark image job {JobId} as watched; its previews may pause")]
    private static partial void LogWatchMarkFailed(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} anonymous image jobs of browser {CreatorId} adopted by {Address}")]
    private static partial void LogAdopted(ILogger logger, int count, string creatorId, string address);
}
