using Heurist.Portal.Server.Features.Auth;

namespace Heurist.Portal.Server.Tests.Features.Auth;

/// <summary>The group commit under the nonce store: items that wait together are written together, each gets its own answer.</summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task Items_queued_while_a_batch_is_written_go_into_the_next_batch_together_and_each_gets_its_own_result()
    {
        var ct = TestContext.Current.CancellationToken;
        var firstBatchStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirstBatch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new List<int[]>();
        await using var commit = new GroupCommit<int, string>(async items =>
        {
            lock (batches)
            {
                batches.Add([.. items]);
            }
            if (batches.Count == 1)
            {
                firstBatchStarted.SetResult();
                await releaseFirstBatch.Task;
            }
            return [.. items.Select(i => $"item {i}")];
        }, maxBatch: 4);

        var first = commit.SubmitAsync(0, ct);
        await firstBatchStarted.Task.WaitAsync(ct);
        var waiting = Enumerable.Range(1, 6).Select(i => commit.SubmitAsync(i, ct)).ToArray();
        releaseFirstBatch.SetResult();

        Assert.Equal("item 0", await first);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"item {i}"), await Task.WhenAll(waiting));
        Assert.Equal([[0], [1, 2, 3, 4], [5, 6]], batches);
    }

    [Fact]
    public async Task A_failed_batch_fails_each_of_its_waiters_and_the_next_batch_is_written_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var calls = 0;
        await using var commit = new GroupCommit<int, int>(items =>
            Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("the database went away")
                : Task.FromResult<IReadOnlyList<int>>([.. items.Select(i => i * 2)]), maxBatch: 8);

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => commit.SubmitAsync(1, ct));
        Assert.Equal("the database went away", failed.Message);
        Assert.Equal(6, await commit.SubmitAsync(3, ct));
    }

    [Fact]
    public async Task A_writer_that_answers_the_wrong_number_of_results_fails_the_batch_instead_of_misassigning_them()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var commit = new GroupCommit<int, int>(_ => Task.FromResult<IReadOnlyList<int>>([]), maxBatch: 8);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => commit.SubmitAsync(1, ct));
        Assert.Contains("1 items was answered with 0 results", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_writes_what_is_queued_and_then_refuses_new_items()
    {
        var ct = TestContext.Current.CancellationToken;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var written = new List<int>();
        var commit = new GroupCommit<int, bool>(async items =>
        {
            await release.Task;
            lock (written)
            {
                written.AddRange(items);
            }
            return [.. items.Select(_ => true)];
        }, maxBatch: 2);
        var queued = Enumerable.Range(0, 5).Select(i => commit.SubmitAsync(i, ct)).ToArray();

        var disposing = commit.DisposeAsync().AsTask();
        release.SetResult();
        await disposing;

        Assert.All(await Task.WhenAll(queued), Assert.True);
        Assert.Equal([0, 1, 2, 3, 4], written.Order());
        Assert.Throws<ObjectDisposedException>(() => { _ = commit.SubmitAsync(9, ct); });
    }
}
