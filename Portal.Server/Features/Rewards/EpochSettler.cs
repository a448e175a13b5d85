using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Bindings.RewardsDistributor;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.Rewards;
using Heurist.Contracts.Rpc;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Rewards;
using Heurist.Portal.Server.Features.ChainIndexing;
using Heurist.Protocol.Api.Rewards;
using Heurist.Protocol.Chain;
using Heurist.Protocol.Rewards;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;

namespace Heurist.Portal.Server.Features.Rewards;

/// <summary>
/// Settles every ended epoch that is not settled yet, in order: computes it (<see cref="EpochSettlement"/>), stores
/// it, posts its root to RewardsDistributor signed by the settlement key, and marks it posted once the receipt is in.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Epoch e is [genesis + e·length, genesis + (e+1)·length) in chain time. It is settled once the indexer has
/// read a block whose timestamp is at or past its end, so every stake event before the end is in the database.</item>
/// <item>An epoch is computed once: a Computed row is never recomputed, only posted. Its row and leaves are written in
/// one transaction before anything is sent, with each miner's part (epoch_miner_rewards, for the expected APR): the
/// settled miners, and the idle miners with stake at reward 0.</item>
/// <item>Before sending, the chain is asked: a root already there (a crash after the post) is checked against ours and
/// the row marked posted; a stored transaction hash is waited for rather than sent again. The transaction is signed
/// first and its hash stored before it is broadcast.</item>
/// <item>A post that reverts records the decoded reason and stops the run; the next run tries again. Later epochs
/// wait, so epochs are posted in order.</item>
/// <item>An epoch nobody earned anything in is stored Empty and posts nothing.</item>
/// <item>One run at a time across every portal instance: a PostgreSQL advisory lock is held for the run.</item>
/// </list>
/// </remarks>
public sealed partial class EpochSettler(
    IDbContextFactory<PortalDbContext> databases,
    IWeb3 web3,
    DeploymentManifest manifest,
    IOptions<RewardsOptions> options,
    TimeProvider clock,
    ILogger<EpochSettler> logger)
{
    // Any constant that no other part of the portal uses as an advisory lock key.
    private const long RunLockKey = 0x48_45_55_5f_53_45_54_4c;

    private static readonly TimeSpan ReceiptWait = TimeSpan.FromMinutes(2);

    private readonly RewardsDistributorContract _distributor = new(web3, manifest.Contracts.RewardsDistributor);
    // Read once, under the run lock, so no two runs race to fill it.
    private ChainConstants? _constants;

    /// <summary>Runs one settlement pass and says what it did with each epoch it looked at.</summary>
    /// <exception cref="InvalidOperationException">Settlement is off (no Rewards:SettlementKey).</exception>
    public async Task<SettlementRun> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            throw new InvalidOperationException($"Epoch settlement is off: {RewardsOptions.SettlementKeySetting} is not set.");
        }

        await using var lockHolder = await databases.CreateDbContextAsync(cancellationToken);
        await lockHolder.Database.OpenConnectionAsync(cancellationToken);
        await lockHolder.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({RunLockKey})", cancellationToken);
        try
        {
            return await RunLockedAsync(settings, cancellationToken);
        }
        finally
        {
            await lockHolder.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({RunLockKey})", CancellationToken.None);
        }
    }

    private async Task<SettlementRun> RunLockedAsync(RewardsOptions settings, CancellationToken cancellationToken)
    {
        var constants = await ConstantsAsync();
        var done = new List<SettlementRunEpoch>();

        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var computed = await db.EpochSettlements.AsNoTracking()
                .Where(s => s.Status == EpochSettlementStatus.Computed)
                .OrderBy(s => s.Epoch)
                .Select(s => s.Epoch)
                .ToListAsync(cancellationToken);
            foreach (var epoch in computed)
            {
                var outcome = await PostAsync(epoch, settings, cancellationToken);
                done.Add(outcome);
                if (outcome.Status != RewardEpochStatus.Posted)
                {
                    return new SettlementRun(done, $"Epoch {epoch} is not posted yet; later epochs wait for it.");
                }
            }
        }

        var next = await NextEpochAsync(settings, cancellationToken);
        var latest = await BlockTimeAsync(BlockParameter.CreateLatest());
        var indexed = await IndexedBlockTimeAsync(cancellationToken);
        while (true)
        {
            var (start, end) = constants.Window(next);
            if (latest < end)
            {
                return new SettlementRun(done, $"Epoch {next} runs until {Format(end)} (chain time).");
            }
            if (indexed is null || indexed < end)
            {
                return new SettlementRun(done, $"Epoch {next} has ended; waiting for the indexer to read a block at or past {Format(end)}.");
            }

            var (record, hadPoints) = await ComputeAsync(next, start, end, constants, settings, cancellationToken);
            if (record.Status == EpochSettlementStatus.Empty)
            {
                var message = hadPoints
                    ? $"epoch {next}: nothing allocatable (no miner with points had the minimum stake, or the schedule had nothing left), nothing posted"
                    : $"epoch {next}: no points, nothing posted";
                LogEmpty(logger, message);
                done.Add(new SettlementRunEpoch(next, RewardEpochStatus.Empty, "empty", message, null, null));
            }
            else
            {
                var outcome = await PostAsync(next, settings, cancellationToken);
                done.Add(outcome);
                if (outcome.Status != RewardEpochStatus.Posted)
                {
                    return new SettlementRun(done, $"Epoch {next} is not posted yet; later epochs wait for it.");
                }
            }
            next++;
        }
    }

    private async Task<long> NextEpochAsync(RewardsOptions settings, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var last = await db.EpochSettlements.MaxAsync(s => (long?)s.Epoch, cancellationToken);
        return Math.Max(settings.FirstEpoch, last + 1 ?? 0);
    }

    private async Task<(EpochSettlementRecord Record, bool HadPoints)> ComputeAsync(
        long epoch, DateTimeOffset start, DateTimeOffset end, ChainConstants constants, RewardsOptions settings, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var miners = await EpochInputs.ReadAsync(db, epoch, start, end, cancellationToken);
        var budget = BigInteger.Zero;
        if (miners.Count > 0)
        {
            // The schedule is cumulative: what an earlier epoch left unminted is still available, but one epoch never
            // takes more than its own share.
            var latest = await BlockTimeAsync(BlockParameter.CreateLatest());
            var available = await _distributor.EmissionAllowedAsync(latest.ToUnixTimeSeconds()) - await _distributor.TotalEmittedAsync();
            budget = BigInteger.Max(BigInteger.Zero, BigInteger.Min(constants.EpochShare, available));
        }
        var result = EpochSettlement.Settle(new EpochSettlementInput((ulong)epoch, budget, settings.WaifuPoolBps, miners, settings.EsHeuShareBps));

        var record = new EpochSettlementRecord
        {
            Epoch = epoch,
            StartsAt = start,
            EndsAt = end,
            Budget = WeiAmounts.ToDecimal(result.BudgetWei),
            Unallocated = WeiAmounts.ToDecimal(result.Unallocated),
            HeuTotal = WeiAmounts.ToDecimal(result.HeuTotal),
            EsHeuTotal = WeiAmounts.ToDecimal(result.EsHeuTotal),
            LeafCount = result.Leaves.Count,
            ComputedAt = clock.GetUtcNow(),
            Status = result.IsEmpty ? EpochSettlementStatus.Empty : EpochSettlementStatus.Computed,
        };
        // Read before the transaction: the stake query opens and closes the connection itself.
        var idle = result.IsEmpty ? [] : await EpochInputs.IdleStakedAsync(db, epoch, end, [.. miners.Select(m => m.MinerId)], cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!result.IsEmpty)
        {
            AddMinerRewards(db, epoch, result, miners, idle);
            var leaves = result.Leaves.Select(l => new RewardLeaf(epoch, l.Account, l.Heu, l.EsHeu)).ToArray();
            var document = RewardTreeDocument.From(leaves);
            var tree = MerkleTree.Build(leaves);
            record.Root = document.Root;
            record.Tree = JsonSerializer.Serialize(document);
            for (var i = 0; i < leaves.Length; i++)
            {
                db.RewardLeaves.Add(new RewardLeafRecord
                {
                    Epoch = epoch,
                    Account = leaves[i].Account,
                    Heu = WeiAmounts.ToDecimal(leaves[i].Heu),
                    EsHeu = WeiAmounts.ToDecimal(leaves[i].EsHeu),
                    TreeIndex = tree.TreeIndexOf(i),
                    Proof = JsonSerializer.Serialize(tree.Proof(i).Select(p => p.ToHex(true))),
                });
            }
            LogComputed(logger, epoch, leaves.Length, record.Root, result.Allocated, result.Unallocated);
        }
        db.EpochSettlements.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (record, miners.Count > 0);
    }

    /// <summary>
    /// Each miner's part of the epoch, for the expected APR: every miner of the settlement, and every idle miner with
    /// stake at reward 0 (see <see cref="EpochInputs.IdleStakedAsync"/>).
    /// </summary>
    private static void AddMinerRewards(
        PortalDbContext db, long epoch, EpochSettlementResult result, IReadOnlyList<MinerEpochInput> miners, IReadOnlyList<MinerEpochInput> idle)
    {
        var bribes = miners.Concat(idle).ToDictionary(m => m.MinerId, m => m.BribeBps, StringComparer.OrdinalIgnoreCase);
        foreach (var miner in result.Miners)
        {
            db.EpochMinerRewards.Add(new EpochMinerRewardRecord
            {
                Epoch = epoch,
                MinerChainId = miner.MinerId.ToLowerInvariant(),
                RewardAddress = miner.RewardAddress,
                StakeWei = WeiAmounts.ToDecimal(miner.StakeWei),
                EfficiencyNumerator = WeiAmounts.ToDecimal(miner.EfficiencyNumerator),
                WaifuReward = WeiAmounts.ToDecimal(miner.WaifuReward),
                LlamaReward = WeiAmounts.ToDecimal(miner.LlamaReward),
                BribePaid = WeiAmounts.ToDecimal(miner.BribePaid),
                OwnerPaid = WeiAmounts.ToDecimal(miner.OwnerPaid),
                BribeBps = bribes.GetValueOrDefault(miner.MinerId),
            });
        }
        foreach (var miner in idle)
        {
            var stake = miner.Stakers.Aggregate(BigInteger.Zero, (sum, s) => sum + s.StakeWei);
            db.EpochMinerRewards.Add(new EpochMinerRewardRecord
            {
                Epoch = epoch,
                MinerChainId = miner.MinerId.ToLowerInvariant(),
                RewardAddress = miner.RewardAddress.ToLowerInvariant(),
                StakeWei = WeiAmounts.ToDecimal(stake),
                EfficiencyNumerator = WeiAmounts.ToDecimal(StakeEfficiencyWei.Numerator(stake)),
                BribeBps = miner.BribeBps,
            });
        }
    }

    /// <summary>Gets a Computed epoch's root onto the chain, or finds it there; never sends twice for one stored hash.</summary>
    private async Task<SettlementRunEpoch> PostAsync(long epoch, RewardsOptions settings, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var record = await db.EpochSettlements.SingleAsync(s => s.Epoch == epoch, cancellationToken);

        var onChain = (await _distributor.EpochRootAsync(epoch)).ToHex(true);
        if (onChain != ZeroRoot)
        {
            if (onChain != record.Root)
            {
                return await FailAsync(db, record, $"The chain already has root {onChain} for epoch {epoch}, not ours ({record.Root}): another key or database posted it.", cancellationToken);
            }
            record.PostTransactionHash ??= await RootPostedTransactionAsync(db, epoch, cancellationToken);
            return await MarkPostedAsync(db, record, "already-posted", $"epoch {epoch}: root {record.Root} was already on chain; marked posted", cancellationToken);
        }

        if (record.PostTransactionHash is { } sent)
        {
            var receipt = await WaitForReceiptAsync(sent, cancellationToken);
            if (receipt is null && await web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(sent) is not null)
            {
                return Outcome(record, "waiting", $"epoch {epoch}: postRoot transaction {sent} is not mined yet");
            }
            if (receipt?.Status?.Value == 1)
            {
                return await MarkPostedAsync(db, record, "posted", $"epoch {epoch}: root {record.Root} posted in {sent}", cancellationToken);
            }
            // Dropped, or mined and reverted: the root is not there (checked above), so send again.
            record.PostTransactionHash = null;
        }

        var signer = web3.As(settings.Key(), manifest.ChainId);
        var function = new PostRootFunction
        {
            Epoch = epoch,
            Root = record.Root!.HexToByteArray(),
            HeuTotal = WeiAmounts.ToBigInteger(record.HeuTotal),
            EsHeuTotal = WeiAmounts.ToBigInteger(record.EsHeuTotal),
        };
        var handler = signer.Eth.GetContractTransactionHandler<PostRootFunction>();
        string signed;
        try
        {
            var estimate = await handler.EstimateGasAsync(_distributor.Address, function);
            function.Gas = new HexBigInteger(estimate.Value + (estimate.Value + 4) / 5);
            signed = await handler.SignTransactionAsync(_distributor.Address, function);
        }
        catch (Exception ex) when (ChainRpc.TryGetRevertData(ex, out var data))
        {
            return await FailAsync(db, record, Describe(data), cancellationToken);
        }

        var hash = "0x" + Sha3Keccack.Current.CalculateHashFromHex(signed);
        record.PostTransactionHash = hash;
        record.LastError = null;
        await db.SaveChangesAsync(cancellationToken);
        await web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(signed.EnsureHexPrefix());
        var mined = await WaitForReceiptAsync(hash, cancellationToken);
        if (mined is null)
        {
            return Outcome(record, "waiting", $"epoch {epoch}: postRoot transaction {hash} is not mined yet");
        }
        if (mined.Status?.Value != 1)
        {
            record.PostTransactionHash = null;
            return await FailAsync(db, record, $"postRoot transaction {hash} reverted: {Describe(await ReplayAsync(function, signer, mined))}", cancellationToken);
        }
        return await MarkPostedAsync(db, record, "posted", $"epoch {epoch}: root {record.Root} posted in {hash}", cancellationToken);
    }

    private async Task<SettlementRunEpoch> MarkPostedAsync(PortalDbContext db, EpochSettlementRecord record, string action, string message, CancellationToken cancellationToken)
    {
        record.Status = EpochSettlementStatus.Posted;
        record.PostedAt = clock.GetUtcNow();
        record.LastError = null;
        await db.SaveChangesAsync(cancellationToken);
        LogPosted(logger, message);
        return Outcome(record, action, message);
    }

    private async Task<SettlementRunEpoch> FailAsync(PortalDbContext db, EpochSettlementRecord record, string reason, CancellationToken cancellationToken)
    {
        record.LastError = reason.Length > 1000 ? reason[..1000] : reason;
        await db.SaveChangesAsync(cancellationToken);
        LogPostFailed(logger, record.Epoch, reason);
        return Outcome(record, "failed", $"epoch {record.Epoch}: not posted: {reason}");
    }

    private static SettlementRunEpoch Outcome(EpochSettlementRecord record, string action, string message)
        => new(record.Epoch, RewardsService.StatusOf(record.Status), action, message, record.Root, record.PostTransactionHash);

    private static string Describe(byte[] revertData)
    {
        var reason = RevertReasons.Describe(revertData.ToHex(true));
        return reason.ErrorName is null ? reason.Message : $"{reason.ErrorName}: {reason.Message}";
    }

    // A receipt carries no revert data: replay the call on the state before its block.
    private static async Task<byte[]> ReplayAsync(PostRootFunction function, Web3 signer, TransactionReceipt receipt)
    {
        var call = function.CreateCallInput(receipt.To);
        call.From = signer.TransactionManager.Account.Address;
        try
        {
            await signer.Eth.Transactions.Call.SendRequestAsync(call, new BlockParameter(new HexBigInteger(receipt.BlockNumber.Value - 1)));
            return [];
        }
        catch (Exception ex) when (ChainRpc.TryGetRevertData(ex, out var data))
        {
            return data;
        }
    }

    private async Task<TransactionReceipt?> WaitForReceiptAsync(string hash, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + ReceiptWait;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            if (await web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(hash) is { } receipt)
            {
                return receipt;
            }
            if (clock.GetUtcNow() >= deadline || await web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(hash) is null)
            {
                return null;
            }
            await Task.Delay(delay, clock, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(1_000, delay.TotalMilliseconds * 2));
        }
    }

    private static async Task<string?> RootPostedTransactionAsync(PortalDbContext db, long epoch, CancellationToken cancellationToken)
    {
        var text = epoch.ToString(CultureInfo.InvariantCulture);
        return await db.ChainEvents
            .FromSql($"SELECT * FROM chain_events WHERE contract = 'RewardsDistributor' AND name = 'RootPosted' AND arguments->>'epoch' = {text}")
            .Select(e => e.TransactionHash)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<DateTimeOffset> BlockTimeAsync(BlockParameter block)
    {
        var header = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(block)
            ?? throw new InvalidOperationException($"The node has no block {block.BlockNumber?.Value.ToString(CultureInfo.InvariantCulture) ?? "latest"}.");
        return DateTimeOffset.FromUnixTimeSeconds((long)header.Timestamp.Value);
    }

    /// <summary>The timestamp of the last block the indexer has read, or null before its first range.</summary>
    private async Task<DateTimeOffset?> IndexedBlockTimeAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var cursor = await db.ChainCursors.AsNoTracking().SingleOrDefaultAsync(c => c.Name == ChainIndexer.CursorName, cancellationToken);
        if (cursor is null || cursor.NextBlock <= (long)manifest.StartBlock)
        {
            return null;
        }
        return await BlockTimeAsync(new BlockParameter(new HexBigInteger(cursor.NextBlock - 1)));
    }

    private async Task<ChainConstants> ConstantsAsync()
    {
        if (_constants is null)
        {
            var staking = new MinerStakingContract(web3, manifest.Contracts.MinerStaking);
            _constants = new ChainConstants(
                (long)await staking.GenesisAsync(),
                (long)await staking.EpochLengthAsync(),
                await _distributor.MiningEmissionAsync(),
                await _distributor.EmissionDurationAsync());
        }
        return _constants;
    }

    private static string Format(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private const string ZeroRoot = "0x0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>What never changes on chain: the epoch clock and the emission schedule.</summary>
    private sealed record ChainConstants(long Genesis, long EpochLength, BigInteger MiningEmission, BigInteger EmissionDuration)
    {
        /// <summary>One epoch's share of the schedule: MINING_EMISSION · length / EMISSION_DURATION.</summary>
        public BigInteger EpochShare => MiningEmission * EpochLength / EmissionDuration;

        public (DateTimeOffset Start, DateTimeOffset End) Window(long epoch)
            => (DateTimeOffset.FromUnixTimeSeconds(Genesis + epoch * EpochLength), DateTimeOffset.FromUnixTimeSeconds(Genesis + (epoch + 1) * EpochLength));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    private static partial void LogEmpty(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch {Epoch} computed: {Leaves} leaves, root {Root}, {Allocated} wei allocated, {Unallocated} wei unallocated")]
    private static partial void LogComputed(ILogger logger, long epoch, int leaves, string root, BigInteger allocated, BigInteger unallocated);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    private static partial void LogPosted(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Epoch {Epoch}'s root was not posted: {Reason}; the next run tries again")]
    private static partial void LogPostFailed(ILogger logger, long epoch, string reason);
}
