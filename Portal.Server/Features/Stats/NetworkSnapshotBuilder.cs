using Heurist.Contracts.Staking;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Chain;
using Heurist.Portal.Data.Miners;
using Heurist.Portal.Data.Network;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Network;
using Heurist.Protocol.Points;
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

        var ranked = miners
            .Select(m => (Miner: m, Summary: summaries.GetValueOrDefault(m.Id)))
            .OrderByDescending(m => m.Summary is null ? 0 : m.Summary.WaifuPoints + m.Summary.LlamaPoints)
            .ThenBy(m => m.Miner.Id, StringComparer.Ordinal)
            .ToList();
        var rows = new List<LeaderboardRow>(ranked.Count);
        var idsByChainId = new Dictionary<string, string>(ranked.Count, StringComparer.Ordinal);
        foreach (var (miner, summary) in ranked)
        {
            var chainId = MinerChainId.Of(miner.Id);
            idsByChainId[chainId] = miner.Id;
            rows.Add(ToRow(rows.Count + 1, miner, summary, [.. models[miner.Id].Order(StringComparer.Ordinal)],
                stakes.GetValueOrDefault(chainId), bribes.GetValueOrDefault(chainId), now));
        }

        return new NetworkSnapshot
        {
            Version = version,
            AsOf = now,
            Stats = await BuildStatsAsync(db, rows, stakes, now, cancellationToken),
            Rows = rows,
            RowsById = rows.ToDictionary(r => r.MinerId, StringComparer.Ordinal),
            MinerIdsByChainId = idsByChainId,
            GpuModels = [.. rows.Select(r => r.DeviceName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Models = [.. rows.SelectMany(r => r.Models).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>One miner's leaderboard row. Stakes are in wei; the row holds whole tokens.</summary>
    public static LeaderboardRow ToRow(
        int rank, Miner miner, MinerSummary? summary, IReadOnlyList<string> models, (decimal Heu, decimal EsHeu) stakeWei, int bribeBasisPoints, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(miner);
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
            MinerUptime.IsActive(miner.LastHeartbeatAt, miner.StoppedAt, now));
    }

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
