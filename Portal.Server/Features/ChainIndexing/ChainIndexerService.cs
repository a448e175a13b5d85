using Heurist.Contracts.Rpc;
using Heurist.Portal.Server.Infrastructure.Chain;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Heurist.Portal.Server.Features.ChainIndexing;

/// <summary>Runs the indexer for as long as the portal runs: catch up, then poll; back off while the node or database fails.</summary>
public sealed class ChainIndexerService(
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
                    logger.LogInformation("Chain indexer recovered after {Failures} failed attempts", failures);
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
            catch (Exception ex) when (ex is RpcException or NpgsqlException or TimeoutException or HttpRequestException or InvalidOperationException)
            {
                failures++;
                var backOff = TimeSpan.FromMilliseconds(Math.Min(LongestBackOff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 10))));
                logger.LogWarning("Chain indexer failed ({Reason}); retrying in {BackOff}", ex.Message, backOff);
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
}
