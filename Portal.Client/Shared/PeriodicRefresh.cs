namespace Heurist.Portal.Client.Shared;

/// <summary>Runs a page's refresh on a timer until the page goes away (its token is canceled).</summary>
public static class PeriodicRefresh
{
    public static async Task RunAsync(TimeSpan interval, TimeProvider clock, Func<Task> refresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refresh);
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await refresh();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
