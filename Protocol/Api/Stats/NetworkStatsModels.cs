using System.Numerics;
using Heurist.Protocol.Api.Staking;
using Heurist.Protocol.Miners;
using Heurist.Protocol.Rewards;

namespace Heurist.Protocol.Api.Stats;

// What the stats, leaderboard and miner pages show, as the JSON API serves it. The server computes all of it from
// the rollup tables; see Portal.Server/Features/Stats.

/// <summary>The whole network at a glance: /api/stats.</summary>
public sealed record NetworkStats(
    DateTimeOffset AsOf,
    long RequestsAllTime,
    long Requests24h,
    int ActiveGpus,
    int MinersTotal,
    decimal WaifuPoints,
    decimal LlamaPoints,
    long ImagesGenerated,
    long ImagesMinted,
    decimal StakedHeu,
    decimal StakedEsHeu,
    IReadOnlyList<HourlyRequests> RequestsPerHour,
    IReadOnlyList<ModelShare> ModelShares,
    IReadOnlyList<DeviceCount> TopDevices,
    IReadOnlyList<RecentJob> RecentJobs);

/// <summary>Jobs submitted in the hour starting at <see cref="Hour"/> (UTC). The stats hold the last 168 hours, oldest first.</summary>
public sealed record HourlyRequests(DateTimeOffset Hour, long Requests);

/// <summary>One model's part of all requests ever made. Share is between 0 and 1.</summary>
public sealed record ModelShare(string ModelId, long Requests, double Share);

/// <summary>A device model (GPU name, or the CPU for CPU workers) and how many active workers run on it.</summary>
public sealed record DeviceCount(string DeviceName, int ActiveWorkers);

/// <summary>A job that finished recently.</summary>
public sealed record RecentJob(Guid JobId, string ModelId, string MinerId, DateTimeOffset CompletedAt, double LatencyMs);

/// <summary>The leaderboard's sort keys.</summary>
public enum LeaderboardSort
{
    Points,
    Points24h,
    Points7d,
    Jobs,
    Latency,
    Uptime24h,
    Uptime7d,
    Stake,
    Efficiency,
    Bribe,
    Vram,
    Miner,
    Gpu,

    /// <summary>The expected APR; miners without one (no history, or no stake) go last either way.</summary>
    Apr,
}

/// <summary>
/// A leaderboard request. Gpu and Model filter by exact device name and model id; Active filters by the active flag;
/// Search keeps the miners whose id contains the text, in any case. Page counts from 1.
/// </summary>
public sealed record LeaderboardQuery(
    LeaderboardSort Sort = LeaderboardSort.Points,
    bool Descending = true,
    string? Gpu = null,
    string? Model = null,
    bool? Active = null,
    int Page = 1,
    int PageSize = LeaderboardQuery.DefaultPageSize,
    string? Search = null)
{
    public const int DefaultPageSize = 25;

    public const int MaxPageSize = 100;

    public const int MaxSearchLength = 100;
}

/// <summary>
/// One miner on the leaderboard. Rank is its place by all-time points among all miners. Uptimes and efficiency are
/// fractions between 0 and 1; stakes are in whole tokens. Active means a heartbeat within the last 5 minutes.
/// ExpectedApr is <see cref="Heurist.Protocol.Rewards.ExpectedApr"/>'s estimate as a fraction (0.142 = 14.2 %), null when the miner has no
/// settled history (<see cref="AprHasHistory"/> false) or no stake; AprBasis is the formula with its numbers.
/// ExecutionProvider is the ONNX Runtime provider the miner's worker runs on, and ExecutionProviderReason why
/// ("CUDA device 0", "libcudnn.so.9 not found"); both empty for a worker that has not reported them.
/// </summary>
public sealed record LeaderboardRow(
    int Rank,
    string MinerId,
    string RewardAddress,
    string DeviceName,
    DeviceKind DeviceKind,
    long VramBytes,
    IReadOnlyList<string> Models,
    double Uptime24h,
    double Uptime7d,
    long JobsDone,
    double? MedianLatencyMs,
    decimal Points24h,
    decimal Points7d,
    decimal Points,
    decimal StakeHeu,
    decimal StakeEsHeu,
    decimal StakeEfficiency,
    int BribeBasisPoints,
    bool Active,
    decimal? ExpectedApr,
    string AprBasis,
    bool AprHasHistory,
    string ExecutionProvider = "",
    string ExecutionProviderReason = "");

