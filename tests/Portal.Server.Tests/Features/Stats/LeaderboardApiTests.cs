using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Staking;
using Heurist.Portal.Data.Chain;
using Heurist.Portal.Data.Network;
using Heurist.Portal.Data.Rewards;
using Heurist.Protocol.Api.Staking;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Network;
using Heurist.Testing;
using ExpectedApr = Heurist.Protocol.Rewards.ExpectedApr;
using MinerEpochReward = Heurist.Protocol.Rewards.MinerEpochReward;
using MinerOutlookInput = Heurist.Protocol.Rewards.MinerOutlookInput;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Server.Tests.Features.Stats;

/// <summary>A portal over a seeded network of 30 miners, refreshed only when a test asks.</summary>
public sealed class LeaderboardNetwork(PostgresFixture postgres, DeployedChainFixture chain) : IAsyncLifetime
{
    public static readonly string[] Devices = ["NVIDIA GeForce RTX 4090", "NVIDIA A100 80GB", "NVIDIA GeForce RTX 3090"];

    public PortalApp Portal { get; } = new(postgres, chain);

    public async ValueTask InitializeAsync()
    {
        await Portal.InitializeAsync();
        Portal.Settings["Portal:StatsRefreshSeconds"] = "3600";
        var portal = Portal;
        var now = DateTimeOffset.UtcNow;
        await using var db = StatsSeed.Database(portal);
        for (var i = 1; i <= 30; i++)
        {
            var id = $"board-{i:00}";
            // Every third miner fell silent an hour ago; points grow with i except for a tie between 10 and 11.
            db.Miners.Add(StatsSeed.Miner(id, Devices[i % 3], i % 3 == 0 ? now.AddHours(-1) : now.AddSeconds(-10), memoryBytes: (16L + i) << 30));
            db.MinerSummaries.Add(StatsSeed.Summary(id, waifu: i == 11 ? 100m : i * 10m, jobs: i * 3));
            if (i % 5 != 0)
            {
                // One job today in latency bucket i: the higher i, the slower. Every fifth miner has no latency.
                db.MinerLatencyDaily.Add(new MinerLatencyDaily { MinerId = id, Day = DateOnly.FromDateTime(now.UtcDateTime), Bucket = (short)i, Jobs = 1 });
            }
            db.MinerModels.Add(StatsSeed.Model(id, "sd15"));
            if (i % 4 == 0)
            {
                db.MinerModels.Add(StatsSeed.Model(id, "flux-dev"));
            }
        }
        db.Stakes.Add(StatsSeed.Stake("0x1111111111111111111111111111111111111111", "board-05", StakeKind.Heu, 20_000m));
        db.Stakes.Add(StatsSeed.Stake("0x1111111111111111111111111111111111111111", "board-05", StakeKind.EsHeu, 10_000m));
        db.Stakes.Add(StatsSeed.Stake("0x2222222222222222222222222222222222222222", "board-05", StakeKind.Heu, 35_000m));
        // Far above any block of the shared test chain: the portal's indexer writes that chain's bribes into the same
        // table, and a seeded row on a real event's (block, log index) stopped the indexer, and the portal with it.
        db.BribeChanges.Add(StatsSeed.Bribe("board-05", 900_000_010, 500, now.AddDays(-2)));
        db.BribeChanges.Add(StatsSeed.Bribe("board-05", 900_000_020, 1_250, now.AddDays(-1)));
        db.Stakes.Add(StatsSeed.Stake("0x3333333333333333333333333333333333333333", "board-20", StakeKind.Heu, 15_000m));
        // Up for the last day of the week, so its expected APR is neither 0 nor its whole-week rate.
        db.MinerSessions.Add(new MinerSession { MinerId = "board-05", StartedAt = now.AddDays(-1), LastSeenAt = now });
        // Two settled epochs, the later one empty: board-05, board-10 and board-20 earned in the first.
        var epochStart = now.AddHours(-3);
        db.EpochSettlements.Add(new EpochSettlementRecord { Epoch = 1, Status = EpochSettlementStatus.Posted, StartsAt = epochStart, EndsAt = epochStart.AddHours(1), ComputedAt = now });
        db.EpochSettlements.Add(new EpochSettlementRecord { Epoch = 2, Status = EpochSettlementStatus.Empty, StartsAt = epochStart.AddHours(1), EndsAt = epochStart.AddHours(2), ComputedAt = now });
        db.EpochMinerRewards.AddRange(
            SettledEpoch1("board-05", waifuTokens: 800m, llamaTokens: 200m, stakeTokens: 65_000m, bribeBps: 1_250),
            SettledEpoch1("board-10", waifuTokens: 40m, llamaTokens: 0m, stakeTokens: 20_000m, bribeBps: 0),
            SettledEpoch1("board-20", waifuTokens: 90m, llamaTokens: 10m, stakeTokens: 15_000m, bribeBps: 0));
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        await StatsSeed.RefreshAsync(portal);
    }

