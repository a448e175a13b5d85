using System.Text.Json.Serialization;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Miners;

namespace Heurist.Protocol.Api.Network;

/// <summary>A miner whose worker has sent a heartbeat recently.</summary>
public sealed record OnlineWorker(
    string MinerId,
    string RewardAddress,
    string DeviceName,
    DeviceKind DeviceKind,
    long MemoryBytes,
    IReadOnlyList<string> Queues,
    string HostName,
    string WorkerVersion,
    DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeatAt)
{
    /// <summary>
    /// The models the worker holds (loaded and registered), by id. <see cref="Queues"/> says which of them it serves
    /// now: the model allocation may have assigned it only some.
    /// </summary>
    public IReadOnlyList<string> Models { get; init; } = [];
}

/// <summary>A job queue: jobs waiting, jobs being run, and how many online workers serve it.</summary>
public sealed record QueueStatus(string Name, long Waiting, long Running, int OnlineWorkers);

/// <summary>Asks a worker to run a no-op job on <see cref="Queue"/>, to measure dispatch.</summary>
public sealed record StartProbeRequest(string? Queue);

/// <summary>A dispatch probe and, once a worker has run it, who did and how long it took.</summary>
public sealed record ProbeStatus(
    Guid Id,
    string Queue,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string? MinerId)
{
    [JsonIgnore]
    public bool IsCompleted => CompletedAt is not null;

    /// <summary>From the request to the moment a worker started the job.</summary>
    [JsonIgnore]
    public TimeSpan? DispatchLatency => StartedAt - RequestedAt;
}

/// <summary>The rules a probe request must meet, shared by the API and the interactive page.</summary>
public static class StartProbeRequestRules
{
    /// <summary>The title of a refused probe request.</summary>
    public const string InvalidTitle = "The probe request is invalid.";

    /// <summary>What is wrong with the request, by field ("body", "queue"); empty when it is valid.</summary>
    public static FieldErrors Validate(StartProbeRequest? request)
    {
        var errors = new FieldErrors();
        if (request is null)
        {
            errors.Add("body", "A JSON body {\"queue\": \"default\"} is required.");
        }
        else if (JobQueues.Validate(request.Queue) is { } queueError)
        {
            errors.Add("queue", $"queue {queueError}");
        }
        return errors;
    }
}
