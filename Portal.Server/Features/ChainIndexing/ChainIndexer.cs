using Heurist.Contracts.Deployment;
using Heurist.Contracts.Rpc;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Chain;
using Heurist.Portal.Server.Infrastructure.Chain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.ChainIndexing;

/// <summary>
/// Reads our contracts' events in block ranges and writes them to PostgreSQL. The cursor (the next block to read) is
/// locked and moved in the same transaction as the rows, so a crash or an RPC outage can neither skip nor repeat a
/// range, and two portal instances never index the same range twice.
/// </summary>
public sealed class ChainIndexer(
    IDbContextFactory<PortalDbContext> databases,
    EthereumRpcClient rpc,
    DeploymentManifest manifest,
    IOptions<ChainOptions> options,
    TimeProvider clock)
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
    /// Throws <see cref="RpcException"/> when the node fails; nothing is written then, and the next call retries the range.
    /// </summary>
    public async Task<bool> IndexNextRangeAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var head = (long)await rpc.GetBlockNumberAsync(cancellationToken);
        var confirmed = head - settings.Confirmations;

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var cursor = await LockCursorAsync(db, cancellationToken);
        if (cursor.NextBlock > confirmed)
        {
            return false;
        }

        var to = Math.Min(cursor.NextBlock + settings.IndexerBatchBlocks - 1, confirmed);
        var logs = await rpc.GetLogsAsync(new LogFilter
        {
            FromBlock = (ulong)cursor.NextBlock,
            ToBlock = (ulong)to,
            Addresses = _decoder.Addresses,
        }, cancellationToken);

        var blockTimes = await BlockTimesAsync(logs.Select(l => l.BlockNumber).Distinct(), cancellationToken);
        foreach (var log in logs.Where(l => !l.Removed).OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex))
        {
            if (_decoder.Decode(log, blockTimes[log.BlockNumber]) is { } decoded)
            {
                await ChainProjection.ApplyAsync(db, decoded, cancellationToken);
            }
        }

        cursor.NextBlock = to + 1;
        cursor.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
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

    private async Task<Dictionary<ulong, DateTimeOffset>> BlockTimesAsync(IEnumerable<ulong> blockNumbers, CancellationToken cancellationToken)
    {
        var times = new Dictionary<ulong, DateTimeOffset>();
        foreach (var number in blockNumbers)
        {
            var block = await rpc.GetBlockAsync(number, cancellationToken)
                ?? throw new RpcTransportException(rpc.Endpoint, $"has no block {number}, though it returned its logs");
            times[number] = block.Time;
        }
        return times;
    }
}
