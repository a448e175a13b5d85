using Heurist.Portal.Data;
using Heurist.Portal.Data.Images;
using Heurist.Protocol.Network;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Testing;

/// <summary>
/// The rollups recounted the slow way: every job and credit loaded and grouped in memory, with none of the rollup
/// code. Tests compare it with what the incremental path (and the data generator) wrote.
/// </summary>
public sealed record RollupRecount(
    IReadOnlyList<RollupRecount.NetworkHour> NetworkHours,
    IReadOnlyList<RollupRecount.MinerHour> MinerHours,
    IReadOnlyList<RollupRecount.LatencyDay> LatencyDays,
    IReadOnlyList<RollupRecount.MinerTotals> Totals)
{
    public sealed record NetworkHour(DateTimeOffset Hour, string ModelId, long Requests, long ImagesGenerated, decimal WaifuPoints, decimal LlamaPoints);

    public sealed record MinerHour(string MinerId, DateTimeOffset Hour, long JobsDone, decimal WaifuPoints, decimal LlamaPoints);

    public sealed record LatencyDay(string MinerId, DateOnly Day, int Bucket, long Jobs);

    public sealed record MinerTotals(string MinerId, long JobsDone, decimal WaifuPoints, decimal LlamaPoints, DateTimeOffset LastJobAt);

    public static async Task<RollupRecount> CountAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var jobs = await db.ImageJobs.AsNoTracking()
            .Select(j => new { j.Id, j.ModelId, j.CreatedAt, j.StartedAt, j.CompletedAt })
            .ToDictionaryAsync(j => j.Id, cancellationToken);
        var credits = await db.PointsCredits.AsNoTracking().ToListAsync(cancellationToken);

        var done = credits.Select(c => new
        {
            c.MinerId,
            jobs[c.JobId].ModelId,
            Hour = StartOfHour(c.CreditedAt),
            c.CreditedAt,
            Waifu = c.Kind == PointsKind.Waifu ? c.Points : 0m,
            Llama = c.Kind == PointsKind.Llama ? c.Points : 0m,
            Latency = jobs[c.JobId].CompletedAt!.Value - jobs[c.JobId].StartedAt!.Value,
        }).ToList();

        var requests = jobs.Values.GroupBy(j => (Hour: StartOfHour(j.CreatedAt), j.ModelId)).ToDictionary(g => g.Key, g => (long)g.Count());
        var finished = done.GroupBy(d => (d.Hour, d.ModelId)).ToDictionary(g => g.Key, g => g.ToList());
        var networkHours = requests.Keys.Union(finished.Keys)
            .Select(key =>
            {
                var jobsDone = finished.GetValueOrDefault(key) ?? [];
                return new NetworkHour(key.Hour, key.ModelId, requests.GetValueOrDefault(key), jobsDone.Count, jobsDone.Sum(d => d.Waifu), jobsDone.Sum(d => d.Llama));
            })
            .OrderBy(h => h.Hour).ThenBy(h => h.ModelId, StringComparer.Ordinal)
            .ToList();
        var minerHours = done.GroupBy(d => (d.MinerId, d.Hour))
            .Select(g => new MinerHour(g.Key.MinerId, g.Key.Hour, g.Count(), g.Sum(d => d.Waifu), g.Sum(d => d.Llama)))
            .OrderBy(h => h.MinerId, StringComparer.Ordinal).ThenBy(h => h.Hour)
            .ToList();
        var latencyDays = done.GroupBy(d => (d.MinerId, Day: DateOnly.FromDateTime(d.CreditedAt.UtcDateTime), Bucket: LatencyBuckets.Of(d.Latency)))
            .Select(g => new LatencyDay(g.Key.MinerId, g.Key.Day, g.Key.Bucket, g.Count()))
            .OrderBy(l => l.MinerId, StringComparer.Ordinal).ThenBy(l => l.Day).ThenBy(l => l.Bucket)
            .ToList();
        var totals = done.GroupBy(d => d.MinerId)
            .Select(g => new MinerTotals(g.Key, g.Count(), g.Sum(d => d.Waifu), g.Sum(d => d.Llama), g.Max(d => d.CreditedAt)))
            .OrderBy(t => t.MinerId, StringComparer.Ordinal)
            .ToList();
        return new RollupRecount(networkHours, minerHours, latencyDays, totals);
    }

    /// <summary>What the rollup tables hold now, in the same shape and order as <see cref="CountAsync"/>.</summary>
    public static async Task<RollupRecount> ReadRollupsAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var networkHours = (await db.NetworkHourly.AsNoTracking().ToListAsync(cancellationToken))
            .Select(h => new NetworkHour(h.Hour, h.ModelId, h.Requests, h.ImagesGenerated, h.WaifuPoints, h.LlamaPoints))
            .OrderBy(h => h.Hour).ThenBy(h => h.ModelId, StringComparer.Ordinal)
            .ToList();
        var minerHours = (await db.MinerHourly.AsNoTracking().ToListAsync(cancellationToken))
            .Select(h => new MinerHour(h.MinerId, h.Hour, h.JobsDone, h.WaifuPoints, h.LlamaPoints))
            .OrderBy(h => h.MinerId, StringComparer.Ordinal).ThenBy(h => h.Hour)
            .ToList();
        var latencyDays = (await db.MinerLatencyDaily.AsNoTracking().ToListAsync(cancellationToken))
            .Select(l => new LatencyDay(l.MinerId, l.Day, l.Bucket, l.Jobs))
            .OrderBy(l => l.MinerId, StringComparer.Ordinal).ThenBy(l => l.Day).ThenBy(l => l.Bucket)
            .ToList();
        var totals = (await db.MinerSummaries.AsNoTracking().Where(s => s.JobsDone > 0).ToListAsync(cancellationToken))
            .Select(s => new MinerTotals(s.MinerId, s.JobsDone, s.WaifuPoints, s.LlamaPoints, s.LastJobAt!.Value))
            .OrderBy(t => t.MinerId, StringComparer.Ordinal)
            .ToList();
        return new RollupRecount(networkHours, minerHours, latencyDays, totals);
    }

    /// <summary>
    /// The windowed numbers of one miner as of <paramref name="now"/>, recounted from the credits: points and jobs
    /// in the current UTC hour and the 23 (or 167) before it, and the latency buckets of the last 7 UTC days.
    /// </summary>
    public static async Task<(decimal Points24h, decimal Points7d, long Jobs7d, long[] LatencyCounts)> WindowsAsync(
        PortalDbContext db, string minerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hour = StartOfHour(now);
        var firstDay = DateOnly.FromDateTime(now.UtcDateTime.AddDays(-6));
        var credits = await db.PointsCredits.AsNoTracking().Where(c => c.MinerId == minerId)
            .Join(db.ImageJobs, c => c.JobId, j => j.Id, (c, j) => new { c.Points, c.CreditedAt, j.StartedAt, j.CompletedAt })
            .ToListAsync(cancellationToken);
        var week = credits.Where(c => StartOfHour(c.CreditedAt) >= hour.AddHours(-167) && c.CreditedAt < hour.AddHours(1)).ToList();
        var latency = new long[LatencyBuckets.Count];
        foreach (var c in credits.Where(c => DateOnly.FromDateTime(c.CreditedAt.UtcDateTime) >= firstDay))
        {
            latency[LatencyBuckets.Of(c.CompletedAt!.Value - c.StartedAt!.Value)]++;
        }
        return (
            week.Where(c => StartOfHour(c.CreditedAt) >= hour.AddHours(-23)).Sum(c => c.Points),
            week.Sum(c => c.Points),
            week.Count,
            latency);
    }

    private static DateTimeOffset StartOfHour(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
