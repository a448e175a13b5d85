using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rewards;
using Heurist.Contracts.Staking;
using Heurist.Portal.Data.Jobs;
using Heurist.Portal.Data.Network;
using Heurist.Portal.Server.Features.Stats;
using Heurist.Portal.Server.Tests.Features.Auth;
using Heurist.Portal.Server.Tests.Features.ChainIndexing;
using Heurist.Protocol.Api.Rewards;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Jobs;
using Heurist.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.Signer;
using ExpectedApr = Heurist.Protocol.Rewards.ExpectedApr;
using MinerEpochReward = Heurist.Protocol.Rewards.MinerEpochReward;
using MinerOutlookInput = Heurist.Protocol.Rewards.MinerOutlookInput;

namespace Heurist.Portal.Server.Tests.Features.Rewards;

/// <summary>
/// Epoch settlement end to end on the real database and chain: the portal computes an epoch from points, stakes and
/// bribes, posts its root with the settlement key, and every leaf then claims on chain with the proof the API gives.
/// The tests of this class run one after another, each in epochs of its own, since the chain's clock is shared.
/// </summary>
public sealed class EpochSettlementTests(PostgresFixture postgres, DeployedChainFixture chain)
{
    private static readonly EthECKey Admin = EthECKey.GenerateKey();

    [Fact]
    public async Task An_ended_epoch_is_posted_and_each_leaf_claims_exactly_its_amounts_with_the_proof_the_api_gives()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(SettlementScenario.SettlementKeyHex);
        var scenario = await SettlementScenario.CreateAsync(portal, chain, ct);
        await SettlementScenario.MoveChainPastAsync(chain.Rpc, scenario.End);
        using var admin = await SettlementScenario.OperatorAsync(portal, Admin, ct);

        var run = await SettlementScenario.SettleUntilAsync(admin, scenario.Epoch, ct);

        var done = run.Epochs.Single(e => e.Epoch == scenario.Epoch);
        Assert.Equal(("posted", RewardEpochStatus.Posted), (done.Action, done.Status));
        Assert.All(run.Epochs.Where(e => e.Epoch < scenario.Epoch), e => Assert.Equal(RewardEpochStatus.Empty, e.Status));
        Assert.Equal(await SettlementScenario.RootOnChainAsync(chain, scenario.Epoch), done.Root);

        // The whole epoch's share of the schedule is paid out: both pools had points, and one miner earned them all.
        var actors = new ChainActors(chain.Rpc, chain.Manifest);
        var share = await actors.Distributor.MiningEmissionAsync() * 3600 / await actors.Distributor.EmissionDurationAsync();
        var bribe = share * SettlementScenario.BribeBps / 10_000;
        var tree = await GetTreeAsync(portal, scenario.Epoch, ct);
        Assert.Equal(share.ToString(), tree.Epoch.Budget);
        Assert.Equal("0", tree.Epoch.Unallocated);
        Assert.Equal(share, BigInteger.Parse(tree.Epoch.HeuTotal) + BigInteger.Parse(tree.Epoch.EsHeuTotal));

        // Anyone can rebuild the posted root from the published tree, as StandardMerkleTree.load does.
        var dump = tree.Tree!;
        Assert.Equal("standard-v1", dump.Format);
        Assert.Equal(["uint256", "address", "uint256", "uint256"], dump.LeafEncoding);
        var leaves = dump.Values.Select(v => new RewardLeaf(BigInteger.Parse(v.Value[0]), v.Value[1], BigInteger.Parse(v.Value[2]), BigInteger.Parse(v.Value[3]))).ToArray();
        Assert.Equal(dump.Tree[0], RewardTreeDocument.From(leaves).Root);
        Assert.Equal(JsonSerializer.Serialize(RewardTreeDocument.From(leaves)), JsonSerializer.Serialize(dump));
        Assert.Equal(done.Root, dump.Tree[0]);

