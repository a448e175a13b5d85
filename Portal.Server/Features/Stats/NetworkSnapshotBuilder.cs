using System.Numerics;
using Heurist.Contracts.Staking;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Chain;
using Heurist.Portal.Data.Miners;
using Heurist.Portal.Data.Network;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Network;
using Heurist.Protocol.Points;
using Heurist.Protocol.Rewards;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Server.Features.Stats;

/// <summary>
/// Builds a <see cref="NetworkSnapshot"/> from the rollup tables, the miners and the indexed chain state. Every query
/// reads a table whose size follows the number of miners or hours, never the number of jobs.
/// </summary>
public static class NetworkSnapshotBuilder
{
    public const int HoursCharted = 168;

    /// <summary>HEU and esHEU have 18 decimals; the indexer stores wei, the API whole tokens.</summary>
    public const decimal WeiPerToken = 1_000_000_000_000_000_000m;

    public static async Task<NetworkSnapshot> BuildAsync(PortalDbContext db, long version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var miners = await db.Miners.AsNoTracking().ToListAsync(cancellationToken);
        var summaries = await db.MinerSummaries.AsNoTracking().ToDictionaryAsync(s => s.MinerId, StringComparer.Ordinal, cancellationToken);
        var models = (await db.MinerModels.AsNoTracking().Select(m => new { m.MinerId, m.ModelId }).ToListAsync(cancellationToken))
            .ToLookup(m => m.MinerId, m => m.ModelId, StringComparer.Ordinal);
        var stakes = await StakesByMinerAsync(db, cancellationToken);
        var bribes = await db.BribeChanges.AsNoTracking()
            .GroupBy(b => b.MinerChainId)
            .Select(g => g.OrderByDescending(b => b.BlockNumber).ThenByDescending(b => b.LogIndex).First())
            .ToDictionaryAsync(b => b.MinerChainId, b => b.BasisPoints, StringComparer.Ordinal, cancellationToken);

        var history = await SettledHistoryAsync(db, cancellationToken);

        var ranked = miners
            .Select(m => (Miner: m, Summary: summaries.GetValueOrDefault(m.Id)))
            .OrderByDescending(m => m.Summary is null ? 0 : m.Summary.WaifuPoints + m.Summary.LlamaPoints)
            .ThenBy(m => m.Miner.Id, StringComparer.Ordinal)
            .ToList();
        var rows = new List<LeaderboardRow>(ranked.Count);
        var idsByChainId = new Dictionary<string, string>(ranked.Count, StringComparer.Ordinal);
        var outlooks = new Dictionary<string, MinerOutlookInput>(ranked.Count, StringComparer.Ordinal);
        foreach (var (miner, summary) in ranked)
        {
            var chainId = MinerChainId.Of(miner.Id);
            idsByChainId[chainId] = miner.Id;
            var stake = stakes.GetValueOrDefault(chainId);
            var bribe = bribes.GetValueOrDefault(chainId);
            var outlook = Outlook(history, chainId, stake, bribe, summary?.Uptime7d ?? 0);
            outlooks[miner.Id] = outlook;
            rows.Add(ToRow(rows.Count + 1, miner, summary, [.. models[miner.Id].Order(StringComparer.Ordinal)], stake, bribe, EstimateApr(outlook), now));
        }

        return new NetworkSnapshot
        {
            Version = version,
            AsOf = now,
            Stats = await BuildStatsAsync(db, rows, stakes, now, cancellationToken),
            Rows = rows,
            RowsById = rows.ToDictionary(r => r.MinerId, StringComparer.Ordinal),
            MinerIdsByChainId = idsByChainId,
            Outlooks = outlooks,
            EpochLengthSeconds = history.EpochLengthSeconds,
            GpuModels = [.. rows.Select(r => r.DeviceName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Models = [.. rows.SelectMany(r => r.Models).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>One miner's leaderboard row. Stakes are in wei; the row holds whole tokens.</summary>
    public static LeaderboardRow ToRow(
        int rank, Miner miner, MinerSummary? summary, IReadOnlyList<string> models, (decimal Heu, decimal EsHeu) stakeWei, int bribeBasisPoints,
        AprEstimate apr, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(miner);
        ArgumentNullException.ThrowIfNull(apr);
        var (heu, esHeu) = (stakeWei.Heu / WeiPerToken, stakeWei.EsHeu / WeiPerToken);
        return new LeaderboardRow(
            rank,
            miner.Id,
            miner.RewardAddress,
            miner.DeviceName,
            miner.DeviceKind,
            miner.MemoryBytes,
            models,
            summary?.Uptime24h ?? 0,
            summary?.Uptime7d ?? 0,
            summary?.JobsDone ?? 0,
            summary?.MedianLatencyMs,
            summary?.Points24h ?? 0,
            summary?.Points7d ?? 0,
            summary is null ? 0 : summary.WaifuPoints + summary.LlamaPoints,
            heu,
            esHeu,
            StakeEfficiency.For(heu + esHeu),
            bribeBasisPoints,
            MinerUptime.IsActive(miner.LastHeartbeatAt, miner.StoppedAt, now),
            apr.Apr,
            apr.Formula,
            apr.HasHistory,
            miner.ExecutionProvider,
            miner.ExecutionProviderReason);
    }

    /// <summary>The network's last <see cref="ExpectedApr.HistoryEpochs"/> settled epochs, and each miner's part of them.</summary>
    /// <param name="EpochLengthSeconds">The latest settled epoch's length; 0 when none is settled.</param>
    /// <param name="ByMiner">By on-chain miner id (lowercase).</param>
    public sealed record SettledHistory(ulong EpochLengthSeconds, ILookup<string, MinerEpochReward> ByMiner)
    {
        public static readonly SettledHistory None = new(0, Array.Empty<MinerEpochReward>().ToLookup(_ => ""));
    }

    /// <summary>
    /// The last <see cref="ExpectedApr.HistoryEpochs"/> settled epochs (Empty ones too: they take their place in the
    /// window with no rows) and the miners' rows in them. A miner without a row in an epoch had neither points nor the
    /// minimum stake then, and the epoch says nothing about its rate; a miner that had stake and no points has a row
    /// at reward 0 (EpochSettler stores it so).
    /// </summary>
    public static async Task<SettledHistory> SettledHistoryAsync(PortalDbContext db, CancellationToken cancellationToken, string? minerChainId = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var epochs = await db.EpochSettlements.AsNoTracking()
            .OrderByDescending(e => e.Epoch)
            .Take(ExpectedApr.HistoryEpochs)
            .Select(e => new { e.Epoch, e.StartsAt, e.EndsAt })
            .ToListAsync(cancellationToken);
        if (epochs.Count == 0)
        {
            return SettledHistory.None;
        }
        var oldest = epochs[^1].Epoch;
        var rows = await db.EpochMinerRewards.AsNoTracking()
            .Where(r => r.Epoch >= oldest && (minerChainId == null || r.MinerChainId == minerChainId))
            .Select(r => new { r.MinerChainId, r.Epoch, r.WaifuReward, r.LlamaReward, r.EfficiencyNumerator })
            .ToListAsync(cancellationToken);
        var length = (ulong)(epochs[0].EndsAt - epochs[0].StartsAt).TotalSeconds;
        return new SettledHistory(length, rows.ToLookup(
            r => r.MinerChainId,
            r => new MinerEpochReward((ulong)r.Epoch, ToWei(r.WaifuReward + r.LlamaReward), ToWei(r.EfficiencyNumerator)),
            StringComparer.Ordinal));
    }

    /// <summary>What a miner's expected APR is computed from: its settled epochs, its stake (wei) and bribe now, and its 7-day uptime.</summary>
    public static MinerOutlookInput Outlook(SettledHistory history, string minerChainId, (decimal Heu, decimal EsHeu) stakeWei, int bribeBasisPoints, double uptime7d)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new MinerOutlookInput(
            [.. history.ByMiner[minerChainId].OrderBy(e => e.Epoch)],
            Math.Clamp(bribeBasisPoints, 0, 10_000),
            ToWei(stakeWei.Heu + stakeWei.EsHeu),
            (long)Math.Clamp(Math.Round(uptime7d * 1_000_000), 0, 1_000_000),
            history.EpochLengthSeconds);
    }

    /// <summary><see cref="ExpectedApr.Estimate"/>, or "no history" before any epoch is settled (no epoch length yet).</summary>
    public static AprEstimate EstimateApr(MinerOutlookInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.EpochLengthSeconds == 0 ? MinerOutlook.NoSettledEpoch : ExpectedApr.Estimate(input);
    }

    private static BigInteger ToWei(decimal wei) => new(decimal.Truncate(wei));

    /// <summary>HEU and esHEU staked on each miner, in wei, by on-chain miner id.</summary>
    public static async Task<Dictionary<string, (decimal Heu, decimal EsHeu)>> StakesByMinerAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var totals = await db.Stakes.AsNoTracking()
            .GroupBy(s => new { s.MinerChainId, s.Kind })
            .Select(g => new { g.Key.MinerChainId, g.Key.Kind, Amount = g.Sum(s => s.Amount) })
            .ToListAsync(cancellationToken);
        return totals
            .GroupBy(t => t.MinerChainId, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (g.Where(t => t.Kind == StakeKind.Heu).Sum(t => t.Amount), g.Where(t => t.Kind == StakeKind.EsHeu).Sum(t => t.Amount)),
                StringComparer.Ordinal);
    }

    private static async Task<NetworkStats> BuildStatsAsync(
        PortalDbContext db, List<LeaderboardRow> rows, Dictionary<string, (decimal Heu, decimal EsHeu)> stakes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hour = NetworkRollups.HourOf(now);
        var firstCharted = hour.AddHours(-(HoursCharted - 1));
        var byModel = await db.NetworkHourly.AsNoTracking()
            .GroupBy(h => h.ModelId)
            .Select(g => new
            {
                ModelId = g.Key,
                Requests = g.Sum(h => h.Requests),
                Images = g.Sum(h => h.ImagesGenerated),
                Waifu = g.Sum(h => h.WaifuPoints),
                Llama = g.Sum(h => h.LlamaPoints),
            })
            .ToListAsync(cancellationToken);
        var perHour = await db.NetworkHourly.AsNoTracking()
            .Where(h => h.Hour >= firstCharted)
            .GroupBy(h => h.Hour)
            .Select(g => new { Hour = g.Key, Requests = g.Sum(h => h.Requests) })
            .ToDictionaryAsync(h => h.Hour, h => h.Requests, cancellationToken);
        var minted = await db.NftTokens.LongCountAsync(cancellationToken);
        var recent = await db.PointsCredits.AsNoTracking()
            .OrderByDescending(c => c.CreditedAt)
            .Take(10)
            .Join(db.ImageJobs, c => c.JobId, j => j.Id, (c, j) => new { c.JobId, j.ModelId, c.MinerId, c.CreditedAt, j.StartedAt })
            .ToListAsync(cancellationToken);

        var requestsAllTime = byModel.Sum(m => m.Requests);
        var active = rows.Where(r => r.Active).ToList();
        return new NetworkStats(
            now,
            requestsAllTime,
            perHour.Where(h => h.Key >= hour.AddHours(-23)).Sum(h => h.Value),
            active.Count,
            rows.Count,
            byModel.Sum(m => m.Waifu),
            byModel.Sum(m => m.Llama),
            byModel.Sum(m => m.Images),
            minted,
            stakes.Values.Sum(s => s.Heu) / WeiPerToken,
            stakes.Values.Sum(s => s.EsHeu) / WeiPerToken,
            [.. Enumerable.Range(0, HoursCharted).Select(i => firstCharted.AddHours(i)).Select(h => new HourlyRequests(h, perHour.GetValueOrDefault(h)))],
            [.. byModel
                .Where(m => m.Requests > 0)
                .OrderByDescending(m => m.Requests).ThenBy(m => m.ModelId, StringComparer.Ordinal)
                .Select(m => new ModelShare(m.ModelId, m.Requests, (double)m.Requests / requestsAllTime))],
            [.. active
                .GroupBy(r => r.DeviceName, StringComparer.Ordinal)
                .Select(g => new DeviceCount(g.Key, g.Count()))
                .OrderByDescending(d => d.ActiveWorkers).ThenBy(d => d.DeviceName, StringComparer.Ordinal)
                .Take(10)],
            [.. recent
                .OrderByDescending(r => r.CreditedAt)
                .Select(r => new RecentJob(r.JobId, r.ModelId, r.MinerId, r.CreditedAt, r.StartedAt is { } started ? (r.CreditedAt - started).TotalMilliseconds : 0))]);
    }
}
