using Hangfire;

namespace Heurist.Portal.Data.Jobs;

/// <summary>
/// The probe job as both hosts see it: the portal enqueues it by this interface, a worker implements it.
/// Jobs carry ids only; the worker loads the row. The queue is chosen per probe, so there is no [Queue] here.
/// </summary>
public interface IDispatchProbeJob
{
    /// <summary>Marks the probe as run by this miner. Running it again after it completed changes nothing.</summary>
    // A probe measures one dispatch; retrying it would measure something else.
    [AutomaticRetry(Attempts = 0)]
    Task RunAsync(Guid probeId, CancellationToken cancellationToken);
}
