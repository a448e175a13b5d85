using Heurist.Contracts.Rpc;
using Heurist.Portal.Server.Infrastructure.Chain;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Heurist.Portal.Server.Features.ChainIndexing;

/// <summary>Runs the indexer for as long as the portal runs: catch up, then poll; back off while the node or database fails.</summary>
public sealed partial class ChainIndexerService(
    ChainIndexer indexer,
    IOptions<ChainOptions> options,
    TimeProvider clock,
    ILogger<ChainIndexerService> logger) : BackgroundService
{
    private static readonly TimeSpan LongestBackOff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.IndexerPollMilliseconds);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var progressed = await indexer.IndexNextRangeAsync(stoppingToken);
                if (failures > 0)
                {
                    LogRecovered(logger, failures);
                    failures = 0;
                }
                if (!progressed)
                {
                    await Task.Delay(poll, clock, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ChainRpc.IsRpcFailure(ex) || ex is NpgsqlException or TimeoutException or HttpRequestException or InvalidOperationException)
            {
                failures++;
                var backOff = TimeSpan.FromMilliseconds(Math.Min(LongestBackOff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 10))));
                LogFailed(logger, ex.Message, backOff);
                try
                {
                    await Task.Delay(backOff, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Chain indexer recovered after {Failures} failed attempts")]
    private static partial void LogRecovered(ILogger logger, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chain indexer failed ({Reason}); retrying in {BackOff}")]
    private static partial void LogFailed(ILogger logger, string reason, TimeSpan backOff);
}
