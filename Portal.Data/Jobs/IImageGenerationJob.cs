using Hangfire;

namespace Heurist.Portal.Data.Jobs;

/// <summary>
/// Runs one image job by id. The portal enqueues it on the queue named after the job's model; a worker that
/// serves that model implements it. Running it again after it finished changes nothing.
/// </summary>
public interface IImageGenerationJob
{
    // A worker that dies mid-job leaves the job to be fetched again; a failure in the pipeline itself is
    // recorded on the job, so retries are only for what a retry can fix (a lost database connection).
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    Task RunAsync(Guid imageJobId, CancellationToken cancellationToken);
}
