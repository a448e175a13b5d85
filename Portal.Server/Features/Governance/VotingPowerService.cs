using System.Globalization;
using System.Numerics;
using Heurist.Contracts.Bindings.MinerStaking;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.Rpc;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Governance;
using Heurist.Portal.Server.Features.ChainIndexing;
using Heurist.Portal.Server.Infrastructure.Chain;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Npgsql;
using TokenBalanceOf = Heurist.Contracts.Bindings.HeuristToken.BalanceOfFunction;

namespace Heurist.Portal.Server.Features.Governance;

/// <summary>
/// An address's voting power at a block, as the space counts it:
/// <c>power = HeuWeight × HEU.balanceOf + EsHeuWeight × esHEU.balanceOf + StakedHeuWeight × Σ stakeOf(HEU) + StakedEsHeuWeight × Σ stakeOf(esHEU)</c>,
/// in whole tokens (wei / 10^18), each part read with eth_call at that block, so a transfer, stake or unstake after the
/// block changes nothing.
/// <para>
/// MinerStaking keeps stake per (staker, miner, kind) and has no per-account total, so the staked parts are the sum
/// of <c>stakeOf(address, minerId, kind)</c> over every position the address ever had: every row of the indexer's
/// <c>stakes</c> table for it (a position emptied by unstaking keeps its row, at 0), plus, for the blocks the indexer
/// has not read yet (from its cursor to the block), the <c>Staked</c> and <c>StakeTransferred</c> logs whose indexed
/// staker is the address, read with eth_getLogs. Stake can only arrive on a miner through those two events, so no
/// position is missed however far the indexer lags; a position that began after the block reads 0 there.
/// </para>
/// <para>
/// The two balances and every stakeOf go to the node as JSON-RPC batches of <see cref="CallsPerBatch"/> eth_calls,
/// sent in parallel. A reading is kept in <c>voting_power_readings</c> by (address, block), in wei per part, written
/// with ON CONFLICT DO NOTHING so that two readers of the same pair agree on the first; a past block never changes, so
/// it is read from the chain once. The weights (Governance:*Weight) are applied when a reading is used, so a change of
/// weights needs no new reads. A block above the chain's latest is refused. The node must keep the state of the block
/// (anvil keeps every block; on a public chain, an archive node).
/// </para>
/// </summary>
public sealed class VotingPowerService(
    IDbContextFactory<PortalDbContext> databases,
    IWeb3 web3,
    DeploymentManifest manifest,
    IOptions<GovernanceOptions> options,
    IOptions<ChainOptions> chain,
    TimeProvider clock)
{
    /// <summary>The most eth_calls in one JSON-RPC batch.</summary>
    public const int CallsPerBatch = 100;

    /// <summary>The title of a refused address or block.</summary>
    public const string InvalidTitle = "The voting power query is invalid.";

    private const decimal WeiPerToken = 1_000_000_000_000_000_000m;

    private const byte HeuKind = 0;

    private long _reachedBlock = -1;

    /// <summary>The chain's latest block.</summary>
    /// <exception cref="ApiException">503: the chain cannot be asked.</exception>
    public async Task<long> LatestBlockAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (long)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().WaitAsync(cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (Exception ex) when (IsChainFailure(ex, cancellationToken))
        {
            throw Unavailable("the chain's latest block", ex);
        }
    }

    /// <summary>The power of <paramref name="address"/> at <paramref name="block"/> with the space's weights.</summary>
    /// <exception cref="ApiException">400: a malformed address, a negative block or one above the latest; 503: the chain cannot be asked.</exception>
    public async Task<VotingPowerView> GetAsync(string address, long block, CancellationToken cancellationToken)
        => View(await ReadAsync(address, block, cancellationToken));

    /// <summary>The weighted total of a reading, in tokens.</summary>
    public decimal Total(VotingPowerReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var w = options.Value;
        return (w.HeuWeight * Tokens(reading.HeuWei)) + (w.EsHeuWeight * Tokens(reading.EsHeuWei))
            + (w.StakedHeuWeight * Tokens(reading.StakedHeuWei)) + (w.StakedEsHeuWeight * Tokens(reading.StakedEsHeuWei));
    }

    /// <summary>A reading in tokens, with the weights and the weighted total.</summary>
    public VotingPowerView View(VotingPowerReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return new VotingPowerView(reading.Address, reading.Block, Tokens(reading.HeuWei), Tokens(reading.EsHeuWei),
            Tokens(reading.StakedHeuWei), Tokens(reading.StakedEsHeuWei), Total(reading), options.Value.Weights);
    }

    /// <summary>The four parts in wei at <paramref name="block"/>: from the cache, or read from the chain and kept.</summary>
    /// <exception cref="ApiException">See <see cref="GetAsync"/>.</exception>
    public async Task<VotingPowerReading> ReadAsync(string address, long block, CancellationToken cancellationToken)
    {
        var (reading, unsaved) = await ReadUnsavedAsync(address, block, cancellationToken).ConfigureAwait(false);
        if (unsaved)
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection()) { BatchCommands = { SaveCommand(reading) } };
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
        return reading;
    }

    /// <summary>
    /// Keeps a reading that <see cref="ReadUnsavedAsync"/> took from the chain, as a command for a caller's own batch
    /// (the hub stores it in the round trip that stores the vote). Two readers of one pair agree on the first.
    /// </summary>
    public static NpgsqlBatchCommand SaveCommand(VotingPowerReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return new NpgsqlBatchCommand(
            """
            INSERT INTO voting_power_readings (address, block, heu_wei, es_heu_wei, staked_heu_wei, staked_es_heu_wei, read_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
            """)
        {
            Parameters =
            {
                new() { Value = reading.Address }, new() { Value = reading.Block }, new() { Value = reading.HeuWei }, new() { Value = reading.EsHeuWei },
                new() { Value = reading.StakedHeuWei }, new() { Value = reading.StakedEsHeuWei }, new() { Value = reading.ReadAt },
            },
        };
    }

    /// <summary>
    /// The four parts in wei at <paramref name="block"/>, from the cache or the chain, and whether it came from the
    /// chain now and is not kept yet (see <see cref="SaveCommand"/>).
    /// </summary>
    /// <exception cref="ApiException">See <see cref="GetAsync"/>.</exception>
    public async Task<(VotingPowerReading Reading, bool Unsaved)> ReadUnsavedAsync(string address, long block, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (!IsAddress(address))
        {
            errors.Add("address", "address must be 0x and 40 hex digits.");
        }
        if (block < 0)
        {
            errors.Add("block", "block must be 0 or more.");
        }
        if (!errors.IsValid)
        {
            throw ApiException.Invalid(InvalidTitle, errors);
        }
        var account = address.ToLowerInvariant();
        var stored = await ReadStoredAsync(account, block, cancellationToken).ConfigureAwait(false);
        if (stored.Reading is { } cached)
        {
            return (cached, false);
        }

        // A block at or below one the chain has reached needs no question; only one above it asks for the latest again.
        var latest = Volatile.Read(ref _reachedBlock);
        if (block > latest)
        {
            latest = await LatestBlockAsync(cancellationToken).ConfigureAwait(false);
            InterlockedMax(ref _reachedBlock, latest);
        }
        if (block > latest)
        {
            throw ApiException.Invalid(InvalidTitle, new FieldErrors().Add("block",
                string.Create(CultureInfo.InvariantCulture, $"block {block} is above the chain's latest block {latest}; power can only be read at a block that exists.")));
        }
        var positions = await PositionsAsync(account, block, stored, cancellationToken).ConfigureAwait(false);
        var values = await CallAsync(account, positions, block, cancellationToken).ConfigureAwait(false);
        var reading = new VotingPowerReading
        {
            Address = account,
            Block = block,
            HeuWei = values[0],
            EsHeuWei = values[1],
            StakedHeuWei = positions.Select((p, i) => p.Kind == HeuKind ? values[2 + i] : 0m).Sum(),
            StakedEsHeuWei = positions.Select((p, i) => p.Kind != HeuKind ? values[2 + i] : 0m).Sum(),
            ReadAt = clock.GetUtcNow(),
        };
        return (reading, true);
    }

    /// <summary>What the database holds for a reading, in one round trip: the kept reading, the indexer's cursor and the account's stake rows.</summary>
    private sealed record StoredState(VotingPowerReading? Reading, long? IndexedTo, List<(string MinerId, byte Kind)> Positions);

    private async Task<StoredState> ReadStoredAsync(string account, long block, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection())
            {
                BatchCommands =
                {
                    new("SELECT heu_wei, es_heu_wei, staked_heu_wei, staked_es_heu_wei, read_at FROM voting_power_readings WHERE address = $1 AND block = $2")
                    {
                        Parameters = { new() { Value = account }, new() { Value = block } },
                    },
                    new("SELECT next_block FROM chain_cursors WHERE name = $1") { Parameters = { new() { Value = ChainIndexer.CursorName } } },
                    new("SELECT miner_chain_id, kind FROM stakes WHERE staker = $1") { Parameters = { new() { Value = account } } },
                },
            };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            VotingPowerReading? reading = null;
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                reading = new VotingPowerReading
                {
                    Address = account,
                    Block = block,
                    HeuWei = reader.GetDecimal(0),
                    EsHeuWei = reader.GetDecimal(1),
                    StakedHeuWei = reader.GetDecimal(2),
                    StakedEsHeuWei = reader.GetDecimal(3),
                    ReadAt = reader.GetFieldValue<DateTimeOffset>(4),
                };
            }
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            long? indexedTo = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt64(0) : null;
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            var positions = new List<(string MinerId, byte Kind)>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                positions.Add((reader.GetString(0), (byte)reader.GetInt16(1)));
            }
            return new StoredState(reading, indexedTo, positions);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Every (minerId, kind) the account ever staked on, up to <paramref name="block"/> at least.</summary>
    private async Task<List<(string MinerId, byte Kind)>> PositionsAsync(string account, long block, StoredState stored, CancellationToken cancellationToken)
    {
        var positions = new HashSet<(string MinerId, byte Kind)>(stored.Positions);
        var indexedTo = stored.IndexedTo;

        var from = indexedTo ?? (long)manifest.StartBlock;
        if (from <= block)
        {
            var staking = manifest.Contracts.MinerStaking;
            var staked = web3.Eth.GetEvent<StakedEventDTO>(staking);
            var transferred = web3.Eth.GetEvent<StakeTransferredEventDTO>(staking);
            var step = chain.Value.IndexerBatchBlocks;
            try
            {
                for (var start = from; start <= block; start += step)
                {
                    var end = Math.Min(block, start + step - 1);
                    var (low, high) = (Block(start), Block(end));
                    var stakes = await staked.GetAllChangesAsync(staked.CreateFilterInput(account, low, high)).WaitAsync(cancellationToken).ConfigureAwait(false);
                    var moves = await transferred.GetAllChangesAsync(transferred.CreateFilterInput(account, low, high)).WaitAsync(cancellationToken).ConfigureAwait(false);
                    positions.UnionWith(stakes.Select(e => (e.Event.MinerId.ToHex(true), e.Event.Kind)));
                    positions.UnionWith(moves.Select(e => (e.Event.ToMiner.ToHex(true), e.Event.Kind)));
                }
            }
            catch (Exception ex) when (IsChainFailure(ex, cancellationToken))
            {
                throw Unavailable($"the stake events of {account}", ex);
            }
        }
        return [.. positions.OrderBy(p => p.MinerId, StringComparer.Ordinal).ThenBy(p => p.Kind)];
    }

    /// <summary>HEU.balanceOf, esHEU.balanceOf, then stakeOf per position, in wei, all at <paramref name="block"/>.</summary>
    private async Task<decimal[]> CallAsync(string account, List<(string MinerId, byte Kind)> positions, long block, CancellationToken cancellationToken)
    {
        var contracts = manifest.Contracts;
        CallInput[] calls =
        [
            new TokenBalanceOf { Account = account }.CreateCallInput(contracts.HeuristToken),
            new TokenBalanceOf { Account = account }.CreateCallInput(contracts.EscrowedHeurist),
            .. positions.Select(p => new StakeOfFunction { Staker = account, MinerId = p.MinerId.HexToByteArray(), Kind = p.Kind }.CreateCallInput(contracts.MinerStaking)),
        ];
        var at = Block(block);
        try
        {
            var batches = await Task.WhenAll(calls.Chunk(CallsPerBatch)
                .Select(chunk => web3.Eth.Transactions.Call.SendBatchRequestAsync(chunk, at).WaitAsync(cancellationToken))).ConfigureAwait(false);
            return [.. batches.SelectMany(b => b).Select(Wei)];
        }
        catch (Exception ex) when (IsChainFailure(ex, cancellationToken))
        {
            throw Unavailable($"the balances and stake of {account} at block {block}", ex);
        }
    }

    // A contract that did not exist yet at the block answers nothing: no balance.
    private static decimal Wei(string? answer)
        => answer is null || answer.Length <= 2 ? 0m : (decimal)new BigInteger(answer.HexToByteArray(), isUnsigned: true, isBigEndian: true);

    private static decimal Tokens(decimal wei) => wei / WeiPerToken;

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }

    private static BlockParameter Block(long number) => new(new HexBigInteger(number));

    private static ApiException Unavailable(string what, Exception ex)
        => new(StatusCodes.Status503ServiceUnavailable, $"The chain could not be asked for {what}: {ex.Message}");

    private static bool IsChainFailure(Exception ex, CancellationToken cancellationToken)
        => ChainRpc.IsRpcFailure(ex) || ex is HttpRequestException or TimeoutException or Nethereum.JsonRpc.Client.RpcResponseBatchException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>0x and 40 hex digits, in any case.</summary>
    public static bool IsAddress(string? text)
        => text is { Length: 42 } && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && text[2..].All(char.IsAsciiHexDigit);
}
