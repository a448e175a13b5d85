using Heurist.Protocol.Api.Network;
using Heurist.Protocol.Miners;

namespace Heurist.Portal.Client.Tests;

/// <summary>
/// An <see cref="INetworkClient"/> holding its answers in memory, for component tests: the real implementations
/// need a running portal, which the server and end-to-end tests cover.
/// </summary>
internal sealed class InMemoryNetworkClient(TimeProvider clock) : INetworkClient
{
    public List<OnlineWorker> Workers { get; } = [];

    public List<QueueStatus> Queues { get; } = [];

    /// <summary>When set, every read fails with it, as when the portal cannot be reached.</summary>
    public Exception? ReadFailure { get; set; }

    /// <summary>When set, starting a probe fails with it.</summary>
    public Exception? ProbeFailure { get; set; }

    /// <summary>The miner that completes probes; null leaves them waiting forever.</summary>
    public string? AnsweringMiner { get; set; }

    public List<StartProbeRequest> ProbeRequests { get; } = [];

    private ProbeStatus? _probe;

    public Task<IReadOnlyList<OnlineWorker>> GetOnlineWorkersAsync(CancellationToken cancellationToken = default)
        => ReadFailure is { } failure ? Task.FromException<IReadOnlyList<OnlineWorker>>(failure) : Task.FromResult<IReadOnlyList<OnlineWorker>>([.. Workers]);

    public Task<IReadOnlyList<QueueStatus>> GetQueuesAsync(CancellationToken cancellationToken = default)
        => ReadFailure is { } failure ? Task.FromException<IReadOnlyList<QueueStatus>>(failure) : Task.FromResult<IReadOnlyList<QueueStatus>>([.. Queues]);

    public Task<ProbeStatus> StartProbeAsync(StartProbeRequest request, CancellationToken cancellationToken = default)
    {
        ProbeRequests.Add(request);
        if (ProbeFailure is { } failure)
        {
            return Task.FromException<ProbeStatus>(failure);
        }
        _probe = new ProbeStatus(Guid.NewGuid(), request.Queue!, clock.GetUtcNow(), null, null, null);
        return Task.FromResult(_probe);
    }

    public Task<ProbeStatus?> GetProbeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        if (_probe is null || _probe.Id != id)
        {
            return Task.FromResult<ProbeStatus?>(null);
        }
        if (AnsweringMiner is { } miner)
        {
            _probe = _probe with
            {
                StartedAt = _probe.RequestedAt.AddMilliseconds(42),
                CompletedAt = _probe.RequestedAt.AddMilliseconds(45),
                MinerId = miner,
            };
        }
        return Task.FromResult<ProbeStatus?>(_probe);
    }

    public static OnlineWorker Worker(string id, DeviceKind deviceKind = DeviceKind.Cuda, string device = "NVIDIA GeForce RTX 4090", params string[] queues) => new(
        id,
        TestServices.RewardAddress,
        device,
        deviceKind,
        24L << 30,
        queues.Length == 0 ? ["default"] : queues,
        "host-" + id,
        "1.0.0",
        TestServices.Now.AddHours(-1),
        TestServices.Now.AddSeconds(-4));
}
