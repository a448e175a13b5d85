using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;

namespace Heurist.Portal.Client.Tests.Features.Studio;

/// <summary>
/// An <see cref="IStudioClient"/> holding models, jobs and progress in memory, for component tests: the real
/// implementations need a running portal and workers, which the server and end-to-end tests cover. A test pushes
/// every progress report a watcher sees, so the page's live updates can be checked one report at a time.
/// </summary>
internal sealed class InMemoryStudioClient : IStudioClient
{
    /// <summary>The seed a job gets when its spec asks for a random one.</summary>
    public const long RandomSeed = 4_242_424_242;

    private readonly ConcurrentDictionary<Guid, ImageJobView> _jobs = new();
    private readonly ConcurrentDictionary<Guid, Channel<ImageJobView>> _feeds = new();
    private readonly ConcurrentQueue<Guid> _watched = new();
    private readonly ConcurrentQueue<Guid> _cancelRequests = new();
    private readonly ConcurrentQueue<(string CreatorId, ImageJobSpec Spec)> _submitted = new();
    private readonly ConcurrentQueue<ImageJobView> _created = new();
    private readonly ConcurrentQueue<string> _galleryRequests = new();

    public List<StudioModel> Models { get; } = [Sd15()];

    /// <summary>The creator's jobs, newest first, as the portal would return them.</summary>
    public List<ImageJobView> Gallery { get; } = [];

    /// <summary>When set, submitting fails with it, as when the portal refuses the spec.</summary>
    public Exception? SubmitFailure { get; set; }

    /// <summary>When set, loading the gallery fails with it.</summary>
    public Exception? GalleryFailure { get; set; }

    /// <summary>When set, cancelling fails with it.</summary>
    public Exception? CancelFailure { get; set; }

    public IReadOnlyList<(string CreatorId, ImageJobSpec Spec)> Submitted => [.. _submitted];

    /// <summary>The jobs accepted specs became, as first returned.</summary>
    public IReadOnlyList<ImageJobView> Created => [.. _created];

    public IReadOnlyList<string> GalleryRequests => [.. _galleryRequests];

    public IReadOnlyList<Guid> CancelRequests => [.. _cancelRequests];

    /// <summary>The jobs a watcher subscribed to, in order.</summary>
    public IReadOnlyList<Guid> Watched => [.. _watched];

