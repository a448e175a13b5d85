using Heurist.Portal.Server.Features.Governance;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Allocation;

/// <summary>
/// Recomputes the model allocation every Allocation:RecomputeSeconds (<see cref="AllocationRecomputer"/>); 0 turns it
/// off, and the workers then keep their last assignment (or, never assigned, serve every model they hold).
/// </summary>
public sealed partial class AllocationService(
    AllocationRecomputer recomputer,
    IOptions<AllocationOptions> options,
    TimeProvider clock,
    ILogger<AllocationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.RecomputeSeconds;
        if (seconds == 0)
        {
            LogOff(logger);
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), clock);
        do
        {
            try
            {
                await recomputer.RecomputeAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The workers keep their assignment; the next tick tries again.
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model allocation is off (Allocation:RecomputeSeconds is 0): workers keep their last assignment")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recomputing the model allocation failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
