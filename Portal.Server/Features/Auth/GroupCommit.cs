using System.Threading.Channels;

namespace Heurist.Portal.Server.Features.Auth;

/// <summary>
/// Group commit: requests that arrive while a statement is running wait, and the next statement writes all of them,
/// in one round trip and one transaction. Alone, a request is written at once; under load, PostgreSQL commits once per
/// batch instead of once per request (bench/auth.sh). One writer loop, started with the first item.
/// </summary>
public sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<(TItem Item, TaskCompletionSource<TResult> Done)> _queue =
        Channel.CreateUnbounded<(TItem, TaskCompletionSource<TResult>)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> _write;
    private readonly int _maxBatch;
    private readonly Lazy<Task> _loop;

    /// <param name="write">Writes a batch and answers one result per item, in order. It runs without a cancellation
    /// token: a batch holds several callers' items, and none of them can cancel the others'.</param>
    /// <param name="maxBatch">The most items one statement writes.</param>
    public GroupCommit(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> write, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _write = write;
        _maxBatch = maxBatch;
        _loop = new Lazy<Task>(() => Task.Run(RunAsync));
    }

    /// <summary>Queues <paramref name="item"/> for the next batch and waits for its result (or the batch's exception).</summary>
    public Task<TResult> SubmitAsync(TItem item, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite((item, done)), this);
        _ = _loop.Value;
        // The item may still be written after a caller gives up; the caller only stops waiting for it.
        return done.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var batch = new List<(TItem Item, TaskCompletionSource<TResult> Done)>(_maxBatch);
        var items = new List<TItem>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            batch.Clear();
            items.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                items.Add(next.Item);
            }
            try
            {
                var results = await _write(items).ConfigureAwait(false);
                if (results.Count != batch.Count)
                {
                    throw new InvalidOperationException($"A batch of {batch.Count} items was answered with {results.Count} results.");
                }
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                // Every waiter of a failed batch sees its failure, as it would have seen its own statement's.
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>Takes no more items, and waits for the queued ones to be written (each statement has its command timeout).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop.IsValueCreated)
        {
            await _loop.Value.ConfigureAwait(false);
        }
    }
}
