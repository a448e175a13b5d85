using Microsoft.Extensions.Options;
using Npgsql;

namespace Heurist.Inference.Worker.Mining;

/// <summary>
/// Loads the models and registers the miner before the job server starts (it is registered first), then sends a heartbeat every
/// Worker:HeartbeatSeconds, whose reply (the models to serve) the registry hands to <see cref="QueueAssignment"/>, and
/// marks the miner stopped on a clean shutdown.
/// </summary>
public sealed partial class MinerHeartbeatService(
    MinerRegistry registry,
    QueueAssignment assignment,
    IOptions<WorkerOptions> options,
    ILogger<MinerHeartbeatService> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var assigned = await registry.RegisterAsync(cancellationToken);
        LogRegistered(logger, registry.MinerId, registry.InstanceId, string.Join(", ", registry.HeldModels), assigned is null ? "none" : string.Join(", ", assigned), string.Join(", ", assignment.Wanted));
        _loop = BeatAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        try
        {
            await registry.MarkStoppedAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // The portal will see the miner go offline when its heartbeats stop; nothing is lost.
            LogStopFailed(logger, registry.MinerId, ex.Message);
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await registry.HeartbeatAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    // A database outage must not stop the worker; the next beat tries again.
                    LogHeartbeatFailed(logger, registry.MinerId, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Miner {MinerId} registered (instance {InstanceId}) holding {Models}, assigned {Assigned}: queues {Queues}")]
    private static partial void LogRegistered(ILogger logger, string minerId, Guid instanceId, string models, string assigned, string queues);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of miner {MinerId} failed: {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string minerId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mark miner {MinerId} stopped: {Reason}")]
    private static partial void LogStopFailed(ILogger logger, string minerId, string reason);

    public ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }
}
