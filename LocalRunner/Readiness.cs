using System.Diagnostics;
using System.Net;

namespace Heurist.LocalRunner;

/// <summary>Waiting for what the runner, the tests and the benchmarks start, while watching that it does not die first.</summary>
public static class Readiness
{
    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Returns once <paramref name="condition"/> holds. Throws <see cref="ChildProcessExitedException"/> when one of
    /// <paramref name="watched"/> exits first, and <see cref="TimeoutException"/> after <paramref name="limit"/>;
    /// both messages carry the watched processes' last lines.
    /// </summary>
    public static async Task WaitUntilAsync(
        Func<Task<bool>> condition,
        IReadOnlyCollection<ChildProcess> watched,
        TimeSpan limit,
        TimeSpan? pollInterval = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(watched);
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watched.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                // HasExited turns true before the last lines of output are read; waiting for the exit also waits for
                // the output to end, so the exception carries the process's last words.
                await exited.WaitForExitAsync(cancellationToken);
                throw new ChildProcessExitedException(exited);
            }
            if (elapsed.Elapsed > limit)
            {
                var output = string.Join(Environment.NewLine, watched.Select(p => $"{p.Name}: {p.RecentOutput}"));
                throw new TimeoutException($"Not ready within {limit.TotalSeconds:0} s. {output}".TrimEnd());
            }
            await Task.Delay(pollInterval ?? DefaultPollInterval, cancellationToken);
        }
    }

    /// <summary>Returns once <paramref name="process"/> has exited; throws <see cref="TimeoutException"/>, with its last lines, after <paramref name="limit"/>.</summary>
    public static async Task WaitForExitAsync(ChildProcess process, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The {process.Name} did not exit within {limit.TotalSeconds:0} s. {process.RecentOutput}".TrimEnd());
        }
    }

    /// <summary>Returns once the host at <paramref name="baseUrl"/> answers /health/ready with 200, as <see cref="WaitUntilAsync"/> does.</summary>
    public static async Task WaitUntilHealthyAsync(Uri baseUrl, ChildProcess host, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var ready = new Uri(baseUrl, "health/ready");
        await WaitUntilAsync(
            async () =>
            {
                try
                {
                    using var response = await http.GetAsync(ready, cancellationToken);
                    return response.StatusCode == HttpStatusCode.OK;
                }
                // Not listening yet, or too busy starting to answer within the client's timeout.
                catch (HttpRequestException)
                {
                    return false;
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return false;
                }
            },
            [host],
            limit,
            TimeSpan.FromMilliseconds(250),
            cancellationToken);
    }
}

/// <summary>A process that exited while something waited for it to become ready.</summary>
public sealed class ChildProcessExitedException(ChildProcess process)
    : Exception($"The {process.Name} exited with code {process.ExitCode}: {process.RecentOutput}")
{
    public ChildProcess Process { get; } = process;
}
