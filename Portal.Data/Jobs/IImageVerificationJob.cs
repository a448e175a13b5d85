using Hangfire;

namespace Heurist.Portal.Data.Jobs;

/// <summary>
/// Re-runs one image's recorded recipe by verification id and records whether it gave the same bytes. The portal
/// enqueues it on the queue named after the recipe's model, as it does image jobs; a worker that serves that model
/// implements it. Running it again after it finished changes nothing.
/// </summary>
public interface IImageVerificationJob
{
    // As for image jobs: what the recipe gives is recorded, so retries are only for a lost database connection.
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    Task RunAsync(Guid verificationId, CancellationToken cancellationToken);
}
