using Hangfire;
using Heurist.Protocol.Jobs;

namespace Heurist.Portal.Data.Jobs;

/// <summary>
/// Settles every ended epoch that is not settled yet, in order, and posts their roots. A recurring job of the portal,
/// run by the portal's own one-worker server on queue <see cref="JobQueues.Settlement"/>, which no worker serves.
/// Running it again changes nothing that is done; an epoch whose post failed is tried again.
/// </summary>
public interface IEpochSettlementJob
{
    /// <summary>The recurring job's id.</summary>
    const string RecurringJobId = "epoch-settlement";

    // The next scheduled run is the retry: an epoch left Computed is posted then, so Hangfire need not retry.
    [Queue(JobQueues.Settlement)]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    Task RunAsync(CancellationToken cancellationToken);
}
