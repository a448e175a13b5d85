using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Heurist.Portal.Server.Features.Studio;

/// <summary>
/// In-process fan-out of image job changes: the PostgreSQL listener publishes a job id, and everyone watching that
/// job wakes up. A signal only says "look again"; the watcher reads the job itself, so missed or merged signals lose nothing.
/// </summary>
public sealed class JobProgressFeed
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Channel<bool>, byte>> _watchers = new();

    public void Publish(Guid jobId)
    {
        if (_watchers.TryGetValue(jobId, out var channels))
        {
            foreach (var channel in channels.Keys)
            {
                channel.Writer.TryWrite(true);
            }
        }
    }

    /// <summary>A subscription to one job's changes; dispose it to stop watching.</summary>
    public Subscription Subscribe(Guid jobId)
    {
        // One pending signal is enough: the watcher reads the latest state when it wakes.
        var channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        _watchers.GetOrAdd(jobId, _ => new()).TryAdd(channel, 0);
        return new Subscription(this, jobId, channel);
    }

    public sealed class Subscription(JobProgressFeed feed, Guid jobId, Channel<bool> channel) : IDisposable
    {
        /// <summary>Waits for the next change, or gives up after <paramref name="timeout"/> (returns false).</summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                return await channel.Reader.ReadAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        public void Dispose()
        {
            if (feed._watchers.TryGetValue(jobId, out var channels))
            {
                channels.TryRemove(channel, out _);
                if (channels.IsEmpty)
                {
                    feed._watchers.TryRemove(new KeyValuePair<Guid, ConcurrentDictionary<Channel<bool>, byte>>(jobId, channels));
                }
            }
        }
    }
}