/// <summary>One page of the leaderboard, with the values its filters can take.</summary>
public sealed record LeaderboardPage(
    DateTimeOffset AsOf,
    int Page,
    int PageSize,
    int TotalCount,
    IReadOnlyList<LeaderboardRow> Rows,
    IReadOnlyList<string> GpuModels,
    IReadOnlyList<string> Models);

/// <summary>Everything the miner page shows: /api/miners/{id}.</summary>
public sealed record MinerDetails(
    DateTimeOffset AsOf,
    LeaderboardRow Summary,
    string MinerChainId,
    string HostName,
    string WorkerVersion,
    DateTimeOffset RegisteredAt,
    DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeatAt,
    DateTimeOffset? StoppedAt,
    IReadOnlyList<UptimeSpan> Uptime,
    IReadOnlyList<DailyActivity> Days,
    IReadOnlyList<LatencyBucket> Latency,
    IReadOnlyList<StakerStake> Stakers,
    IReadOnlyList<BribeHistoryEntry> Bribes,
    MinerOutlook Outlook);

/// <summary>
/// What the miner's expected APR is computed from, so the stake dialog can run <see cref="ExpectedApr.WhatIf"/> for
/// the amount typed: its recent settled epochs, its bribe, its stake now (wei), its 7-day uptime (millionths), the epoch
/// length (0 before any epoch is settled) and the share of rewards paid in esHEU. Wei amounts are decimal strings.
/// </summary>
public sealed record MinerOutlook(
    IReadOnlyList<MinerOutlookEpoch> History,
    int BribeBps,
    string TotalStakeWei,
    long UptimePpm,
    long EpochLengthSeconds,
    int EsHeuShareBps)
{
    public static MinerOutlook From(MinerOutlookInput input, int esHeuShareBps)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MinerOutlook(
            [.. input.History.Select(e => new MinerOutlookEpoch((long)e.Epoch, Wei.ToText(e.RewardWei), Wei.ToText(e.EfficiencyNumerator)))],
            input.BribeBps,
            Wei.ToText(input.TotalStakeWei),
            input.UptimePpm,
            (long)input.EpochLengthSeconds,
            esHeuShareBps);
    }

    /// <summary>The input of <see cref="ExpectedApr"/>; null before any epoch is settled (the epoch length is unknown then).</summary>
    public MinerOutlookInput? ToInput() => EpochLengthSeconds <= 0 ? null : new MinerOutlookInput(
        [.. History.Select(e => new MinerEpochReward((ulong)e.Epoch, Wei.Parse(e.RewardWei), Wei.Parse(e.EfficiencyNumerator)))],
        BribeBps,
        Wei.Parse(TotalStakeWei),
        UptimePpm,
        (ulong)EpochLengthSeconds);

    /// <summary>The outlook's rate, or "no history" before any epoch is settled.</summary>
    public AprEstimate Estimate() => ToInput() is { } input ? ExpectedApr.Estimate(input) : NoSettledEpoch;

    /// <summary>What a miner's estimate says before the portal has settled any epoch.</summary>
    public static readonly AprEstimate NoSettledEpoch = new(false, null, BigInteger.Zero, BigInteger.Zero, BigInteger.Zero, 0, "No history: no epoch has been settled yet.");
}

/// <summary>One settled epoch of a miner: its Waifu and Llama rewards together, and its efficiency numerator then.</summary>
public sealed record MinerOutlookEpoch(long Epoch, string RewardWei, string EfficiencyNumerator);

/// <summary>A stretch of the last 7 days during which the miner's heartbeats arrived without a long silence.</summary>
public sealed record UptimeSpan(DateTimeOffset From, DateTimeOffset To);

/// <summary>The miner's finished jobs and points on one UTC day. The miner page holds the last 30 days, oldest first.</summary>
public sealed record DailyActivity(DateOnly Day, long Jobs, decimal WaifuPoints, decimal LlamaPoints);

/// <summary>How many of the miner's jobs in the last 7 days took between LowerMs and UpperMs (null: no upper bound).</summary>
public sealed record LatencyBucket(double LowerMs, double? UpperMs, long Jobs);

/// <summary>One account's stake on the miner, in whole tokens.</summary>
public sealed record StakerStake(string Staker, decimal Heu, decimal EsHeu);

/// <summary>A bribe the miner set: BasisPoints of its rewards go to stakers from EffectiveEpoch on.</summary>
public sealed record BribeHistoryEntry(DateTimeOffset ChangedAt, long BlockNumber, int BasisPoints, long EffectiveEpoch);