    public ValueTask DisposeAsync() => Portal.DisposeAsync();

    /// <summary>A miner's row of settled epoch 1: its rewards, and its efficiency from the stake it had then.</summary>
    public static EpochMinerRewardRecord SettledEpoch1(string minerId, decimal waifuTokens, decimal llamaTokens, decimal stakeTokens, int bribeBps)
    {
        var reward = (waifuTokens + llamaTokens) * StatsSeed.Wei;
        var bribe = reward * bribeBps / 10_000;
        return new EpochMinerRewardRecord
        {
            Epoch = 1,
            MinerChainId = MinerChainId.Of(minerId),
            RewardAddress = AnvilAccounts.Address(1).ToLowerInvariant(),
            StakeWei = stakeTokens * StatsSeed.Wei,
            EfficiencyNumerator = Math.Min(stakeTokens, 100_000m) * StatsSeed.Wei,
            WaifuReward = waifuTokens * StatsSeed.Wei,
            LlamaReward = llamaTokens * StatsSeed.Wei,
            BribePaid = bribe,
            OwnerPaid = reward - bribe,
            BribeBps = bribeBps,
        };
    }
}

/// <summary>/api/leaderboard and /api/miners/{id}.</summary>
public sealed class LeaderboardApiTests(LeaderboardNetwork network) : IClassFixture<LeaderboardNetwork>
{
    private static readonly string[] Devices = LeaderboardNetwork.Devices;
    private static readonly BigInteger Token = BigInteger.Pow(10, 18);
    private readonly PortalApp portal = network.Portal;

    [Fact]
    public async Task The_first_page_by_points_is_ranked_and_counts_every_miner()
    {
        var page = await GetAsync("/api/leaderboard?sort=points&desc=true&page=1&pageSize=10");

        Assert.Equal(30, page.TotalCount);
        Assert.Equal(["board-30", "board-29", "board-28", "board-27", "board-26", "board-25", "board-24", "board-23", "board-22", "board-21"], page.Rows.Select(r => r.MinerId));
        Assert.Equal(Enumerable.Range(1, 10), page.Rows.Select(r => r.Rank));
        Assert.Equal(300m, page.Rows[0].Points);
        Assert.Equal(Devices, page.GpuModels.OrderBy(d => Array.IndexOf(Devices, d)));
        Assert.Equal(["flux-dev", "sd15"], page.Models);
    }

    [Fact]
    public async Task Search_keeps_the_miners_whose_id_contains_the_text_in_any_case()
    {
        var page = await GetAsync("/api/leaderboard?sort=miner&desc=false&q=BOARD-0&pageSize=100");

        Assert.Equal(9, page.TotalCount);
        Assert.Equal([.. Enumerable.Range(1, 9).Select(i => $"board-0{i}")], page.Rows.Select(r => r.MinerId));
    }

    [Fact]
    public async Task Ascending_order_and_later_pages_come_from_the_server()
    {
        var last = await GetAsync("/api/leaderboard?sort=points&desc=false&page=3&pageSize=10");
        // Ascending: board-01 (10) … board-30 (300); board-10 and board-11 tie at 100 and keep their rank order.
        Assert.Equal(Enumerable.Range(21, 10).Select(i => $"board-{i:00}"), last.Rows.Select(r => r.MinerId));

        var tie = await GetAsync("/api/leaderboard?sort=points&desc=false&page=1&pageSize=12");
        Assert.Equal(["board-10", "board-11"], tie.Rows.Skip(9).Take(2).Select(r => r.MinerId));

        var beyond = await GetAsync("/api/leaderboard?page=9&pageSize=10");
        Assert.Empty(beyond.Rows);
        Assert.Equal(30, beyond.TotalCount);
    }

