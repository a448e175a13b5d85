using System.Security.Cryptography;
using System.Text.Json;
using Heurist.Contracts.Staking;
using Heurist.Portal.Data;
using Heurist.Portal.Server.Features.Rewards;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Network;
using MinerOutlookInput = Heurist.Protocol.Rewards.MinerOutlookInput;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Stats;

/// <summary>
/// The server's <see cref="INetworkStatsClient"/>. Stats and the leaderboard come from the current snapshot; a miner's
/// page reads that miner's rollup rows once per snapshot and keeps them until the next.
/// </summary>
public sealed class NetworkStatsService(
    NetworkSnapshotService snapshots,
    IDbContextFactory<PortalDbContext> databases,
    IMemoryCache cache,
    IOptions<PortalOptions> portalOptions,
    IOptions<RewardsOptions> rewardsOptions,
    IOptions<JsonOptions> jsonOptions) : INetworkStatsClient
{
    public const int DaysCharted = 30;

    private const int BribesShown = 100;

    public async Task<NetworkStats> GetStatsAsync(CancellationToken cancellationToken = default)
        => (await snapshots.GetAsync(cancellationToken)).Stats;

    public async Task<LeaderboardPage> GetLeaderboardAsync(LeaderboardQuery query, CancellationToken cancellationToken = default)
    {
        LeaderboardQueryRules.EnsureValid(query);
        return Page(await snapshots.GetAsync(cancellationToken), query);
    }

    public async Task<MinerDetails?> GetMinerAsync(string minerId, CancellationToken cancellationToken = default)
        => (await GetCachedMinerAsync(minerId, cancellationToken)).Details;

    /// <summary>/api/stats, serialized once per snapshot.</summary>
    public async Task<JsonBody> GetStatsBodyAsync(CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.GetAsync(cancellationToken);
        return snapshot.Body("stats", () => Serialize(snapshot.Stats));
    }

    /// <summary>A leaderboard page, serialized once per snapshot and query.</summary>
    public async Task<JsonBody> GetLeaderboardBodyAsync(LeaderboardQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var snapshot = await snapshots.GetAsync(cancellationToken);
        return snapshot.Body("leaderboard:" + LeaderboardQueryRules.ToApiPath(query), () => Serialize(Page(snapshot, query)));
    }

    /// <summary>A miner's details serialized, or null when there is no such miner.</summary>
    public async Task<JsonBody?> GetMinerBodyAsync(string minerId, CancellationToken cancellationToken)
        => (await GetCachedMinerAsync(minerId, cancellationToken)).Body;

    /// <summary>The miner's details and their JSON, read once per snapshot and kept until the next.</summary>
    private async Task<CachedMiner> GetCachedMinerAsync(string minerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(minerId);
        var snapshot = await snapshots.GetAsync(cancellationToken);
        var key = (nameof(CachedMiner), minerId, snapshot.Version);
        if (cache.TryGetValue(key, out CachedMiner? cached))
        {
            return cached!;
        }
        var details = await LoadMinerAsync(snapshot, minerId, cancellationToken);
        var miner = new CachedMiner(details, details is null ? null : Serialize(details));
        cache.Set(key, miner, TimeSpan.FromSeconds(portalOptions.Value.StatsRefreshSeconds * 2));
        return miner;
    }

    private sealed record CachedMiner(MinerDetails? Details, JsonBody? Body);

    private static LeaderboardPage Page(NetworkSnapshot snapshot, LeaderboardQuery query)
    {
        var rows = snapshot.Sorted(query.Sort, query.Descending);
        if (query.Gpu is not null || query.Model is not null || query.Active is not null || !string.IsNullOrEmpty(query.Search))
        {
            rows = [.. rows.Where(r =>
                (query.Gpu is null || r.DeviceName == query.Gpu)
                && (query.Model is null || r.Models.Contains(query.Model))
                && (query.Active is null || r.Active == query.Active)
                && (string.IsNullOrEmpty(query.Search) || r.MinerId.Contains(query.Search, StringComparison.OrdinalIgnoreCase)))];
        }
        var skip = (long)(query.Page - 1) * query.PageSize;
        var page = skip >= rows.Length ? [] : rows.Skip((int)skip).Take(query.PageSize).ToList();
        return new LeaderboardPage(snapshot.AsOf, query.Page, query.PageSize, rows.Length, page, snapshot.GpuModels, snapshot.Models);
    }

    private async Task<MinerDetails?> LoadMinerAsync(NetworkSnapshot snapshot, string minerId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var miner = await db.Miners.AsNoTracking().SingleOrDefaultAsync(m => m.Id == minerId, cancellationToken);
        if (miner is null)
        {
            return null;
        }
        var now = snapshot.AsOf;
        var chainId = MinerChainId.Of(minerId);
        var row = snapshot.RowsById.GetValueOrDefault(minerId);
        var outlook = snapshot.Outlooks.GetValueOrDefault(minerId);
        if (row is null || outlook is null)
        {
            // Registered since the snapshot was built: shown with what the database holds, unranked, and no stake or
            // settled epochs yet.
            var summary = await db.MinerSummaries.AsNoTracking().SingleOrDefaultAsync(s => s.MinerId == minerId, cancellationToken);
            var models = await db.MinerModels.AsNoTracking().Where(m => m.MinerId == minerId).Select(m => m.ModelId).OrderBy(m => m).ToListAsync(cancellationToken);
            outlook = new MinerOutlookInput([], 0, 0, 0, snapshot.EpochLengthSeconds);
            row = NetworkSnapshotBuilder.ToRow(0, miner, summary, models, default, 0, NetworkSnapshotBuilder.EstimateApr(outlook), now);
        }

        var weekAgo = now.AddDays(-7);
        var sessions = await db.MinerSessions.AsNoTracking()
            .Where(s => s.MinerId == minerId && s.LastSeenAt > weekAgo)
            .OrderBy(s => s.StartedAt)
            .ToListAsync(cancellationToken);

        var firstDay = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-(DaysCharted - 1));
        var firstHour = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var hours = await db.MinerHourly.AsNoTracking()
            .Where(h => h.MinerId == minerId && h.Hour >= firstHour)
            .ToListAsync(cancellationToken);
        var days = hours.GroupBy(h => DateOnly.FromDateTime(h.Hour.UtcDateTime)).ToDictionary(g => g.Key);

        var firstLatencyDay = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-6);
        var latency = new long[LatencyBuckets.Count];
        foreach (var bucket in await db.MinerLatencyDaily.AsNoTracking()
            .Where(l => l.MinerId == minerId && l.Day >= firstLatencyDay)
            .ToListAsync(cancellationToken))
        {
            latency[bucket.Bucket] += bucket.Jobs;
        }

        var stakes = await db.Stakes.AsNoTracking().Where(s => s.MinerChainId == chainId && s.Amount > 0).ToListAsync(cancellationToken);
        var bribes = await db.BribeChanges.AsNoTracking()
            .Where(b => b.MinerChainId == chainId)
            .OrderByDescending(b => b.BlockNumber).ThenByDescending(b => b.LogIndex)
            .Take(BribesShown)
            .ToListAsync(cancellationToken);

        return new MinerDetails(
            now,
            row,
            chainId,
            miner.HostName,
            miner.WorkerVersion,
            miner.RegisteredAt,
            miner.StartedAt,
            miner.LastHeartbeatAt,
            miner.StoppedAt,
            [.. sessions.Select(s => new UptimeSpan(s.StartedAt < weekAgo ? weekAgo : s.StartedAt, s.LastSeenAt > now ? now : s.LastSeenAt))],
            [.. Enumerable.Range(0, DaysCharted).Select(i => firstDay.AddDays(i)).Select(day => days.TryGetValue(day, out var d)
                ? new DailyActivity(day, d.Sum(h => h.JobsDone), d.Sum(h => h.WaifuPoints), d.Sum(h => h.LlamaPoints))
                : new DailyActivity(day, 0, 0, 0))],
            [.. Enumerable.Range(0, LatencyBuckets.Count).Where(b => latency[b] > 0)
                .Select(b => new LatencyBucket(LatencyBuckets.LowerBoundMs(b), b == LatencyBuckets.Count - 1 ? null : LatencyBuckets.UpperBoundMs(b), latency[b]))],
            [.. stakes
                .GroupBy(s => s.Staker, StringComparer.Ordinal)
                .Select(g => new StakerStake(
                    g.Key,
                    g.Where(s => s.Kind == Data.Chain.StakeKind.Heu).Sum(s => s.Amount) / NetworkSnapshotBuilder.WeiPerToken,
                    g.Where(s => s.Kind == Data.Chain.StakeKind.EsHeu).Sum(s => s.Amount) / NetworkSnapshotBuilder.WeiPerToken))
                .OrderByDescending(s => s.Heu + s.EsHeu).ThenBy(s => s.Staker, StringComparer.Ordinal)],
            [.. bribes.Select(b => new BribeHistoryEntry(b.ChangedAt, b.BlockNumber, b.BasisPoints, b.EffectiveEpoch))],
            MinerOutlook.From(outlook, rewardsOptions.Value.EsHeuShareBps));
    }

    private JsonBody Serialize<T>(T value)
    {
        var utf8 = JsonSerializer.SerializeToUtf8Bytes(value, jsonOptions.Value.SerializerOptions);
        // A strong tag from the content: equal answers from two snapshots (or two portal instances) share it.
        var tag = "\"" + Convert.ToBase64String(SHA256.HashData(utf8).AsSpan(0, 12)).Replace('+', '-').Replace('/', '_') + "\"";
        return new JsonBody(utf8, tag);
    }
}
