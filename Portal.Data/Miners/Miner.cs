using Heurist.Protocol.Miners;

namespace Heurist.Portal.Data.Miners;

/// <summary>A worker process that has registered itself as a miner, with its device and its last heartbeat.</summary>
public sealed class Miner
{
    public required string Id { get; set; }

    /// <summary>Where the miner's rewards go (0x address).</summary>
    public required string RewardAddress { get; set; }

    /// <summary>The GPU's name when inference runs on CUDA, otherwise the CPU model.</summary>
    public required string DeviceName { get; set; }

    public required DeviceKind DeviceKind { get; set; }

    /// <summary>The ONNX Runtime execution provider its sessions run on (CUDAExecutionProvider, CPUExecutionProvider); empty before a worker reported one.</summary>
    public string ExecutionProvider { get; set; } = "";

    /// <summary>Why that provider: "CUDA device 0", or why not CUDA ("libcudnn.so.9 not found", "Worker:Device is cpu").</summary>
    public string ExecutionProviderReason { get; set; } = "";

    /// <summary>GPU memory on CUDA, system memory on the CPU.</summary>
    public long MemoryBytes { get; set; }

    /// <summary>The job queues this miner serves.</summary>
    public required List<string> Queues { get; set; }

    public required string HostName { get; set; }

    public required string WorkerVersion { get; set; }

    /// <summary>Changes every time the worker process starts; tells one run from the next.</summary>
    public Guid InstanceId { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastHeartbeatAt { get; set; }

    /// <summary>Set when the worker shut down cleanly; cleared when it starts again.</summary>
    public DateTimeOffset? StoppedAt { get; set; }

    /// <summary>
    /// The models the allocation service wants this miner to serve now, among those it holds; the worker reads it in
    /// its heartbeat's reply and switches its queues. Null: no assignment, serve every model held.
    /// </summary>
    public List<string>? AssignedModels { get; set; }

    public DateTimeOffset? AssignedAt { get; set; }
}
