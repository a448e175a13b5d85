namespace Heurist.Protocol.Api.Network;

/// <summary>
/// Live facts about the network. The server implements it from the database and the job storage;
/// WebAssembly implements it over the REST API, so components work in every render mode.
/// </summary>
public interface INetworkClient
{
    Task<IReadOnlyList<OnlineWorker>> GetOnlineWorkersAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<QueueStatus>> GetQueuesAsync(CancellationToken cancellationToken = default);

    /// <summary>Enqueues a dispatch probe. Throws <see cref="ApiException"/> with the field errors when the request is refused.</summary>
    Task<ProbeStatus> StartProbeAsync(StartProbeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Returns the probe, or null when there is none with this id.</summary>
    Task<ProbeStatus?> GetProbeAsync(Guid id, CancellationToken cancellationToken = default);
}
