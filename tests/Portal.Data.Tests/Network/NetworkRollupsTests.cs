using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Miners;
using Heurist.Portal.Data.Network;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Miners;
using Heurist.Protocol.Network;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Heurist.Contracts.LocalChain;

namespace Heurist.Portal.Data.Tests.Network;

/// <summary>
/// Random jobs, credits, retries and heartbeats written the way the portal and the workers write them, then compared
/// with a brute-force recount from the rows.
/// </summary>
[Integration]
public sealed class NetworkRollupsTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 37, 12, 345, TimeSpan.Zero);
    private static readonly string[] ModelIds = ["sd15", "sdxl", "flux-dev"];

    [Fact]
    public async Task Incremental_rollups_equal_a_recount_of_random_jobs_credits_and_retries()
    {
        var ct = TestContext.Current.CancellationToken;
        var connection = await postgres.CreateMigratedDatabaseAsync("rollups-recount");
        var random = new Random(5);
        string[] minerIds = ["rig-a", "rig-b", "rig-c", "rig-d", "rig-e"];
        await using (var db = PostgresFixture.CreateContext(connection))
        {
            db.Miners.AddRange(minerIds.Select(NewMiner));
            await db.SaveChangesAsync(ct);
        }

        for (var i = 0; i < 600; i++)
        {
            // Spread over 9 days, so both windows and the 7-day latency cut-off have jobs on each side.
            var created = Milliseconds(Now.AddSeconds(-random.NextDouble() * 9 * 86_400));
            var job = NewJob(ModelIds[random.Next(ModelIds.Length)], created);
            await using var db = PostgresFixture.CreateContext(connection);
            await using (var submit = await db.Database.BeginTransactionAsync(ct))
            {
                db.ImageJobs.Add(job);
                await db.SaveChangesAsync(ct);
                await NetworkRollups.RecordRequestAsync(db, job.ModelId, job.CreatedAt, ct);
                await submit.CommitAsync(ct);
            }
            if (random.NextDouble() < 0.15)
            {
                continue; // still queued, failed or canceled: a request with no credit
            }

            var miner = minerIds[random.Next(minerIds.Length)];
            var started = Milliseconds(created.AddSeconds(random.NextDouble() * 30));
            // Log-uniform from 20 ms to about 40 minutes: every latency bucket can be hit.
            var completed = Milliseconds(started.AddMilliseconds(Math.Exp(Math.Log(20) + (random.NextDouble() * Math.Log(120_000)))));
            if (completed > Now)
            {
                continue;
            }
            var kind = random.NextDouble() < 0.8 ? PointsKind.Waifu : PointsKind.Llama;
            var points = Math.Round((decimal)random.NextDouble() * 3, 6);
            // Some jobs are stored twice, as a worker's retry after a crash would: the second credit is refused and counts nothing.
            var attempts = random.NextDouble() < 0.1 ? 2 : 1;
            for (var attempt = 0; attempt < attempts; attempt++)
            {
                await StoreResultAsync(connection, job.Id, miner, kind, points, started, completed, ct);
            }
        }

        await using var check = PostgresFixture.CreateContext(connection);
        var expected = await RollupRecount.CountAsync(check, ct);
        var actual = await RollupRecount.ReadRollupsAsync(check, ct);
        Assert.True(expected.MinerHours.Count > 100, "The random data should spread over many miner-hours.");
        Assert.Equal(expected.NetworkHours, actual.NetworkHours);
        Assert.Equal(expected.MinerHours, actual.MinerHours);
        Assert.Equal(expected.LatencyDays, actual.LatencyDays);
        Assert.Equal(expected.Totals, actual.Totals);

        await NetworkRollups.RefreshWindowsAsync(check, Now, ct);
        var summaries = await check.MinerSummaries.AsNoTracking().ToDictionaryAsync(s => s.MinerId, ct);
        Assert.Equal(minerIds.Order(), summaries.Keys.Order());
        foreach (var minerId in minerIds)
        {
            var (points24h, points7d, jobs7d, latency) = await RollupRecount.WindowsAsync(check, minerId, Now, ct);
            var summary = summaries[minerId];
            Assert.Equal(points24h, summary.Points24h);
            Assert.Equal(points7d, summary.Points7d);
            Assert.Equal(jobs7d, summary.Jobs7d);
            Assert.Equal(LatencyBuckets.MedianMs(latency), summary.MedianLatencyMs);
            Assert.Equal(Now, summary.WindowsAt);
        }
    }

    [Fact]
    public async Task Uptime_from_heartbeat_sessions_equals_a_second_by_second_count_across_gaps_and_restarts()
    {
        var ct = TestContext.Current.CancellationToken;
        var connection = await postgres.CreateMigratedDatabaseAsync("rollups-uptime");
        var maxGap = MinerUptime.MaxGap(TimeSpan.FromSeconds(90));
        await using var db = PostgresFixture.CreateContext(connection);
        db.Miners.Add(NewMiner("rig-uptime"));
        await db.SaveChangesAsync(ct);

        // Heartbeats every ~90 s over the last 8 days with outages: short silences that stay within the gap, long
        // ones that end a session, and two beats in one second (a restart).
        var random = new Random(11);
        var beats = new List<DateTimeOffset>();
        var at = Seconds(Now.AddDays(-8));
        while (at < Now)
        {
            beats.Add(at);
            var roll = random.NextDouble();
            var step = roll switch
            {
                < 0.004 => random.Next(3_600, 30 * 3_600), // a long outage
                < 0.03 => random.Next(300, 1_800),        // a short one that still ends the session
                < 0.08 => random.Next(200, 271),          // late beats, within the 270 s gap
                < 0.09 => 0,                              // a duplicate
                _ => random.Next(80, 100),
            };
            at = at.AddSeconds(step);
        }
        foreach (var beat in beats)
        {
            await NetworkRollups.RecordHeartbeatAsync(db, "rig-uptime", beat, maxGap, ct);
        }

        var sessions = (await db.MinerSessions.AsNoTracking().Where(s => s.MinerId == "rig-uptime").ToListAsync(ct))
            .Select(s => new UptimeSession(s.StartedAt, s.LastSeenAt))
            .ToList();
        Assert.True(sessions.Count > 5, $"Expected several sessions, got {sessions.Count}.");
        foreach (var (from, to) in new[] { (Now.AddDays(-1), Now), (Now.AddDays(-7), Now), (Now.AddDays(-8), Now.AddDays(-6.5)) })
        {
            Assert.Equal(SecondBySecond(beats, maxGap, Seconds(from), Seconds(to)), MinerUptime.Fraction(sessions, Seconds(from), Seconds(to)), 9);
        }

        await NetworkRollups.RefreshWindowsAsync(db, Seconds(Now), ct);
        var summary = await db.MinerSummaries.AsNoTracking().SingleAsync(s => s.MinerId == "rig-uptime", ct);
        Assert.Equal(SecondBySecond(beats, maxGap, Seconds(Now.AddDays(-1)), Seconds(Now)), summary.Uptime24h, 9);
        Assert.Equal(SecondBySecond(beats, maxGap, Seconds(Now.AddDays(-7)), Seconds(Now)), summary.Uptime7d, 9);
        Assert.InRange(summary.Uptime7d, 0.1, 0.99); // neither trivially up nor down
    }

    /// <summary>The share of seconds in [from, to) that lie between two consecutive heartbeats no more than maxGap apart.</summary>
    private static double SecondBySecond(List<DateTimeOffset> beats, TimeSpan maxGap, DateTimeOffset from, DateTimeOffset to)
    {
        var up = 0;
        var total = (int)(to - from).TotalSeconds;
        var next = 0;
        for (var second = from; second < to; second = second.AddSeconds(1))
        {
            while (next < beats.Count && beats[next] <= second)
            {
                next++;
            }
            if (next > 0 && next < beats.Count && beats[next] - beats[next - 1] <= maxGap)
            {
                up++;
            }
        }
        return (double)up / total;
    }

    private static async Task StoreResultAsync(
        string connection, Guid jobId, string minerId, PointsKind kind, decimal points, DateTimeOffset started, DateTimeOffset completed, CancellationToken ct)
    {
        await using var db = PostgresFixture.CreateContext(connection);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var credited = await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO points_credits (job_id, miner_id, kind, points, credited_at) VALUES ({jobId}, {minerId}, {kind.ToString()}, {points}, {completed}) ON CONFLICT (job_id) DO NOTHING",
            ct);
        if (credited == 1)
        {
            await NetworkRollups.RecordFinishedJobAsync(db, new FinishedJob(minerId, "unused", kind, points, completed, completed - started) with
            {
                ModelId = await db.ImageJobs.Where(j => j.Id == jobId).Select(j => j.ModelId).SingleAsync(ct),
            }, ct);
        }
        var job = await db.ImageJobs.SingleAsync(j => j.Id == jobId, ct);
        (job.State, job.MinerId, job.StartedAt, job.CompletedAt, job.Points) = (ImageJobState.Succeeded, minerId, started, completed, points);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private static Miner NewMiner(string id) => new()
    {
        Id = id,
        RewardAddress = AnvilAccounts.Address(1).ToLowerInvariant(),
        DeviceName = "NVIDIA GeForce RTX 4090",
        DeviceKind = DeviceKind.Cuda,
        MemoryBytes = 24L << 30,
        Queues = ["sd15"],
        HostName = id,
        WorkerVersion = "1.0.0",
        RegisteredAt = Now.AddDays(-30),
        StartedAt = Now.AddDays(-1),
        LastHeartbeatAt = Now.AddMinutes(-1),
    };

    private static ImageJob NewJob(string modelId, DateTimeOffset created) => new()
    {
        Id = Guid.NewGuid(),
        CreatorId = "creator",
        CreatedAt = created,
        Prompt = "a lighthouse",
        NegativePrompt = "",
        ModelId = modelId,
        Width = 512,
        Height = 512,
        Steps = 20,
        Guidance = 7,
        Seed = 1,
        Scheduler = "euler",
        State = ImageJobState.Queued,
    };

    private static DateTimeOffset Milliseconds(DateTimeOffset at) => at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMillisecond));

    private static DateTimeOffset Seconds(DateTimeOffset at) => at.AddTicks(-(at.Ticks % TimeSpan.TicksPerSecond));
}