    [Fact]
    public async Task Filters_by_gpu_model_served_and_activity_narrow_the_rows_and_the_count()
    {
        var a100 = await GetAsync("/api/leaderboard?gpu=" + Uri.EscapeDataString("NVIDIA A100 80GB") + "&pageSize=100");
        Assert.Equal(10, a100.TotalCount);
        Assert.All(a100.Rows, r => Assert.Equal("NVIDIA A100 80GB", r.DeviceName));

        var flux = await GetAsync("/api/leaderboard?model=flux-dev&pageSize=100");
        Assert.Equal(Enumerable.Range(1, 30).Where(i => i % 4 == 0).Select(i => $"board-{i:00}").Reverse(), flux.Rows.Select(r => r.MinerId));

        var inactive = await GetAsync("/api/leaderboard?active=false&pageSize=100");
        Assert.Equal(10, inactive.TotalCount);
        Assert.All(inactive.Rows, r => Assert.False(r.Active));

        var both = await GetAsync("/api/leaderboard?active=true&model=flux-dev&gpu=" + Uri.EscapeDataString("NVIDIA A100 80GB") + "&pageSize=100");
        // i % 3 == 1 (A100) and i % 4 == 0 and active (i % 3 != 0): 4, 16, 28.
        Assert.Equal(["board-28", "board-16", "board-04"], both.Rows.Select(r => r.MinerId));
    }

    [Fact]
    public async Task Sorting_by_latency_puts_miners_without_one_last_both_ways()
    {
        var ascending = await GetAsync("/api/leaderboard?sort=latency&desc=false&pageSize=100");
        var descending = await GetAsync("/api/leaderboard?sort=latency&desc=true&pageSize=100");

        Assert.Equal("board-01", ascending.Rows[0].MinerId);
        Assert.Equal("board-29", descending.Rows[0].MinerId);
        Assert.Equal(LatencyBuckets.Middle(29), descending.Rows[0].MedianLatencyMs);
        Assert.All(ascending.Rows.TakeLast(6), r => Assert.Null(r.MedianLatencyMs));
        Assert.All(descending.Rows.TakeLast(6), r => Assert.Null(r.MedianLatencyMs));
    }

    [Fact]
    public async Task Stake_efficiency_and_the_latest_bribe_are_on_the_row()
    {
        var row = (await GetAsync("/api/leaderboard?sort=stake&desc=true&pageSize=1")).Rows.Single();

        Assert.Equal("board-05", row.MinerId);
        Assert.Equal(55_000m, row.StakeHeu);
        Assert.Equal(10_000m, row.StakeEsHeu);
        Assert.Equal(0.65m, row.StakeEfficiency);
        Assert.Equal(1_250, row.BribeBasisPoints);
    }

    [Fact]
    public async Task Expected_apr_is_the_estimate_of_the_miners_settled_epochs_and_sorting_by_it_puts_the_misses_last_both_ways()
    {
        var down = await GetAsync("/api/leaderboard?sort=apr&desc=true&pageSize=100");
        var up = await GetAsync("/api/leaderboard?sort=apr&desc=false&pageSize=100");

        Assert.Equal(["board-05", "board-20"], down.Rows.Take(2).Select(r => r.MinerId));
        Assert.Equal(["board-20", "board-05"], up.Rows.Take(2).Select(r => r.MinerId));
        foreach (var page in new[] { down, up })
        {
            // The misses follow in rank order whichever way the column is sorted.
            Assert.All(page.Rows.Skip(2), r => Assert.Null(r.ExpectedApr));
            Assert.Equal(page.Rows.Skip(2).Select(r => r.Rank).Order(), page.Rows.Skip(2).Select(r => r.Rank));
        }

        var board05 = down.Rows[0];
        Assert.InRange(board05.Uptime7d, 0.1, 0.2);
        var expected = ExpectedApr.Estimate(new MinerOutlookInput(
            [new MinerEpochReward(1, 1_000 * Token, 65_000 * Token)], 1_250, 65_000 * Token, (long)Math.Round(board05.Uptime7d * 1_000_000), 3_600));
        Assert.NotNull(expected.Apr);
        Assert.NotEqual(0m, expected.Apr);
        Assert.Equal((expected.Apr, expected.Formula, true), (board05.ExpectedApr, board05.AprBasis, board05.AprHasHistory));
        Assert.Equal(0m, down.Rows[1].ExpectedApr);

        // board-10 earned in epoch 1 but has no stake now; board-07 never earned in a settled epoch.
        var board10 = down.Rows.Single(r => r.MinerId == "board-10");
        Assert.True(board10.AprHasHistory);
        Assert.EndsWith("no stake yet, so no rate", board10.AprBasis, StringComparison.Ordinal);
        var board07 = down.Rows.Single(r => r.MinerId == "board-07");
        Assert.False(board07.AprHasHistory);
        Assert.StartsWith("No history", board07.AprBasis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_miners_page_carries_the_outlook_its_expected_apr_was_computed_from()
    {
        var ct = TestContext.Current.CancellationToken;
        var miner = (await portal.CreateClient().GetFromJsonAsync<MinerDetails>("/api/miners/board-05", ct))!;

        var outlook = miner.Outlook;
        Assert.Equal([new MinerOutlookEpoch(1, Wei.ToText(1_000 * Token), Wei.ToText(65_000 * Token))], outlook.History);
        Assert.Equal((1_250, Wei.ToText(65_000 * Token), 3_600L, 5_000), (outlook.BribeBps, outlook.TotalStakeWei, outlook.EpochLengthSeconds, outlook.EsHeuShareBps));
        Assert.Equal(miner.Summary.ExpectedApr, outlook.Estimate().Apr);
    }

    [Fact]
    public async Task A_miner_answers_with_its_stakers_bribe_history_and_30_days()
    {
        var ct = TestContext.Current.CancellationToken;
        var miner = await portal.CreateClient().GetFromJsonAsync<MinerDetails>("/api/miners/board-05", ct);

        Assert.NotNull(miner);
        Assert.Equal("board-05", miner.Summary.MinerId);
        Assert.Equal(MinerChainId.Of("board-05"), miner.MinerChainId);
        Assert.Equal("host-board-05", miner.HostName);
        Assert.Equal(
            [new StakerStake("0x2222222222222222222222222222222222222222", 35_000m, 0m), new StakerStake("0x1111111111111111111111111111111111111111", 20_000m, 10_000m)],
            miner.Stakers);
        Assert.Equal([1_250, 500], miner.Bribes.Select(b => b.BasisPoints));
        Assert.Equal(30, miner.Days.Count);
        Assert.Equal(DateOnly.FromDateTime(miner.AsOf.UtcDateTime), miner.Days[^1].Day);
    }

    [Fact]
    public async Task Answers_carry_an_etag_and_a_matching_if_none_match_gets_304()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = portal.CreateClient();
        foreach (var path in new[] { "/api/leaderboard?sort=points&desc=true&page=1&pageSize=25", "/api/miners/board-07", "/api/stats" })
        {
            using var first = await client.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var tag = first.Headers.ETag;
            Assert.NotNull(tag);
            Assert.False(tag.IsWeak);
            Assert.True(first.Headers.CacheControl?.NoCache, $"{path} should ask clients to revalidate.");

            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(tag);
            using var notModified = await client.SendAsync(again, ct);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(ct));

            using var stale = new HttpRequestMessage(HttpMethod.Get, path);
            stale.Headers.IfNoneMatch.ParseAdd("\"something-else\"");
            using var full = await client.SendAsync(stale, ct);
            Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        }
    }

