using Heurist.Protocol.Network;

namespace Heurist.Protocol.Tests.Network;

public sealed class LatencyBucketsTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(99.9, 0)]
    [InlineData(100, 1)]
    // Four buckets per doubling: 100·2^(1/4) ≈ 118.9 starts bucket 2.
    [InlineData(118.9, 1)]
    [InlineData(119, 2)]
    [InlineData(200, 5)]
    [InlineData(1_000, 14)]
    [InlineData(10_000, 27)]
    // Everything from 100·2^14 ms (about 27 minutes) on is the last bucket.
    [InlineData(1_638_400, 57)]
    [InlineData(86_400_000, 57)]
    public void A_latency_falls_in_the_bucket_whose_bounds_hold_it(double ms, int bucket)
    {
        Assert.Equal(bucket, LatencyBuckets.Of(TimeSpan.FromMilliseconds(ms)));
        Assert.InRange(ms, LatencyBuckets.LowerBoundMs(bucket), LatencyBuckets.UpperBoundMs(bucket));
    }

    [Fact]
    public void Buckets_tile_the_line_without_gaps()
    {
        for (var bucket = 1; bucket < LatencyBuckets.Count; bucket++)
        {
            Assert.Equal(LatencyBuckets.UpperBoundMs(bucket - 1), LatencyBuckets.LowerBoundMs(bucket));
        }
        Assert.Equal(double.PositiveInfinity, LatencyBuckets.UpperBoundMs(LatencyBuckets.Count - 1));
    }

    [Fact]
    public void The_median_of_counts_is_in_the_bucket_that_reaches_half_the_jobs()
    {
        var counts = new long[LatencyBuckets.Count];
        counts[LatencyBuckets.Of(TimeSpan.FromSeconds(2))] = 3;
        counts[LatencyBuckets.Of(TimeSpan.FromSeconds(5))] = 3;
        counts[LatencyBuckets.Of(TimeSpan.FromSeconds(50))] = 5;

        // 11 jobs: the 6th is the last of the 5 s bucket.
        var median = LatencyBuckets.MedianMs(counts)!.Value;

        Assert.InRange(median, 5_000 / 1.1, 5_000 * 1.1);
    }

    [Fact]
    public void A_median_from_buckets_is_within_ten_percent_of_the_true_median()
    {
        var random = new Random(4);
        for (var trial = 0; trial < 200; trial++)
        {
            var latencies = Enumerable.Range(0, random.Next(1, 60)).Select(_ => Math.Exp(random.NextDouble() * 12) + 100).Order().ToList();
            var counts = new long[LatencyBuckets.Count];
            foreach (var ms in latencies)
            {
                counts[LatencyBuckets.Of(TimeSpan.FromMilliseconds(ms))]++;
            }
            // The lower median: the value at which half the jobs are reached.
            var trueMedian = latencies[(latencies.Count - 1) / 2];

            Assert.InRange(LatencyBuckets.MedianMs(counts)!.Value, trueMedian / 1.1, trueMedian * 1.1);
        }
    }

    [Fact]
    public void No_jobs_have_no_median_and_a_wrong_number_of_counts_is_refused()
    {
        Assert.Null(LatencyBuckets.MedianMs(new long[LatencyBuckets.Count]));
        Assert.Throws<ArgumentException>(() => LatencyBuckets.MedianMs(new long[3]));
    }
}