    public Task<IReadOnlyList<StudioModel>> GetModelsAsync(CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<StudioModel>>([.. Models]);

    public Task<ImageJobView> SubmitAsync(string creatorId, ImageJobSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _submitted.Enqueue((creatorId, spec));
        if (SubmitFailure is { } failure)
        {
            return Task.FromException<ImageJobView>(failure);
        }
        var model = Models.Single(m => m.Id == spec.ModelId);
        var job = Job(
            spec.Prompt!.Trim(),
            ImageJobState.Queued,
            modelId: model.Id,
            width: spec.Width ?? model.DefaultWidth,
            height: spec.Height ?? model.DefaultHeight,
            steps: spec.Steps ?? model.DefaultSteps) with
        {
            NegativePrompt = spec.NegativePrompt?.Trim() ?? "",
            Guidance = spec.Guidance ?? model.DefaultGuidance,
            Seed = spec.Seed ?? RandomSeed,
            Scheduler = spec.Scheduler ?? model.DefaultScheduler,
        };
        _jobs[job.Id] = job;
        _created.Enqueue(job);
        return Task.FromResult(job);
    }

    public Task<ImageJobView?> GetJobAsync(Guid id, CancellationToken cancellationToken = default)
        => Task.FromResult(_jobs.GetValueOrDefault(id));

    /// <summary>
    /// Like the portal: a queued job is cancelled at once; a running one only has its cancellation requested, and its
    /// worker stops it later (the test pushes the cancelled view).
    /// </summary>
    public Task<ImageJobView?> CancelAsync(Guid id, CancellationToken cancellationToken = default)
    {
        _cancelRequests.Enqueue(id);
        if (CancelFailure is { } failure)
        {
            return Task.FromException<ImageJobView?>(failure);
        }
        if (!_jobs.TryGetValue(id, out var job))
        {
            return Task.FromResult<ImageJobView?>(null);
        }
        if (job.State == ImageJobState.Queued)
        {
            job = Push(id, queued => queued with { State = ImageJobState.Canceled, CompletedAt = TestServices.Now });
        }
        return Task.FromResult<ImageJobView?>(job);
    }

    public Task<IReadOnlyList<ImageJobView>> GetGalleryAsync(string creatorId, int limit, CancellationToken cancellationToken = default)
    {
        _galleryRequests.Enqueue(creatorId);
        if (GalleryFailure is { } failure)
        {
            return Task.FromException<IReadOnlyList<ImageJobView>>(failure);
        }
        foreach (var job in Gallery)
        {
            _jobs.TryAdd(job.Id, job);
        }
        return Task.FromResult<IReadOnlyList<ImageJobView>>([.. Gallery.Take(limit)]);
    }

    public async IAsyncEnumerable<ImageJobView> WatchAsync(Guid id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _watched.Enqueue(id);
        await foreach (var view in Feed(id).Reader.ReadAllAsync(cancellationToken))
        {
            yield return view;
        }
    }

    /// <summary>
    /// Reports the job's next view, made from the last one this client knows, to whoever watches it. A finished view
    /// ends the watch, as the portal's does.
    /// </summary>
    public ImageJobView Push(Guid id, Func<ImageJobView, ImageJobView> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var view = change(_jobs[id]);
        _jobs[id] = view;
        var feed = Feed(id);
        feed.Writer.TryWrite(view);
        if (view.IsFinished)
        {
            feed.Writer.TryComplete();
        }
        return view;
    }

    /// <summary>Changes what the portal knows of a job without telling its watchers (as when their feed is down).</summary>
    public void SetJob(ImageJobView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        _jobs[view.Id] = view;
    }

    /// <summary>Ends the job's watch without a finished view; with an error, as when the connection drops.</summary>
    public void EndWatch(Guid id, Exception? error = null) => Feed(id).Writer.TryComplete(error);

    private Channel<ImageJobView> Feed(Guid id) => _feeds.GetOrAdd(id, _ => Channel.CreateUnbounded<ImageJobView>());

    /// <summary>Stable Diffusion 1.5 as the default catalog describes it.</summary>
    public static StudioModel Sd15(int workersOnline = 1, bool demo = false) => new(
        "sd15", "Stable Diffusion 1.5", 512, 512, 25, 7.5, "euler-ancestral", 8, 256, 1024, 256, 1024,
        ["euler", "euler-ancestral", "ddim", "lcm"], 0.3m, workersOnline, demo);

    /// <summary>Stable Diffusion XL as the default catalog describes it.</summary>
    public static StudioModel Sdxl(int workersOnline = 1, bool demo = false) => new(
        "sdxl", "Stable Diffusion XL", 1024, 1024, 30, 7, "euler", 8, 512, 2048, 512, 2048,
        ["euler", "euler-ancestral", "ddim", "lcm"], 1m, workersOnline, demo);

    /// <summary>A job as the portal reports it in <paramref name="state"/>: a finished one has its times, a succeeded one its image and points.</summary>
    public static ImageJobView Job(
        string prompt,
        ImageJobState state = ImageJobState.Succeeded,
        string modelId = "sd15",
        int width = 512,
        int height = 512,
        int steps = 25,
        int progressStep = 0)
    {
        var started = state is ImageJobState.Queued ? (DateTimeOffset?)null : TestServices.Now.AddSeconds(-20);
        var finished = state is ImageJobState.Succeeded or ImageJobState.Failed or ImageJobState.Canceled;
        var succeeded = state == ImageJobState.Succeeded;
        return new ImageJobView(
            Guid.NewGuid(),
            prompt,
            "",
            modelId,
            width,
            height,
            steps,
            7.5,
            RandomSeed,
            "euler-ancestral",
            state,
            succeeded ? steps : progressStep,
            TestServices.Now.AddSeconds(-30),
            started,
            finished ? TestServices.Now : null,
            started is null ? null : "rig-4090",
            succeeded ? Sha256(prompt) : null,
            succeeded ? 0.3m : null,
            state == ImageJobState.Failed ? "the worker ran out of memory" : null,
            false,
            null);
    }

    /// <summary>A content hash like the one the portal names images by.</summary>
    public static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}
