using System.Numerics;
using System.Runtime.ExceptionServices;
using Heurist.Contracts.Deployment;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Chain;
using Heurist.Portal.Server.Infrastructure.Chain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nethereum.BlockchainProcessing.LogProcessing;
using Nethereum.BlockchainProcessing.Processor;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Heurist.Portal.Server.Features.ChainIndexing;

/// <summary>
/// Reads our contracts' events in block ranges and writes them to PostgreSQL. The cursor (the next block to read) is
/// locked and moved in the same transaction as the rows, so a crash or an RPC outage can neither skip nor repeat a
/// range, and two portal instances never index the same range twice.
/// </summary>
/// <remarks>
/// Nethereum's BlockchainProcessor keeps its progress through a repository it calls after each batch, outside any
/// transaction of ours, and decides the ranges itself. So only its lower-level parts run here, inside our transaction:
/// the <see cref="LogOrchestrator"/> fetches the range's logs (splitting it when the node refuses a large one), and the
/// cursor row, locked FOR UPDATE, moves when the rows it covers commit.
/// </remarks>
public sealed partial class ChainIndexer(
    IDbContextFactory<PortalDbContext> databases,
    IWeb3 web3,
    DeploymentManifest manifest,
    IOptions<ChainOptions> options,
    TimeProvider clock,
    ChainIndexerTelemetry telemetry,
    ILogger<ChainIndexer> logger)
{
    public const string CursorName = "chain-indexer";

    private readonly ChainLogDecoder _decoder = new(manifest);

    /// <summary>The block the indexer will read next, or null before its first range.</summary>
    public async Task<long?> NextBlockAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return (await db.ChainCursors.AsNoTracking().SingleOrDefaultAsync(c => c.Name == CursorName, cancellationToken))?.NextBlock;
    }

    /// <summary>
    /// Indexes the next range of confirmed blocks. Returns false when there was nothing new to read.
    /// Throws what Nethereum throws when the node fails; nothing is written then, and the next call retries the range.
    /// </summary>
    public async Task<bool> IndexNextRangeAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var head = (long)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().WaitAsync(cancellationToken)).Value;
        var confirmed = head - settings.Confirmations;

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var cursor = await LockCursorAsync(db, cancellationToken);
        if (cursor.NextBlock > confirmed)
        {
            telemetry.RecordLag(head - cursor.NextBlock + 1);
            return false;
        }

        var from = cursor.NextBlock;
        var to = Math.Min(from + settings.IndexerBatchBlocks - 1, confirmed);
        using var activity = ChainIndexerTelemetry.StartRange(from, to);
        var logs = await LogsAsync(from, to, settings.IndexerBatchBlocks, cancellationToken);

        var blockTimes = await BlockTimesAsync(logs.Select(l => l.BlockNumber.Value).Distinct(), cancellationToken);
        foreach (var log in logs.Where(l => !l.Removed))
        {
            if (_decoder.Decode(log, blockTimes[log.BlockNumber.Value]) is { } decoded)
            {
                await ChainProjection.ApplyAsync(db, decoded, cancellationToken);
            }
        }

        cursor.NextBlock = to + 1;
        cursor.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        telemetry.RangeCommitted(activity, from, to, logs.Count, head);
        LogRangeIndexed(logger, from, to, logs.Count, head - to);
        return true;
    }

    private async Task<List<FilterLog>> LogsAsync(long from, long to, int batchBlocks, CancellationToken cancellationToken)
    {
        var logs = new List<FilterLog>();
        var orchestrator = new LogOrchestrator(
            web3.Eth,
            [new ProcessorHandler<FilterLog>(log =>
            {
                logs.Add(log);
                return Task.CompletedTask;
            })],
            new NewFilterInput { Address = _decoder.Addresses },
            batchBlocks)
        {
            LogProcessStrategy = new LogProcessSequentialStrategy(),
        };
        var progress = await orchestrator.ProcessAsync(from, to, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (progress.HasErrored)
        {
            ExceptionDispatchInfo.Throw(progress.Exception);
        }
        if (progress.BlockNumberProcessTo != to)
        {
            throw new InvalidOperationException($"Reading the logs of blocks {from} to {to} stopped at block {progress.BlockNumberProcessTo}.");
        }
        // The orchestrator sorts each batch; across batches the ranges follow each other.
        return logs;
    }

    private async Task<ChainCursor> LockCursorAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        // Create the row once (another instance may do it at the same moment), then hold it for this transaction.
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO chain_cursors (name, next_block, updated_at) VALUES ({CursorName}, {(long)manifest.StartBlock}, {clock.GetUtcNow()}) ON CONFLICT (name) DO NOTHING",
            cancellationToken);
        return await db.ChainCursors
            .FromSqlInterpolated($"SELECT * FROM chain_cursors WHERE name = {CursorName} FOR UPDATE")
            .SingleAsync(cancellationToken);
    }

    private async Task<Dictionary<BigInteger, DateTimeOffset>> BlockTimesAsync(IEnumerable<BigInteger> blockNumbers, CancellationToken cancellationToken)
    {
        var times = new Dictionary<BigInteger, DateTimeOffset>();
        foreach (var number in blockNumbers)
        {
            var block = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(number)).WaitAsync(cancellationToken)
                ?? throw new InvalidOperationException($"The node has no block {number}, though it returned its logs.");
            times[number] = DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value);
        }
        return times;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Chain indexer committed blocks {From} to {To}: {Logs} logs, {Lag} blocks behind the head")]
    private static partial void LogRangeIndexed(ILogger logger, long from, long to, int logs, long lag);
}