        var accounts = new[] { scenario.RewardAddress, Lower(scenario.StakerA), Lower(scenario.StakerB) };
        Assert.Equal(accounts.Order(StringComparer.Ordinal), leaves.Select(l => l.Account));
        var amounts = leaves.ToDictionary(l => l.Account, l => l.Heu + l.EsHeu);
        Assert.Equal(share - bribe, amounts[scenario.RewardAddress]);
        Assert.Equal(bribe, amounts[Lower(scenario.StakerA)] + amounts[Lower(scenario.StakerB)]);
        // The bribe is split 3:2 by stake, each part within one wei of exact.
        Assert.InRange(amounts[Lower(scenario.StakerA)], bribe * 3 / 5, bribe * 3 / 5 + 1);
        Assert.All(leaves, l => Assert.Equal(l.Amount() / 2, l.EsHeu));

        var escrow = new EscrowedHeuristContract(chain.Rpc, chain.Manifest.Contracts.EscrowedHeurist);
        var submitter = actors.Send(AnvilAccounts.Owner);
        foreach (var account in accounts)
        {
            var reward = Assert.Single((await GetAccountAsync(portal, account, ct)).Epochs);
            Assert.Equal((scenario.Epoch, RewardEpochStatus.Posted, false), (reward.Epoch, reward.Status, reward.Claimed));
            var (heuBefore, esHeuBefore) = (await actors.Token.BalanceOfAsync(account), await escrow.BalanceOfAsync(account));

            var receipt = await actors.Distributor.ClaimAsync(
                submitter, scenario.Epoch, account, BigInteger.Parse(reward.Heu), BigInteger.Parse(reward.EsHeu), [.. reward.Proof.Select(Hex)], ct);

            Assert.Equal(BigInteger.Parse(reward.Heu), await actors.Token.BalanceOfAsync(account) - heuBefore);
            Assert.Equal(BigInteger.Parse(reward.EsHeu), await escrow.BalanceOfAsync(account) - esHeuBefore);
            var claimed = await WaitUntilClaimedAsync(portal, account, scenario.Epoch, ct);
            Assert.Equal(receipt.TransactionHash, claimed.Epochs.Single().ClaimTransactionHash);
            Assert.Equal(("0", "0"), (claimed.ClaimableHeu, claimed.ClaimableEsHeu));
        }
    }

    [Fact]
    public async Task A_settled_epoch_stores_each_miners_part_and_the_leaderboard_then_expects_the_apr_those_numbers_give()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(SettlementScenario.SettlementKeyHex);
        var scenario = await SettlementScenario.CreateAsync(portal, chain, ct);
        var idle = await SettlementScenario.AddIdleStakedMinerAsync(portal, chain, 12_000 * ChainActors.Heu, ct);
        await SettlementScenario.MoveChainPastAsync(chain.Rpc, scenario.End);
        using var admin = await SettlementScenario.OperatorAsync(portal, Admin, ct);

        await SettlementScenario.SettleUntilAsync(admin, scenario.Epoch, ct);

        await using var db = PostgresFixture.CreateContext(portal.ConnectionString);
        var rows = await db.EpochMinerRewards.AsNoTracking().Where(r => r.Epoch == scenario.Epoch).ToListAsync(ct);
        Assert.Equal(new[] { MinerChainId.Of(idle), MinerChainId.Of(scenario.MinerId) }.Order(StringComparer.Ordinal), rows.Select(r => r.MinerChainId).Order(StringComparer.Ordinal));
        // The miner's row is its part of the posted tree: the owner's leaf, and the stakers' leaves as its bribe.
        var tree = await GetTreeAsync(portal, scenario.Epoch, ct);
        var amounts = tree.Tree!.Values.ToDictionary(v => v.Value[1], v => BigInteger.Parse(v.Value[2]) + BigInteger.Parse(v.Value[3]));
        var settled = rows.Single(r => r.MinerChainId == MinerChainId.Of(scenario.MinerId));
        var stake = SettlementScenario.StakeA + SettlementScenario.StakeB;
        Assert.Equal((scenario.RewardAddress, stake, stake, SettlementScenario.BribeBps),
            (settled.RewardAddress, Wei(settled.StakeWei), Wei(settled.EfficiencyNumerator), settled.BribeBps));
        Assert.Equal(amounts[scenario.RewardAddress], Wei(settled.OwnerPaid));
        Assert.Equal(amounts[Lower(scenario.StakerA)] + amounts[Lower(scenario.StakerB)], Wei(settled.BribePaid));
        Assert.Equal(Wei(settled.OwnerPaid) + Wei(settled.BribePaid), Wei(settled.WaifuReward) + Wei(settled.LlamaReward));
        Assert.True(settled.WaifuReward > settled.LlamaReward && settled.LlamaReward > 0);
        // The idle miner had stake and no points: reward 0 at its efficiency.
        var idleRow = rows.Single(r => r.MinerChainId == MinerChainId.Of(idle));
        Assert.Equal((12_000 * ChainActors.Heu, 12_000 * ChainActors.Heu, 0m, 0m, 0m, 0m),
            (Wei(idleRow.StakeWei), Wei(idleRow.EfficiencyNumerator), idleRow.WaifuReward, idleRow.LlamaReward, idleRow.BribePaid, idleRow.OwnerPaid));

        // Up for the last two days of the week, so the rate is neither 0 nor the whole week's.
        var now = DateTimeOffset.UtcNow;
        db.MinerSessions.Add(new MinerSession { MinerId = scenario.MinerId, StartedAt = now.AddDays(-2), LastSeenAt = now });
        await db.SaveChangesAsync(ct);
        await portal.Services.GetRequiredService<NetworkSnapshotService>().RefreshAsync(ct);
        var row = await LeaderboardRowAsync(portal, scenario.MinerId, ct);

        var expected = ExpectedApr.Estimate(new MinerOutlookInput(
            [new MinerEpochReward((ulong)scenario.Epoch, Wei(settled.WaifuReward) + Wei(settled.LlamaReward), Wei(settled.EfficiencyNumerator))],
            SettlementScenario.BribeBps,
            new BigInteger((row.StakeHeu + row.StakeEsHeu) * 1_000_000_000_000_000_000m),
            (long)Math.Round(row.Uptime7d * 1_000_000),
            (ulong)(scenario.End - scenario.Start).TotalSeconds));
        Assert.InRange(row.Uptime7d, 0.2, 0.4);
        Assert.NotNull(expected.Apr);
        Assert.True(expected.Apr > 0);
        Assert.Equal((expected.Apr, expected.Formula, true), (row.ExpectedApr, row.AprBasis, row.AprHasHistory));
        var idleOnBoard = await LeaderboardRowAsync(portal, idle, ct);
        Assert.Equal((0m, true), (idleOnBoard.ExpectedApr, idleOnBoard.AprHasHistory));
    }

    [Fact]
    public async Task Settling_again_posts_nothing_more()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(SettlementScenario.SettlementKeyHex);
        var scenario = await SettlementScenario.CreateAsync(portal, chain, ct);
        await SettlementScenario.MoveChainPastAsync(chain.Rpc, scenario.End);
        using var admin = await SettlementScenario.OperatorAsync(portal, Admin, ct);
        var first = (await SettlementScenario.SettleUntilAsync(admin, scenario.Epoch, ct)).Epochs.Single(e => e.Epoch == scenario.Epoch);
        var before = await GetTreeAsync(portal, scenario.Epoch, ct);

        var again = await SettlementScenario.SettleAsync(admin, ct);

        Assert.DoesNotContain(again.Epochs, e => e.Epoch <= scenario.Epoch);
        var after = await GetTreeAsync(portal, scenario.Epoch, ct);
        Assert.Equal(before.Epoch, after.Epoch);
        Assert.Equal(RewardEpochStatus.Posted, after.Epoch.Status);
        Assert.Equal(first.PostTransactionHash, after.Epoch.PostTransactionHash);
        Assert.Equal(1, await SettlementScenario.RootPostedCountAsync(chain, scenario.Epoch));
    }

    [Fact]
    public async Task A_refused_post_keeps_the_computed_epoch_and_a_later_run_with_the_right_key_posts_the_same_root_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var wrongKey = AnvilAccounts.Key(8);
        await using var portal = await StartAsync(SettlementScenario.KeyHex(wrongKey));
        var scenario = await SettlementScenario.CreateAsync(portal, chain, ct);
        await SettlementScenario.MoveChainPastAsync(chain.Rpc, scenario.End);
        using var admin = await SettlementScenario.OperatorAsync(portal, Admin, ct);

        var refused = await SettlementScenario.SettleUntilAsync(admin, scenario.Epoch, ct);

        var failed = refused.Epochs.Single(e => e.Epoch == scenario.Epoch);
        Assert.Equal(("failed", RewardEpochStatus.Computed), (failed.Action, failed.Status));
        Assert.Contains("NotSettlementKey", failed.Message, StringComparison.Ordinal);
        Assert.Contains("later epochs wait", refused.Note, StringComparison.Ordinal);
        var computed = (await GetTreeAsync(portal, scenario.Epoch, ct)).Epoch;
        Assert.Equal(RewardEpochStatus.Computed, computed.Status);
        Assert.Contains($"{wrongKey.GetPublicAddress().ToLowerInvariant()} is not the settlement key", computed.LastError, StringComparison.Ordinal);
        Assert.Null(computed.PostTransactionHash);
        Assert.Equal(SettlementScenario.ZeroRoot, await SettlementScenario.RootOnChainAsync(chain, scenario.Epoch));
        // Nothing can be claimed from an epoch that is not on chain.
        var waiting = await GetAccountAsync(portal, scenario.RewardAddress, ct);
        Assert.Equal(RewardEpochStatus.Computed, Assert.Single(waiting.Epochs).Status);
        Assert.Equal("0", waiting.ClaimableHeu);

        await using var fixedPortal = portal.WithWebHostBuilder(b => b.UseSetting("Rewards:SettlementKey", SettlementScenario.SettlementKeyHex));
        using var fixedAdmin = new SignInClient(fixedPortal.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = SignInClient.Origin }));
        await fixedAdmin.SignInAsync(Admin, ct);
        var posted = (await SettlementScenario.SettleAsync(fixedAdmin, ct)).Epochs.Single(e => e.Epoch == scenario.Epoch);

        Assert.Equal(("posted", RewardEpochStatus.Posted), (posted.Action, posted.Status));
        Assert.Equal(computed.Root, posted.Root);
        Assert.Equal(computed.Root, await SettlementScenario.RootOnChainAsync(chain, scenario.Epoch));
        Assert.Equal(1, await SettlementScenario.RootPostedCountAsync(chain, scenario.Epoch));
        var after = (await GetTreeAsync(portal, scenario.Epoch, ct)).Epoch;
        Assert.Equal((computed.ComputedAt, computed.HeuTotal, computed.EsHeuTotal), (after.ComputedAt, after.HeuTotal, after.EsHeuTotal));
        Assert.Null(after.LastError);
    }

    [Fact]
    public async Task A_root_that_reached_the_chain_before_the_portal_marked_it_is_marked_posted_without_sending_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(SettlementScenario.KeyHex(AnvilAccounts.Key(8)));
        var scenario = await SettlementScenario.CreateAsync(portal, chain, ct);
        await SettlementScenario.MoveChainPastAsync(chain.Rpc, scenario.End);
        using var admin = await SettlementScenario.OperatorAsync(portal, Admin, ct);
        await SettlementScenario.SettleUntilAsync(admin, scenario.Epoch, ct);
        var computed = (await GetTreeAsync(portal, scenario.Epoch, ct)).Epoch;
        // What a portal that crashed after its postRoot was mined, and before it wrote that down, leaves behind.
        var actors = new ChainActors(chain.Rpc, chain.Manifest);
        await actors.Distributor.PostRootAsync(
            actors.Send(AnvilAccounts.SettlementKey), scenario.Epoch, Hex(computed.Root!), BigInteger.Parse(computed.HeuTotal), BigInteger.Parse(computed.EsHeuTotal), ct);

        await using var fixedPortal = portal.WithWebHostBuilder(b => b.UseSetting("Rewards:SettlementKey", SettlementScenario.SettlementKeyHex));
        using var fixedAdmin = new SignInClient(fixedPortal.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = SignInClient.Origin }));
        await fixedAdmin.SignInAsync(Admin, ct);
        var marked = (await SettlementScenario.SettleAsync(fixedAdmin, ct)).Epochs.Single(e => e.Epoch == scenario.Epoch);

        Assert.Equal(("already-posted", RewardEpochStatus.Posted), (marked.Action, marked.Status));
        Assert.Equal(1, await SettlementScenario.RootPostedCountAsync(chain, scenario.Epoch));
        Assert.Equal(RewardEpochStatus.Posted, (await GetTreeAsync(portal, scenario.Epoch, ct)).Epoch.Status);
    }

    [Fact]
    public async Task An_epoch_without_points_is_stored_empty_posts_nothing_and_the_run_says_so()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(SettlementScenario.SettlementKeyHex);
        var actors = new ChainActors(chain.Rpc, chain.Manifest);
        var epoch = (long)await actors.Staking.CurrentEpochAsync();
        var end = DateTimeOffset.FromUnixTimeSeconds((long)await actors.Staking.GenesisAsync() + (epoch + 1) * (long)await actors.Staking.EpochLengthAsync());
        await SettlementScenario.MoveChainPastAsync(chain.Rpc, end);
        using var admin = await SettlementScenario.OperatorAsync(portal, Admin, ct);

        var run = await SettlementScenario.SettleUntilAsync(admin, epoch, ct);

        var empty = run.Epochs.Single(e => e.Epoch == epoch);
        Assert.Equal(("empty", RewardEpochStatus.Empty), (empty.Action, empty.Status));
        Assert.Equal($"epoch {epoch}: no points, nothing posted", empty.Message);
        Assert.Null(empty.Root);
        Assert.Equal(SettlementScenario.ZeroRoot, await SettlementScenario.RootOnChainAsync(chain, epoch));
        var stored = await GetTreeAsync(portal, epoch, ct);
        Assert.Null(stored.Tree);
        Assert.Equal((0, "0", "0"), (stored.Epoch.LeafCount, stored.Epoch.HeuTotal, stored.Epoch.EsHeuTotal));
        // Other tests on the shared chain may have moved its clock further, so later epochs can be settled too.
        var listed = (await portal.CreateClient().GetFromJsonAsync<RewardEpochSummary[]>("/api/rewards/epochs?limit=100", ct))!;
        Assert.Contains(listed, e => e.Epoch == epoch && e.Status == RewardEpochStatus.Empty);
        Assert.True(listed.Zip(listed.Skip(1)).All(pair => pair.First.Epoch > pair.Second.Epoch), "newest first");
    }

    [Fact]
    public async Task The_recurring_job_runs_on_the_settlement_queue_served_only_by_the_portals_own_server()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(SettlementScenario.SettlementKeyHex, checkEveryMinutes: "5");
        using var connection = portal.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs([IEpochSettlementJob.RecurringJobId]));
        // Hangfire 1.8 keeps the queue on the job itself; the record's own Queue field is a legacy default.
        Assert.Equal(("*/5 * * * *", JobQueues.Settlement), (job.Cron, job.Job.Queue));
        Assert.Equal(typeof(IEpochSettlementJob), job.Job.Type);
        // A server announces itself with its first heartbeat, just after it starts.
        var monitoring = portal.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Hangfire.Storage.Monitoring.ServerDto? own;
        while ((own = monitoring.Servers().SingleOrDefault(s => s.Name.StartsWith("portal-settlement:", StringComparison.Ordinal))) is null)
        {
            await Task.Delay(100, ct);
        }
        Assert.Equal([JobQueues.Settlement], own.Queues);
        Assert.Equal(1, own.WorkersCount);
    }

    [Fact]
    public async Task Without_a_settlement_key_settlement_is_off_and_the_endpoint_says_which_setting_is_missing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(settlementKey: null);
        using var admin = await SettlementScenario.OperatorAsync(portal, Admin, ct);

        using var response = await admin.Http.PostAsync("/api/rewards/settle", null, ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Rewards:SettlementKey is not set", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        using var connection = portal.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.True(Assert.Single(connection.GetRecurringJobs([IEpochSettlementJob.RecurringJobId])).Removed);
    }

    [Fact]
    public async Task Only_an_operator_may_run_settlement_outside_Development()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(SettlementScenario.SettlementKeyHex);
        using var anonymous = SignInClient.For(portal);
        using var someone = SignInClient.For(portal);
        await someone.SignInAsync(EthECKey.GenerateKey(), ct);

        using var refusedAnonymous = await anonymous.Http.PostAsync("/api/rewards/settle", null, ct);
        using var refusedSomeone = await someone.Http.PostAsync("/api/rewards/settle", null, ct);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden), (refusedAnonymous.StatusCode, refusedSomeone.StatusCode));
    }

    [Theory]
    [InlineData("/api/rewards/accounts/0x1234", "address", "address must be 0x and 40 hex digits.")]
    [InlineData("/api/rewards/accounts/0xZZ00000000000000000000000000000000000000", "address", "address must be 0x and 40 hex digits.")]
    [InlineData("/api/rewards/epochs/-1", "epoch", "'-1' is not an epoch number (0 or more).")]
    [InlineData("/api/rewards/epochs/twelve", "epoch", "'twelve' is not an epoch number (0 or more).")]
    [InlineData("/api/rewards/epochs?limit=0", "limit", "limit must be between 1 and 1000.")]
    public async Task A_bad_input_is_a_400_naming_the_field(string path, string field, string message)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(settlementKey: null);
        using var client = portal.CreateClient();

        using var response = await client.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task An_unknown_epoch_is_a_404_naming_it_and_an_account_without_leaves_has_nothing_to_claim()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(settlementKey: null);
        using var client = portal.CreateClient();

        using var unknown = await client.GetAsync("/api/rewards/epochs/987654321", ct);
        var account = await client.GetFromJsonAsync<RewardAccount>($"/api/rewards/accounts/{AnvilAccounts.Address(9)}", ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Epoch 987654321 is not settled.", await unknown.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal((AnvilAccounts.Address(9).ToLowerInvariant(), 0, "0", "0"), (account!.Account, account.Epochs.Count, account.ClaimableHeu, account.ClaimableEsHeu));
    }

    private async Task<PortalApp> StartAsync(string? settlementKey, string checkEveryMinutes = "0")
    {
        var portal = new PortalApp(postgres, chain);
        await portal.InitializeAsync();
        if (settlementKey is not null)
        {
            portal.Settings["Rewards:SettlementKey"] = settlementKey;
        }
        portal.Settings["Rewards:CheckEveryMinutes"] = checkEveryMinutes;
        portal.Settings["Portal:Admins:0"] = Admin.GetPublicAddress();
        portal.Settings["Chain:IndexerPollMilliseconds"] = "100";
        return portal;
    }

    private static async Task<RewardEpochTree> GetTreeAsync(WebApplicationFactory<PortalOptions> portal, long epoch, CancellationToken ct)
    {
        using var client = portal.CreateClient();
        return (await client.GetFromJsonAsync<RewardEpochTree>($"/api/rewards/epochs/{epoch}", ct))!;
    }

    private static async Task<LeaderboardRow> LeaderboardRowAsync(WebApplicationFactory<PortalOptions> portal, string minerId, CancellationToken ct)
    {
        using var client = portal.CreateClient();
        return (await client.GetFromJsonAsync<LeaderboardPage>($"/api/leaderboard?q={minerId}", ct))!.Rows.Single();
    }

    private static BigInteger Wei(decimal wei) => new(wei);

    private static async Task<RewardAccount> GetAccountAsync(WebApplicationFactory<PortalOptions> portal, string account, CancellationToken ct)
    {
        using var client = portal.CreateClient();
        return (await client.GetFromJsonAsync<RewardAccount>($"/api/rewards/accounts/{account}", ct))!;
    }

    /// <summary>The account once the indexer has read its claim of <paramref name="epoch"/>.</summary>
    private static async Task<RewardAccount> WaitUntilClaimedAsync(WebApplicationFactory<PortalOptions> portal, string account, long epoch, CancellationToken ct)
    {
        while (true)
        {
            var rewards = await GetAccountAsync(portal, account, ct);
            if (rewards.Epochs.Single(e => e.Epoch == epoch).Claimed)
            {
                return rewards;
            }
            await Task.Delay(100, ct);
        }
    }

    private static string Lower(EthECKey key) => key.GetPublicAddress().ToLowerInvariant();

    private static byte[] Hex(string hex) => Convert.FromHexString(hex[2..]);
}

internal static class RewardLeafAmounts
{
    public static BigInteger Amount(this RewardLeaf leaf) => leaf.Heu + leaf.EsHeu;
}
