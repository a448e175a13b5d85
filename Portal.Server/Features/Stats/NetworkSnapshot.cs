using System.Collections.Concurrent;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Rewards;

namespace Heurist.Portal.Server.Features.Stats;

/// <summary>
/// The network's numbers at one moment, built from the rollups by <see cref="NetworkSnapshotService"/>. Requests
/// read it without touching the database; sorted orders and serialized answers are kept with it until the next one.
/// </summary>
public sealed class NetworkSnapshot
{
    private const int MaxCachedBodies = 2_000;

    private readonly ConcurrentDictionary<(LeaderboardSort, bool), LeaderboardRow[]> _sorted = new();
    private readonly ConcurrentDictionary<string, JsonBody> _bodies = new(StringComparer.Ordinal);

    public required long Version { get; init; }

    public required DateTimeOffset AsOf { get; init; }

    public required NetworkStats Stats { get; init; }

    /// <summary>Every miner, by rank (all-time points, then miner id).</summary>
    public required IReadOnlyList<LeaderboardRow> Rows { get; init; }

    public required IReadOnlyDictionary<string, LeaderboardRow> RowsById { get; init; }

    /// <summary>Each miner's id by its chain id (keccak256 of the id), as the indexer's tables name miners.</summary>
    public required IReadOnlyDictionary<string, string> MinerIdsByChainId { get; init; }

    /// <summary>What each miner's expected APR was computed from, by miner id, for its page's outlook.</summary>
    public required IReadOnlyDictionary<string, MinerOutlookInput> Outlooks { get; init; }

    /// <summary>The latest settled epoch's length; 0 before any epoch is settled.</summary>
    public required ulong EpochLengthSeconds { get; init; }

    /// <summary>The device names of all miners, for the leaderboard's GPU filter.</summary>
    public required IReadOnlyList<string> GpuModels { get; init; }

    /// <summary>The models any miner serves, for the leaderboard's model filter.</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>All miners in the order a sort key gives, computed once per snapshot and key.</summary>
    public LeaderboardRow[] Sorted(LeaderboardSort sort, bool descending)
        => _sorted.GetOrAdd((sort, descending), key => [.. Rows.Order(LeaderboardOrder.Comparer(key.Item1, key.Item2))]);

    /// <summary>A serialized answer for <paramref name="key"/>, made once per snapshot (up to a bound, then each time).</summary>
    public JsonBody Body(string key, Func<JsonBody> create)
    {
        if (_bodies.TryGetValue(key, out var body))
        {
            return body;
        }
        body = create();
        if (_bodies.Count < MaxCachedBodies)
        {
            _bodies.TryAdd(key, body);
        }
        return body;
    }
}

/// <summary>How the leaderboard orders rows: by the key, then by rank, so equal values keep a stable order.</summary>
public static class LeaderboardOrder
{
    public static IComparer<LeaderboardRow> Comparer(LeaderboardSort sort, bool descending)
    {
        Comparison<LeaderboardRow> byKey = sort switch
        {
            LeaderboardSort.Points => (a, b) => a.Points.CompareTo(b.Points),
            LeaderboardSort.Points24h => (a, b) => a.Points24h.CompareTo(b.Points24h),
            LeaderboardSort.Points7d => (a, b) => a.Points7d.CompareTo(b.Points7d),
            LeaderboardSort.Jobs => (a, b) => a.JobsDone.CompareTo(b.JobsDone),
            LeaderboardSort.Uptime24h => (a, b) => a.Uptime24h.CompareTo(b.Uptime24h),
            LeaderboardSort.Uptime7d => (a, b) => a.Uptime7d.CompareTo(b.Uptime7d),
            LeaderboardSort.Stake => (a, b) => (a.StakeHeu + a.StakeEsHeu).CompareTo(b.StakeHeu + b.StakeEsHeu),
            LeaderboardSort.Efficiency => (a, b) => a.StakeEfficiency.CompareTo(b.StakeEfficiency),
            LeaderboardSort.Bribe => (a, b) => a.BribeBasisPoints.CompareTo(b.BribeBasisPoints),
            LeaderboardSort.Vram => (a, b) => a.VramBytes.CompareTo(b.VramBytes),
            LeaderboardSort.Miner => (a, b) => string.CompareOrdinal(a.MinerId, b.MinerId),
            LeaderboardSort.Gpu => (a, b) => string.CompareOrdinal(a.DeviceName, b.DeviceName),
            LeaderboardSort.Latency => CompareLatency,
            LeaderboardSort.Apr => (a, b) => (a.ExpectedApr ?? 0).CompareTo(b.ExpectedApr ?? 0),
            _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, "Unknown leaderboard sort."),
        };
        return Comparer<LeaderboardRow>.Create((a, b) =>
        {
            // Miners with no latency yet go last whichever way the column is sorted.
            if (sort == LeaderboardSort.Latency && (a.MedianLatencyMs is null) != (b.MedianLatencyMs is null))
            {
                return a.MedianLatencyMs is null ? 1 : -1;
            }
            // So do miners without an expected APR (no history, or no stake).
            if (sort == LeaderboardSort.Apr && (a.ExpectedApr is null) != (b.ExpectedApr is null))
            {
                return a.ExpectedApr is null ? 1 : -1;
            }
            var order = descending ? byKey(b, a) : byKey(a, b);
            return order != 0 ? order : a.Rank.CompareTo(b.Rank);
        });
    }

    private static int CompareLatency(LeaderboardRow a, LeaderboardRow b)
        => (a.MedianLatencyMs ?? 0).CompareTo(b.MedianLatencyMs ?? 0);
}

/// <summary>A serialized JSON answer and its entity tag.</summary>
public sealed record JsonBody(byte[] Utf8, string ETag);
