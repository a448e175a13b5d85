using System.Collections.Concurrent;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Miners;

namespace Heurist.Portal.Client.Tests.Features.Stats;

/// <summary>
/// An <see cref="INetworkStatsClient"/> over rows and details held in memory, for component tests. It filters, sorts,
/// ranks and pages the leaderboard as the portal does, so a page that sends the wrong query shows the wrong rows; and
/// it records every query it was sent.
/// </summary>
internal sealed class InMemoryNetworkStatsClient : INetworkStatsClient
{
    private readonly ConcurrentQueue<LeaderboardQuery> _queries = new();
    private readonly ConcurrentQueue<string> _minerRequests = new();
    private int _statsRequests;

    public NetworkStats Stats { get; set; } = SampleStats();

    /// <summary>The miners on the leaderboard; their Rank is worked out from their all-time points when asked.</summary>
    public List<LeaderboardRow> Rows { get; } = [];

    public Dictionary<string, MinerDetails> Miners { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, every call fails with it, as when the portal cannot be reached or refuses the query.</summary>
    public Exception? Failure { get; set; }

    public IReadOnlyList<LeaderboardQuery> Queries => [.. _queries];

    public IReadOnlyList<string> MinerRequests => [.. _minerRequests];

    public int StatsRequests => Volatile.Read(ref _statsRequests);

    public Task<NetworkStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _statsRequests);
        return Failure is { } failure ? Task.FromException<NetworkStats>(failure) : Task.FromResult(Stats);
    }

    public Task<LeaderboardPage> GetLeaderboardAsync(LeaderboardQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        _queries.Enqueue(query);
        if (Failure is { } failure)
        {
            return Task.FromException<LeaderboardPage>(failure);
        }
        if (LeaderboardQueryRules.Validate(query) is { IsValid: false } errors)
        {
            return Task.FromException<LeaderboardPage>(ApiException.Invalid(LeaderboardQueryRules.InvalidTitle, errors));
        }
        var ranked = Ranked();
        var matching = ranked
            .Where(r => query.Gpu is null || r.DeviceName == query.Gpu)
            .Where(r => query.Model is null || r.Models.Contains(query.Model))
            .Where(r => query.Active is not { } active || r.Active == active)
            .ToList();
        var key = SortKey(query.Sort);
        // As the portal does, miners without an expected APR go last whichever way that column is sorted.
        var missesLast = matching.OrderBy(r => query.Sort == LeaderboardSort.Apr && r.ExpectedApr is null);
        var sorted = query.Descending
            ? missesLast.ThenByDescending(key).ThenBy(r => r.MinerId, StringComparer.Ordinal)
            : missesLast.ThenBy(key).ThenBy(r => r.MinerId, StringComparer.Ordinal);
        var rows = sorted.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToList();
        return Task.FromResult(new LeaderboardPage(
            TestServices.Now,
            query.Page,
            query.PageSize,
            matching.Count,
            rows,
            [.. ranked.Select(r => r.DeviceName).Distinct().Order(StringComparer.Ordinal)],
            [.. ranked.SelectMany(r => r.Models).Distinct().Order(StringComparer.Ordinal)]));
    }

    public Task<MinerDetails?> GetMinerAsync(string minerId, CancellationToken cancellationToken = default)
    {
        _minerRequests.Enqueue(minerId);
        return Failure is { } failure
            ? Task.FromException<MinerDetails?>(failure)
            : Task.FromResult(Miners.GetValueOrDefault(minerId));
    }

    private List<LeaderboardRow> Ranked()
        => [.. Rows.OrderByDescending(r => r.Points).ThenBy(r => r.MinerId, StringComparer.Ordinal).Select((r, i) => r with { Rank = i + 1 })];

    private static Func<LeaderboardRow, IComparable?> SortKey(LeaderboardSort sort) => sort switch
    {
        LeaderboardSort.Points => r => r.Points,
        LeaderboardSort.Points24h => r => r.Points24h,
        LeaderboardSort.Points7d => r => r.Points7d,
        LeaderboardSort.Jobs => r => r.JobsDone,
        LeaderboardSort.Latency => r => r.MedianLatencyMs,
        LeaderboardSort.Uptime24h => r => r.Uptime24h,
        LeaderboardSort.Uptime7d => r => r.Uptime7d,
        LeaderboardSort.Stake => r => r.StakeHeu + r.StakeEsHeu,
        LeaderboardSort.Efficiency => r => r.StakeEfficiency,
        LeaderboardSort.Bribe => r => r.BribeBasisPoints,
        LeaderboardSort.Vram => r => r.VramBytes,
        LeaderboardSort.Miner => r => r.MinerId,
        LeaderboardSort.Gpu => r => r.DeviceName,
        LeaderboardSort.Apr => r => r.ExpectedApr,
        _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, null),
    };

    /// <summary>A miner's row; its Rank is filled in by the client.</summary>
    public static LeaderboardRow Row(
        string minerId,
        decimal points,
        string device = "NVIDIA GeForce RTX 4090",
        bool active = true,
        string[]? models = null,
        long jobs = 100,
        double? latencyMs = 3261,
        decimal? apr = null,
        string aprBasis = NoHistory,
        string provider = "",
        string providerReason = "") => new(
        0,
        minerId,
        TestServices.RewardAddress,
        device,
        device.StartsWith("NVIDIA", StringComparison.Ordinal) ? DeviceKind.Cuda : DeviceKind.Cpu,
        24L << 30,
        models ?? ["sd15"],
        0.973,
        0.5,
        jobs,
        latencyMs,
        points / 10,
        points / 2,
        points,
        1_000m,
        500.5m,
        0.25m,
        250,
        active,
        apr,
        aprBasis,
        apr is not null,
        provider,
        providerReason);

    /// <summary>What the portal says of a miner without settled epochs.</summary>
    public const string NoHistory = "No history: the miner has no settled epoch in which it was active.";

    /// <summary>Numbers where every figure differs, so a page that shows one in another's place is caught.</summary>
    public static NetworkStats SampleStats() => new(
        TestServices.Now.AddSeconds(-10),
        1_234_567,
        4_321,
        3,
        5,
        12_345.6m,
        789.25m,
        98_765,
        432,
        1_000m,
        500.5m,
        [.. Enumerable.Range(0, 168).Select(i => new HourlyRequests(TestServices.Now.AddHours(i - 168), i % 24 == 0 ? 50 : 10))],
        [new ModelShare("sd15", 625, 0.625), new ModelShare("sdxl", 375, 0.375)],
        [new DeviceCount("NVIDIA GeForce RTX 3090", 1), new DeviceCount("NVIDIA GeForce RTX 4090", 2)],
        [
            new RecentJob(Guid.NewGuid(), "sdxl", "rig-4090", TestServices.Now.AddMinutes(-2), 3261),
            new RecentJob(Guid.NewGuid(), "sd15", "cpu-box", TestServices.Now.AddSeconds(-30), 41.6),
        ]);

    /// <summary>The network before anyone asked it for anything.</summary>
    public static NetworkStats EmptyStats() => new(
        TestServices.Now, 0, 0, 0, 0, 0m, 0m, 0, 0, 0m, 0m,
        [.. Enumerable.Range(0, 168).Select(i => new HourlyRequests(TestServices.Now.AddHours(i - 168), 0))],
        [], [], []);

    /// <summary>A miner's page: 30 quiet days but for the last two, no uptime, stake or bribe unless given.</summary>
    public static MinerDetails Details(
        LeaderboardRow summary,
        UptimeSpan[]? uptime = null,
        StakerStake[]? stakers = null,
        BribeHistoryEntry[]? bribes = null,
        LatencyBucket[]? latency = null,
        MinerOutlook? outlook = null) => new(
        TestServices.Now,
        summary,
        "0x9c2d5f0e3b1a4c6d8e7f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d",
        "host-" + summary.MinerId,
        "1.4.2",
        TestServices.Now.AddDays(-40),
        TestServices.Now.AddHours(-5),
        TestServices.Now.AddSeconds(-4),
        null,
        uptime ?? [],
        [.. Enumerable.Range(0, 30).Select(i => new DailyActivity(
            DateOnly.FromDateTime(TestServices.Now.UtcDateTime).AddDays(i - 29),
            i >= 28 ? 12 : 0,
            i >= 28 ? 3.6m : 0m,
            0m))],
        latency ?? [],
        stakers ?? [],
        bribes ?? [],
        outlook ?? new MinerOutlook([], 0, "0", 0, 0, 5_000));
}
