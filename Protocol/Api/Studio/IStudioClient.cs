using Heurist.Protocol.Jobs;

namespace Heurist.Protocol.Api.Studio;

/// <summary>
/// The Studio's service: models, submitting and cancelling jobs, watching their progress, and a creator's gallery.
/// The server implements it directly; WebAssembly over the REST API and the job progress hub.
/// </summary>
public interface IStudioClient
{
    Task<IReadOnlyList<StudioModel>> GetModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Validates and queues a job for the creator (a browser's id for now, see <see cref="CreatorIds"/>). Throws
    /// <see cref="ApiException"/> with every field error when the spec or the creator id is refused.
    /// </summary>
    Task<ImageJobView> SubmitAsync(string creatorId, ImageJobSpec spec, CancellationToken cancellationToken = default);

    Task<ImageJobView?> GetJobAsync(Guid id, CancellationToken cancellationToken = default);

    Task<ImageJobView?> CancelAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The creator's jobs, newest first.</summary>
    Task<IReadOnlyList<ImageJobView>> GetGalleryAsync(string creatorId, int limit, CancellationToken cancellationToken = default);

    /// <summary>The job as it changes, until it finishes: one view per progress report, the last one finished.</summary>
    IAsyncEnumerable<ImageJobView> WatchAsync(Guid id, CancellationToken cancellationToken = default);
}
