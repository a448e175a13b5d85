using System.Net.Http.Json;
using Heurist.Portal.Data.Chain;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Network;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Jobs;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Server.Tests.Features.Stats;

/// <summary>/api/stats over a small network whose every number is known.</summary>
public sealed class NetworkStatsApiTests(PostgresFixture postgres, DeployedChainFixture chain) : IAsyncLifetime
{
    private readonly PortalApp portal = new(postgres, chain);
    private readonly Guid recentJob = Guid.NewGuid();
    private DateTimeOffset now;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await portal.InitializeAsync();
        portal.Settings["Portal:StatsRefreshSeconds"] = "3600";
        now = DateTimeOffset.UtcNow;
        await using var db = StatsSeed.Database(portal);
        db.Miners.AddRange(
            StatsSeed.Miner("stats-a", "NVIDIA GeForce RTX 4090", now.AddSeconds(-5)),
            StatsSeed.Miner("stats-b", "NVIDIA GeForce RTX 4090", now.AddMinutes(-4)),
            StatsSeed.Miner("stats-c", "NVIDIA A100 80GB", now.AddSeconds(-30)),
            StatsSeed.Miner("stats-d", "NVIDIA H100 80GB HBM3", now.AddMinutes(-6)));
        db.NftTokens.AddRange(
            new NftToken { ImageHash = "0x" + new string('1', 64), Owner = "0x" + new string('a', 40), MintTransactionHash = "0x" + new string('b', 64), MintedAt = now },
            new NftToken { ImageHash = "0x" + new string('2', 64), Owner = "0x" + new string('a', 40), MintTransactionHash = "0x" + new string('c', 64), MintedAt = now });
        db.Stakes.Add(StatsSeed.Stake("0x3333333333333333333333333333333333333333", "stats-a", StakeKind.Heu, 12_000m));
        db.ImageJobs.Add(new ImageJob
        {
            Id = recentJob, CreatorId = "c", CreatedAt = now.AddMinutes(-2), Prompt = "p", NegativePrompt = "", ModelId = "sd15", Width = 512, Height = 512,
            Steps = 20, Guidance = 7, Seed = 1, Scheduler = "euler", State = ImageJobState.Succeeded, MinerId = "stats-a",
            StartedAt = now.AddMinutes(-2), CompletedAt = now.AddMinutes(-2).AddMilliseconds(1500),
        });
        db.PointsCredits.Add(new PointsCredit { JobId = recentJob, MinerId = "stats-a", Kind = PointsKind.Waifu, Points = 1.5m, CreditedAt = now.AddMinutes(-2).AddMilliseconds(1500) });
        await db.SaveChangesAsync(ct);

        foreach (var (model, ago) in new[] { ("sd15", 1.0), ("sd15", 1.0), ("sd15", 1.0), ("sdxl", 30.0), ("flux-dev", 240.0), ("flux-dev", 240.0) })
        {
            await NetworkRollups.RecordRequestAsync(db, model, now.AddHours(-ago), ct);
        }
        await NetworkRollups.RecordFinishedJobAsync(db, new FinishedJob("stats-a", "sd15", PointsKind.Waifu, 1.5m, now.AddHours(-1), TimeSpan.FromSeconds(2)), ct);
        await NetworkRollups.RecordFinishedJobAsync(db, new FinishedJob("stats-b", "sd15", PointsKind.Waifu, 1.5m, now.AddHours(-1), TimeSpan.FromSeconds(3)), ct);
        await NetworkRollups.RecordFinishedJobAsync(db, new FinishedJob("stats-c", "sdxl", PointsKind.Llama, 2m, now.AddHours(-29), TimeSpan.FromSeconds(4)), ct);
        await StatsSeed.RefreshAsync(portal);
    }

    public ValueTask DisposeAsync() => portal.DisposeAsync();

    [Fact]
    public async Task The_stats_count_requests_gpus_points_images_and_stake_from_the_rollups()
    {
        var ct = TestContext.Current.CancellationToken;
        var stats = (await portal.CreateClient().GetFromJsonAsync<NetworkStats>("/api/stats", ct))!;

        Assert.Equal(6, stats.RequestsAllTime);
        Assert.Equal(3, stats.Requests24h);
        Assert.Equal(3, stats.ActiveGpus); // stats-d's last heartbeat is 6 minutes old
        Assert.Equal(4, stats.MinersTotal);
        Assert.Equal(3m, stats.WaifuPoints);
        Assert.Equal(2m, stats.LlamaPoints);
        Assert.Equal(3, stats.ImagesGenerated);
        // The indexer may add NFTs minted on the shared test chain by other tests; ours are there at least.
        await using var db = StatsSeed.Database(portal);
        Assert.InRange(stats.ImagesMinted, 2, await db.NftTokens.LongCountAsync(ct));
        Assert.True(stats.StakedHeu >= 12_000m, $"Staked HEU {stats.StakedHeu}");
    }

    [Fact]
    public async Task The_charts_hold_168_hours_the_model_shares_and_the_top_devices_of_active_workers()
    {
        var ct = TestContext.Current.CancellationToken;
        var stats = (await portal.CreateClient().GetFromJsonAsync<NetworkStats>("/api/stats", ct))!;

        Assert.Equal(168, stats.RequestsPerHour.Count);
        Assert.Equal(NetworkRollups.HourOf(stats.AsOf), stats.RequestsPerHour[^1].Hour);
        Assert.Equal(3, stats.RequestsPerHour.Single(h => h.Hour == NetworkRollups.HourOf(now.AddHours(-1))).Requests);
        Assert.Equal(4, stats.RequestsPerHour.Sum(h => h.Requests)); // the flux-dev requests are 10 days old
        Assert.Equal([("sd15", 3L), ("flux-dev", 2L), ("sdxl", 1L)], stats.ModelShares.Select(m => (m.ModelId, m.Requests)));
        Assert.Equal(0.5, stats.ModelShares[0].Share, 9);
        Assert.Equal([new DeviceCount("NVIDIA GeForce RTX 4090", 2), new DeviceCount("NVIDIA A100 80GB", 1)], stats.TopDevices);
    }

    [Fact]
    public async Task Recent_jobs_come_from_the_credits_with_their_latency()
    {
        var ct = TestContext.Current.CancellationToken;
        var stats = (await portal.CreateClient().GetFromJsonAsync<NetworkStats>("/api/stats", ct))!;

        var job = Assert.Single(stats.RecentJobs);
        Assert.Equal((recentJob, "sd15", "stats-a"), (job.JobId, job.ModelId, job.MinerId));
        Assert.Equal(1500, job.LatencyMs, 3);
    }
}
