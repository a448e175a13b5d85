using System.Diagnostics;
using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.Options;

namespace Heurist.Inference.Worker.Mining;

/// <summary>
/// Owns the worker's Hangfire server and switches its queues when the assignment changes, in the same process.
/// </summary>
/// <remarks>
/// A Hangfire server's queues are fixed when it is created, so a switch replaces the server. What Hangfire 1.8 does
/// when a server stops (read in its source, BackgroundProcessingServer and Worker): SendStop cancels the server's
/// stopping token at once, and its workers fetch no new job; the stopped token follows StopTimeout later, and a running
/// job's CancellationToken is tied to that stopped token (and to the job being deleted or requeued elsewhere), not to
/// the stopping one; ShutdownTimeout later still, the shutdown token aborts what is left. A job that throws
/// OperationCanceledException once the server is stopped goes back to its queue.
/// <para>So every server here is created with StopTimeout = Worker:DrainSeconds: a switch sends stop (no new job is
/// taken from the old queues), waits with WaitForShutdownAsync until the running jobs have finished, then starts the
/// server on the new queues, so Worker:Concurrency is never exceeded. A job still running after DrainSeconds is
/// cancelled and requeued for another worker. Stopping the worker works the same way: the host waits for the running
/// jobs, up to DrainSeconds.</para>
/// </remarks>
public sealed partial class JobServerHost(
    JobStorage storage,
    IServiceScopeFactory scopes,
    QueueAssignment assignment,
    MinerRegistry registry,
    IOptions<WorkerOptions> options,
    ILogger<JobServerHost> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private BackgroundJobServer? _server;
    private bool _stopSent;
    private Task? _loop;

    /// <summary>Extra time after DrainSeconds for the last state changes of a cancelled job before the server gives up.</summary>
    internal static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(10);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var queues = assignment.Wanted;
        lock (_gate)
        {
            _server = Create(queues);
        }
        assignment.Report(queues, null);
        LogServing(logger, registry.MinerId, Describe(queues));
        _loop = FollowAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        BackgroundJobServer? server;
        lock (_gate)
        {
            server = _server;
            if (server is not null && !_stopSent)
            {
                server.SendStop();
                _stopSent = true;
            }
        }
        if (server is not null)
        {
            await server.WaitForShutdownAsync(cancellationToken);
        }
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var wanted in assignment.WishesAsync(cancellationToken))
            {
                var serving = assignment.Serving ?? [];
                if (WorkerQueues.SameQueues(wanted, serving))
                {
                    continue;
                }
                try
                {
                    await SwitchAsync(serving, wanted, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The old server is kept (stopped) until a new one starts; the next heartbeat's wish tries again.
                    LogSwitchFailed(logger, ex, registry.MinerId, Describe(wanted));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The worker is stopping; StopAsync stops whichever server is there, draining or not.
        }
    }

    private async Task SwitchAsync(IReadOnlyList<string> from, IReadOnlyList<string> to, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        BackgroundJobServer? old;
        lock (_gate)
        {
            old = _server;
            if (old is not null)
            {
                old.SendStop();
                _stopSent = true;
            }
        }
        if (old is not null)
        {
            LogSwitching(logger, registry.MinerId, Describe(from), Describe(to), options.Value.DrainSeconds);
            assignment.Report(from, from);
            await old.WaitForShutdownAsync(cancellationToken);
        }
        lock (_gate)
        {
            _server = Create(to);
            _stopSent = false;
        }
        old?.Dispose();
        assignment.Report(to, null);
        LogSwitched(logger, registry.MinerId, Describe(to), watch.Elapsed.TotalSeconds);
    }

    /// <summary>A Hangfire server on <paramref name="queues"/>; null when there is no queue to serve (Hangfire needs one).</summary>
    private BackgroundJobServer? Create(IReadOnlyList<string> queues)
    {
        if (queues.Count == 0)
        {
            return null;
        }
        var worker = options.Value;
        var drain = TimeSpan.FromSeconds(worker.DrainSeconds);
        return new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                ServerName = $"{worker.MinerId}:{registry.InstanceId:N}",
                Queues = [.. queues],
                WorkerCount = worker.Concurrency,
                StopTimeout = drain,
                ShutdownTimeout = drain + ShutdownMargin,
                Activator = new AspNetCoreJobActivator(scopes),
            },
            storage);
    }

    private static string Describe(IReadOnlyList<string> queues) => queues.Count == 0 ? "no queue" : string.Join(", ", queues);

    [LoggerMessage(Level = LogLevel.Information, Message = "Miner {MinerId} serves {Queues}")]
    private static partial void LogServing(ILogger logger, string minerId, string queues);

    [LoggerMessage(Level = LogLevel.Information, Message = "Miner {MinerId} switches from {From} to {To}: it takes no new job and finishes the running ones first (for up to {DrainSeconds} s)")]
    private static partial void LogSwitching(ILogger logger, string minerId, string from, string to, int drainSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Miner {MinerId} could not switch to {Queues}; it tries again with the next heartbeat")]
    private static partial void LogSwitchFailed(ILogger logger, Exception exception, string minerId, string queues);

    [LoggerMessage(Level = LogLevel.Information, Message = "Miner {MinerId} now serves {Queues} (switched in {Seconds:0.0} s, without a restart)")]
    private static partial void LogSwitched(ILogger logger, string minerId, string queues, double seconds);

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _server?.Dispose();
            _server = null;
        }
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }
}