    [Fact]
    public async Task A_changed_leaderboard_gets_a_new_etag()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = portal.CreateClient();
        const string path = "/api/leaderboard?sort=jobs&desc=true&page=1&pageSize=5&model=sd15";
        using var before = await client.GetAsync(path, ct);
        Assert.Equal("board-30", (await before.Content.ReadFromJsonAsync<LeaderboardPage>(ct))!.Rows[0].MinerId);
        // Only the jobs order changes, which no other test of this class looks at.
        await using (var db = StatsSeed.Database(portal))
        {
            var summary = await db.MinerSummaries.SingleAsync(s => s.MinerId == "board-02", ct);
            summary.JobsDone = 10_000;
            await db.SaveChangesAsync(ct);
        }
        await StatsSeed.RefreshAsync(portal);

        using var after = await client.GetAsync(path, ct);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.Equal("board-02", (await after.Content.ReadFromJsonAsync<LeaderboardPage>(ct))!.Rows[0].MinerId);
    }

    [Theory]
    [InlineData("/api/leaderboard?sort=fastest", "sort", "sort must be one of points, points24h")]
    [InlineData("/api/leaderboard?sort=1", "sort", "sort must be one of")]
    [InlineData("/api/leaderboard?pageSize=500", "pageSize", "pageSize must be between 1 and 100")]
    [InlineData("/api/leaderboard?page=0", "page", "page must be 1 or more")]
    public async Task A_bad_leaderboard_query_is_refused_naming_the_parameter(string path, string field, string message)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await portal.CreateClient().GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.StartsWith(message, problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_is_refused_naming_the_parameter_without_a_stack_trace()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await portal.CreateClient().GetAsync("/api/leaderboard?desc=maybe", ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.Contains("desc", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_miner_is_404_with_its_name()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await portal.CreateClient().GetAsync("/api/miners/nobody-here", ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.Equal("There is no miner nobody-here.", problem.RootElement.GetProperty("title").GetString());
    }

    private async Task<LeaderboardPage> GetAsync(string path)
        => (await portal.CreateClient().GetFromJsonAsync<LeaderboardPage>(path, TestContext.Current.CancellationToken))!;
}
