using System.Threading.Channels;

namespace Heurist.Inference.Worker.Mining;

/// <summary>
/// The queues this worker is told to serve and the ones it serves now. The heartbeat sets the first from the portal's
/// reply; <see cref="JobServerHost"/> follows it and reports the second, which the heartbeat writes back to the miner's row.
/// </summary>
public sealed class QueueAssignment
{
    // Only the latest wish matters: one that arrives while a switch is under way replaces any older one still waiting.
    private readonly Channel<IReadOnlyList<string>> _wishes = Channel.CreateBounded<IReadOnlyList<string>>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private volatile IReadOnlyList<string> _wanted = [];
    private volatile IReadOnlyList<string>? _serving;
    private volatile IReadOnlyList<string>? _draining;

    /// <summary>The queues last asked for.</summary>
    public IReadOnlyList<string> Wanted => _wanted;

    /// <summary>
    /// The queues of the job server now: the one taking jobs, or while a switch finishes the running jobs, the one
    /// finishing them (its model is still the one at work). Null before the job server starts.
    /// </summary>
    public IReadOnlyList<string>? Serving => _serving;

    /// <summary>The queues of a server that takes no new job and is finishing its running ones before a switch; null when none is.</summary>
    public IReadOnlyList<string>? Draining => _draining;

    /// <summary>What the miner's row should say it serves: <see cref="Serving"/>, or before the job server starts, <see cref="Wanted"/>.</summary>
    public IReadOnlyList<string> Reported => _serving ?? _wanted;

    /// <summary>Asks for <paramref name="queues"/> to be served; the job server switches to them if they differ from its own.</summary>
    public void Want(IReadOnlyList<string> queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        _wanted = queues;
        _wishes.Writer.TryWrite(queues);
    }

    /// <summary>Every wish, latest first when several arrive while the reader is busy.</summary>
    internal IAsyncEnumerable<IReadOnlyList<string>> WishesAsync(CancellationToken cancellationToken) => _wishes.Reader.ReadAllAsync(cancellationToken);

    internal void Report(IReadOnlyList<string>? serving, IReadOnlyList<string>? draining)
    {
        _serving = serving;
        _draining = draining;
    }
}
