using Heurist.Portal.Data.Images;
using Heurist.Protocol.Network;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Data.Network;

/// <summary>
/// Keeps the rollups current: each method adds one event's counts in the caller's transaction, so a rollup moves
/// exactly when the row it counts is written. <see cref="RefreshWindowsAsync"/> recomputes the sliding 24-hour and
/// 7-day numbers of the miner summaries from the rollups.
/// </summary>
public static class NetworkRollups
{
    /// <summary>The start of the UTC hour holding <paramref name="at"/>.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>A job was submitted.</summary>
    public static async Task RecordRequestAsync(PortalDbContext db, string modelId, DateTimeOffset submittedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO network_hourly (hour, model_id, requests, images_generated, waifu_points, llama_points)
            VALUES ({HourOf(submittedAt)}, {modelId}, 1, 0, 0, 0)
            ON CONFLICT (hour, model_id) DO UPDATE SET requests = network_hourly.requests + 1
            """,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A job finished with an image and its points were credited. Call it only when the credit was new (the insert
    /// into points_credits wrote a row), so that a re-run of the job counts nothing twice.
    /// </summary>
    public static async Task RecordFinishedJobAsync(PortalDbContext db, FinishedJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(job);
        var hour = HourOf(job.CompletedAt);
        var day = DateOnly.FromDateTime(job.CompletedAt.UtcDateTime);
        var bucket = (short)LatencyBuckets.Of(job.Latency);
        var (waifu, llama) = job.Kind == PointsKind.Waifu ? (job.Points, 0m) : (0m, job.Points);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO network_hourly (hour, model_id, requests, images_generated, waifu_points, llama_points)
            VALUES ({hour}, {job.ModelId}, 0, 1, {waifu}, {llama})
            ON CONFLICT (hour, model_id) DO UPDATE SET
                images_generated = network_hourly.images_generated + 1,
                waifu_points = network_hourly.waifu_points + excluded.waifu_points,
                llama_points = network_hourly.llama_points + excluded.llama_points;
            INSERT INTO miner_hourly (miner_id, hour, jobs_done, waifu_points, llama_points)
            VALUES ({job.MinerId}, {hour}, 1, {waifu}, {llama})
            ON CONFLICT (miner_id, hour) DO UPDATE SET
                jobs_done = miner_hourly.jobs_done + 1,
                waifu_points = miner_hourly.waifu_points + excluded.waifu_points,
                llama_points = miner_hourly.llama_points + excluded.llama_points;
            INSERT INTO miner_latency_daily (miner_id, day, bucket, jobs)
            VALUES ({job.MinerId}, {day}, {bucket}, 1)
            ON CONFLICT (miner_id, day, bucket) DO UPDATE SET jobs = miner_latency_daily.jobs + 1;
            INSERT INTO miner_summaries (miner_id, jobs_done, waifu_points, llama_points, last_job_at, points24h, points7d, jobs7d, uptime24h, uptime7d)
            VALUES ({job.MinerId}, 1, {waifu}, {llama}, {job.CompletedAt}, 0, 0, 0, 0, 0)
            ON CONFLICT (miner_id) DO UPDATE SET
                jobs_done = miner_summaries.jobs_done + 1,
                waifu_points = miner_summaries.waifu_points + excluded.waifu_points,
                llama_points = miner_summaries.llama_points + excluded.llama_points,
                last_job_at = GREATEST(miner_summaries.last_job_at, excluded.last_job_at)
            """,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A heartbeat: extends the miner's latest session when the silence before it is at most
    /// <paramref name="maxGap"/> (see <see cref="MinerUptime.Extends"/>), or starts a new one.
    /// </summary>
    public static async Task RecordHeartbeatAsync(PortalDbContext db, string minerId, DateTimeOffset at, TimeSpan maxGap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ownTransaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false)
            : null;
        await using (ownTransaction)
        {
            // Not composed by EF (ToList), so the row lock applies as written.
            var latest = (await db.MinerSessions
                .FromSql($"SELECT * FROM miner_sessions WHERE miner_id = {minerId} ORDER BY started_at DESC LIMIT 1 FOR UPDATE")
                .AsNoTracking()
                .ToListAsync(cancellationToken).ConfigureAwait(false)).SingleOrDefault();
            var session = latest is null ? (UptimeSession?)null : new UptimeSession(latest.StartedAt, latest.LastSeenAt);
            if (MinerUptime.Extends(session, at, maxGap))
            {
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"UPDATE miner_sessions SET last_seen_at = {at} WHERE miner_id = {minerId} AND started_at = {latest!.StartedAt}",
                    cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"INSERT INTO miner_sessions (miner_id, started_at, last_seen_at) VALUES ({minerId}, {at}, {at}) ON CONFLICT (miner_id, started_at) DO NOTHING",
                    cancellationToken).ConfigureAwait(false);
            }
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Recomputes every miner's windowed numbers as of <paramref name="now"/>: points and jobs over the last 24 hours
    /// and 7 days (by whole hours: the current hour and the 23 or 167 before it), uptime over the same spans, and the
    /// median latency over the last 7 days. Miners without a summary get one.
    /// </summary>
    public static async Task RefreshWindowsAsync(PortalDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var hour = HourOf(now);
        var (dayAgo, weekAgo) = (now.AddDays(-1), now.AddDays(-7));
        var firstDay = DateOnly.FromDateTime(now.UtcDateTime.AddDays(-6));

        var minerIds = await db.Miners.AsNoTracking().Select(m => m.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var points = await db.MinerHourly.AsNoTracking()
            .Where(h => h.Hour >= hour.AddHours(-167))
            .GroupBy(h => h.MinerId)
            .Select(g => new
            {
                MinerId = g.Key,
                Points24h = g.Where(h => h.Hour >= hour.AddHours(-23)).Sum(h => h.WaifuPoints + h.LlamaPoints),
                Points7d = g.Sum(h => h.WaifuPoints + h.LlamaPoints),
                Jobs7d = g.Sum(h => h.JobsDone),
            })
            .ToDictionaryAsync(p => p.MinerId, cancellationToken).ConfigureAwait(false);
        var sessions = (await db.MinerSessions.AsNoTracking()
                .Where(s => s.LastSeenAt > weekAgo)
                .ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToLookup(s => s.MinerId, s => new UptimeSession(s.StartedAt, s.LastSeenAt));
        var latencies = (await db.MinerLatencyDaily.AsNoTracking()
                .Where(l => l.Day >= firstDay)
                .GroupBy(l => new { l.MinerId, l.Bucket })
                .Select(g => new { g.Key.MinerId, g.Key.Bucket, Jobs = g.Sum(l => l.Jobs) })
                .ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToLookup(l => l.MinerId);

        var count = minerIds.Count;
        var (points24h, points7d, jobs7d) = (new decimal[count], new decimal[count], new long[count]);
        var (uptime24h, uptime7d, medians) = (new double[count], new double[count], new double?[count]);
        for (var i = 0; i < count; i++)
        {
            var id = minerIds[i];
            if (points.TryGetValue(id, out var p))
            {
                (points24h[i], points7d[i], jobs7d[i]) = (p.Points24h, p.Points7d, p.Jobs7d);
            }
            uptime24h[i] = MinerUptime.Fraction(sessions[id], dayAgo, now);
            uptime7d[i] = MinerUptime.Fraction(sessions[id], weekAgo, now);
            var counts = new long[LatencyBuckets.Count];
            foreach (var bucket in latencies[id])
            {
                counts[bucket.Bucket] += bucket.Jobs;
            }
            medians[i] = LatencyBuckets.MedianMs(counts);
        }

        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO miner_summaries (miner_id, jobs_done, waifu_points, llama_points, points24h, points7d, jobs7d, uptime24h, uptime7d, median_latency_ms, windows_at)
            SELECT w.miner_id, 0, 0, 0, w.points24h, w.points7d, w.jobs7d, w.uptime24h, w.uptime7d, w.median, {now}
            FROM unnest({minerIds.ToArray()}, {points24h}, {points7d}, {jobs7d}, {uptime24h}, {uptime7d}, {medians})
                AS w (miner_id, points24h, points7d, jobs7d, uptime24h, uptime7d, median)
            ON CONFLICT (miner_id) DO UPDATE SET
                points24h = excluded.points24h, points7d = excluded.points7d, jobs7d = excluded.jobs7d,
                uptime24h = excluded.uptime24h, uptime7d = excluded.uptime7d,
                median_latency_ms = excluded.median_latency_ms, windows_at = excluded.windows_at
            """,
            cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>What a finished job adds to the rollups. Latency is the miner's time to render it.</summary>
public sealed record FinishedJob(
    string MinerId,
    string ModelId,
    PointsKind Kind,
    decimal Points,
    DateTimeOffset CompletedAt,
    TimeSpan Latency);
