namespace Heurist.Portal.Data.Network;

// Rollups: counts kept up to date as jobs are submitted and finished and as heartbeats arrive, so that the stats,
// the leaderboard and the miner pages never scan the jobs table. NetworkRollups writes them.

/// <summary>The network's requests, images and points per hour and model.</summary>
public sealed class NetworkHourly
{
    /// <summary>The start of the hour (UTC).</summary>
    public DateTimeOffset Hour { get; set; }

    public required string ModelId { get; set; }

    /// <summary>Jobs submitted in this hour.</summary>
    public long Requests { get; set; }

    /// <summary>Jobs that finished with an image in this hour.</summary>
    public long ImagesGenerated { get; set; }

    public decimal WaifuPoints { get; set; }

    public decimal LlamaPoints { get; set; }
}

/// <summary>One miner's finished jobs and points per hour.</summary>
public sealed class MinerHourly
{
    public required string MinerId { get; set; }

    public DateTimeOffset Hour { get; set; }

    public long JobsDone { get; set; }

    public decimal WaifuPoints { get; set; }

    public decimal LlamaPoints { get; set; }
}

/// <summary>How many of one miner's jobs on one day took how long: counts per <c>LatencyBuckets</c> bucket.</summary>
public sealed class MinerLatencyDaily
{
    public required string MinerId { get; set; }

    public DateOnly Day { get; set; }

    public short Bucket { get; set; }

    public long Jobs { get; set; }
}

/// <summary>A run of heartbeats with no long silence: the miner was up from StartedAt to LastSeenAt.</summary>
public sealed class MinerSession
{
    public required string MinerId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }
}

/// <summary>
/// A miner's leaderboard numbers. The all-time totals grow with every credited job; the windowed ones (last 24 h and
/// 7 days) are recomputed from the hourly rollups and sessions by the portal's refresher.
/// </summary>
public sealed class MinerSummary
{
    public required string MinerId { get; set; }

    public long JobsDone { get; set; }

    public decimal WaifuPoints { get; set; }

    public decimal LlamaPoints { get; set; }

    public DateTimeOffset? LastJobAt { get; set; }

    public decimal Points24h { get; set; }

    public decimal Points7d { get; set; }

    public long Jobs7d { get; set; }

    public double Uptime24h { get; set; }

    public double Uptime7d { get; set; }

    /// <summary>The median job latency over the last 7 days, from the latency buckets; null without jobs.</summary>
    public double? MedianLatencyMs { get; set; }

    /// <summary>When the windowed numbers were last recomputed.</summary>
    public DateTimeOffset? WindowsAt { get; set; }
}
