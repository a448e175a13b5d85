using System.Text;
using Nethereum.Util;
using Heurist.NetworkGenerator;
using Heurist.Protocol.Network;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Heurist.Portal.Data.Tests.NetworkGenerator;

[Integration]
public sealed class SyntheticNetworkTests(GeneratedNetwork network, PostgresFixture postgres) : IClassFixture<GeneratedNetwork>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_tables_hold_as_many_miners_and_jobs_as_asked_and_the_summary_says_so()
    {
        Assert.Equal(GeneratedNetwork.Miners, await ScalarAsync<long>(network.ConnectionString, "SELECT count(*) FROM miners"));
        Assert.Equal(GeneratedNetwork.Jobs, await ScalarAsync<long>(network.ConnectionString, "SELECT count(*) FROM image_jobs"));
        var summary = network.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains($"miners={GeneratedNetwork.Miners}", summary);
        Assert.Contains($"jobs={GeneratedNetwork.Jobs}", summary);
        Assert.Contains(summary, line => line.StartsWith("seconds=", StringComparison.Ordinal));
        Assert.All(summary, line => Assert.Matches("^[a-z_]+=.+$", line));
    }

    [Fact]
    public async Task The_rollups_are_what_a_recount_of_the_jobs_and_credits_gives()
    {
        await using var db = network.Context();
        var recount = await RollupRecount.CountAsync(db, Ct);
        var rollups = await RollupRecount.ReadRollupsAsync(db, Ct);

        Assert.NotEmpty(recount.NetworkHours);
        Assert.NotEmpty(recount.LatencyDays);
        Assert.Equal(recount.NetworkHours, rollups.NetworkHours);
        Assert.Equal(recount.MinerHours, rollups.MinerHours);
        Assert.Equal(recount.LatencyDays, rollups.LatencyDays);
        Assert.Equal(recount.Totals, rollups.Totals);
    }

    [Fact]
    public async Task The_windowed_summaries_are_what_a_recount_gives_as_of_the_generation_time()
    {
        await using var db = network.Context();
        var summaries = await db.MinerSummaries.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(GeneratedNetwork.Miners, summaries.Count);
        var sessions = (await db.MinerSessions.AsNoTracking().ToListAsync(Ct)).ToLookup(s => s.MinerId, s => new UptimeSession(s.StartedAt, s.LastSeenAt));
        foreach (var summary in summaries)
        {
            var windows = await RollupRecount.WindowsAsync(db, summary.MinerId, GeneratedNetwork.Now, Ct);
            Assert.Equal(windows.Points24h, summary.Points24h);
            Assert.Equal(windows.Points7d, summary.Points7d);
            Assert.Equal(windows.Jobs7d, summary.Jobs7d);
            Assert.Equal(LatencyBuckets.MedianMs(windows.LatencyCounts), summary.MedianLatencyMs);
            Assert.Equal(MinerUptime.Fraction(sessions[summary.MinerId], GeneratedNetwork.Now.AddDays(-1), GeneratedNetwork.Now), summary.Uptime24h, 9);
            Assert.Equal(GeneratedNetwork.Now, summary.WindowsAt);
        }
        // Over three days everyone who ever ran a job did so within the week; not every window may be empty.
        Assert.Contains(summaries, s => s.Points24h > 0);
        Assert.Contains(summaries, s => s.Uptime24h is > 0 and < 1);
    }

    [Fact]
    public async Task Every_succeeded_job_has_one_credit_matching_it_and_no_other_job_has_one()
    {
        var cs = network.ConnectionString;
        var succeeded = await ScalarAsync<long>(cs, "SELECT count(*) FROM image_jobs WHERE state = 'Succeeded'");
        Assert.InRange(succeeded, GeneratedNetwork.Jobs * 0.9, GeneratedNetwork.Jobs * 0.995);
        Assert.Equal(succeeded, await ScalarAsync<long>(cs, "SELECT count(*) FROM points_credits"));
        Assert.Equal(0, await ScalarAsync<long>(cs,
            """
            SELECT count(*) FROM points_credits c LEFT JOIN image_jobs j ON j.id = c.job_id
            WHERE j.id IS NULL OR j.state <> 'Succeeded' OR j.miner_id <> c.miner_id OR j.points <> c.points
               OR j.completed_at <> c.credited_at OR c.kind <> 'Waifu'
            """));
        Assert.Equal(0, await ScalarAsync<long>(cs,
            "SELECT count(*) FROM image_jobs WHERE state <> 'Succeeded' AND (points IS NOT NULL OR image_sha256 IS NOT NULL)"));
        Assert.True(await ScalarAsync<long>(cs, "SELECT count(*) FROM image_jobs WHERE state = 'Failed' AND error IS NOT NULL") > 0);
        Assert.True(await ScalarAsync<long>(cs, "SELECT count(*) FROM image_jobs WHERE state = 'Canceled' AND cancel_requested") > 0);
    }

    [Fact]
    public async Task Every_job_a_miner_ran_lies_inside_one_of_its_heartbeat_sessions()
    {
        var outside = await ScalarAsync<long>(network.ConnectionString,
            """
            SELECT count(*) FROM image_jobs j
            WHERE j.started_at IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM miner_sessions s
                WHERE s.miner_id = j.miner_id AND s.started_at <= j.started_at AND j.completed_at <= s.last_seen_at)
            """);
        Assert.Equal(0, outside);
        Assert.Equal(0, await ScalarAsync<long>(network.ConnectionString,
            $"SELECT count(*) FROM image_jobs WHERE completed_at > '{GeneratedNetwork.Now:O}' OR created_at > started_at OR started_at > completed_at"));
    }

    [Fact]
    public async Task About_two_thirds_of_the_miners_are_active_and_the_rest_stopped_minutes_to_days_ago()
    {
        await using var db = network.Context();
        var miners = await db.Miners.AsNoTracking().ToListAsync(Ct);
        var active = miners.Where(m => MinerUptime.IsActive(m.LastHeartbeatAt, m.StoppedAt, GeneratedNetwork.Now)).ToList();
        Assert.InRange(active.Count / (double)miners.Count, 0.45, 0.85);
        Assert.All(miners.Except(active), m => Assert.True(GeneratedNetwork.Now - m.LastHeartbeatAt >= TimeSpan.FromMinutes(5)));
        Assert.Contains(miners, m => m.StoppedAt is not null);
        Assert.All(miners, m => Assert.Null(Protocol.Miners.MinerIdentity.ValidateId(m.Id)));
        Assert.All(miners, m => Assert.Null(Protocol.Miners.MinerIdentity.ValidateRewardAddress(m.RewardAddress)));
        Assert.All(miners, m => Assert.True(m.Queues.Count >= 2 && m.Queues[0] == "default", string.Join(",", m.Queues)));

        // Each miner's last session is its current run: it ends at the last heartbeat.
        var lastSessions = await db.MinerSessions.AsNoTracking().GroupBy(s => s.MinerId)
            .Select(g => new { MinerId = g.Key, LastSeen = g.Max(s => s.LastSeenAt), Count = g.Count() }).ToListAsync(Ct);
        Assert.All(miners, m => Assert.Equal(m.LastHeartbeatAt, lastSessions.Single(s => s.MinerId == m.Id).LastSeen));
        Assert.Contains(lastSessions, s => s.Count > 1);
    }

    [Fact]
    public async Task The_chain_tables_name_each_miner_by_the_keccak_of_its_id()
    {
        await using var db = network.Context();
        var miners = await db.Miners.AsNoTracking().ToDictionaryAsync(m => m.Id, Ct);
        var chainMiners = await db.ChainMiners.AsNoTracking().ToDictionaryAsync(m => m.MinerChainId, Ct);
        Assert.Equal(miners.Count, chainMiners.Count);
        foreach (var miner in miners.Values)
        {
            var chainId = "0x" + Convert.ToHexStringLower(Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(miner.Id)));
            Assert.Equal(miner.RewardAddress, chainMiners[chainId].Owner);
        }
        var stakes = await db.Stakes.AsNoTracking().ToListAsync(Ct);
        Assert.All(stakes, s => Assert.Contains(s.MinerChainId, chainMiners.Keys));
        Assert.Equal(chainMiners.Count, stakes.Select(s => s.MinerChainId).Distinct().Count());
        Assert.All(stakes, s => Assert.True(s.Amount > 0 && s.Amount == decimal.Truncate(s.Amount)));
        Assert.Contains(stakes, s => s.Kind == Portal.Data.Chain.StakeKind.Heu && s.Amount >= 5_000m * 1_000_000_000_000_000_000m);
        Assert.Contains(stakes, s => s.Kind == Portal.Data.Chain.StakeKind.EsHeu);
        Assert.All(await db.BribeChanges.AsNoTracking().ToListAsync(Ct), b => Assert.Contains(b.MinerChainId, chainMiners.Keys));

        var unmatched = await ScalarAsync<long>(network.ConnectionString,
            "SELECT count(*) FROM nft_tokens t WHERE NOT EXISTS (SELECT 1 FROM image_jobs j WHERE '0x' || j.image_sha256 = t.image_hash AND j.model_id = t.model_id AND j.completed_at <= t.minted_at)");
        Assert.True(await db.NftTokens.AnyAsync(Ct));
        Assert.Equal(0, unmatched);
    }

    [Fact]
    public async Task The_same_seed_and_time_give_the_same_network_and_another_seed_another()
    {
        async Task<string> GenerateAsync(int seed)
        {
            var connectionString = await postgres.CreateEmptyDatabaseAsync("repeat");
            var result = await SyntheticNetwork.GenerateAsync(
                new GeneratorOptions { ConnectionString = connectionString, Miners = 8, Jobs = 3_000, Days = 2, Seed = seed, Now = GeneratedNetwork.Now },
                TextWriter.Null, Ct);
            Assert.Equal(3_000, result.Jobs);
            return await ScalarAsync<string>(connectionString,
                """
                SELECT md5(
                    (SELECT string_agg(j::text, '|' ORDER BY j.id) FROM image_jobs j) ||
                    (SELECT string_agg(c::text, '|' ORDER BY c.job_id) FROM points_credits c) ||
                    (SELECT string_agg(m::text, '|' ORDER BY m.id) FROM miners m) ||
                    (SELECT string_agg(s::text, '|' ORDER BY s.miner_id, s.started_at) FROM miner_sessions s) ||
                    (SELECT string_agg(s::text, '|' ORDER BY s.staker, s.miner_chain_id, s.kind) FROM stakes s) ||
                    (SELECT string_agg(s::text, '|' ORDER BY s.miner_id) FROM miner_summaries s))
                """);
        }

        var first = await GenerateAsync(11);
        Assert.Equal(first, await GenerateAsync(11));
        Assert.NotEqual(first, await GenerateAsync(12));
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}
