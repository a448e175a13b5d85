namespace Heurist.Protocol.Network;

/// <summary>
/// A fixed histogram of job latencies (start to finish, in milliseconds), so that medians and distributions can be
/// kept as counts per bucket and added up across hours, days and miners. Bucket 0 holds everything under 100 ms;
/// bucket i ≥ 1 holds [100·2^((i−1)/4), 100·2^(i/4)) ms, four buckets per doubling, up to the last, which holds
/// everything from about 27 minutes on. A median read from the buckets is within 10 % of the true one.
/// </summary>
public static class LatencyBuckets
{
    public const int Count = 58;

    private const double FirstBoundMs = 100;

    private const int PerDoubling = 4;

    /// <summary>The bucket a latency falls in.</summary>
    public static int Of(TimeSpan latency)
    {
        var ms = latency.TotalMilliseconds;
        if (!(ms >= FirstBoundMs))
        {
            return 0;
        }
        var index = 1 + (int)Math.Floor(PerDoubling * Math.Log2(ms / FirstBoundMs));
        return Math.Min(index, Count - 1);
    }

    /// <summary>The bucket's lower bound in milliseconds (0 for bucket 0).</summary>
    public static double LowerBoundMs(int bucket)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bucket);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bucket, Count);
        return bucket == 0 ? 0 : FirstBoundMs * Math.Pow(2, (bucket - 1) / (double)PerDoubling);
    }

    /// <summary>The bucket's upper bound in milliseconds (infinity for the last).</summary>
    public static double UpperBoundMs(int bucket)
        => bucket == Count - 1 ? double.PositiveInfinity : LowerBoundMs(bucket + 1);

    /// <summary>
    /// The median latency from counts per bucket: the geometric middle of the bucket where half the jobs are reached
    /// (50 ms for bucket 0, the lower bound for the last), or null with no jobs.
    /// </summary>
    public static double? MedianMs(IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count != Count)
        {
            throw new ArgumentException($"Expected {Count} bucket counts, got {counts.Count}.", nameof(counts));
        }
        var total = counts.Sum();
        if (total == 0)
        {
            return null;
        }
        long running = 0;
        for (var bucket = 0; bucket < Count; bucket++)
        {
            running += counts[bucket];
            if (running * 2 >= total)
            {
                return Middle(bucket);
            }
        }
        return Middle(Count - 1);
    }

    /// <summary>The value that stands for a bucket: 50 ms, the geometric middle of its bounds, or the last one's lower bound.</summary>
    public static double Middle(int bucket) => bucket switch
    {
        0 => FirstBoundMs / 2,
        Count - 1 => LowerBoundMs(bucket),
        _ => Math.Sqrt(LowerBoundMs(bucket) * UpperBoundMs(bucket)),
    };
}
