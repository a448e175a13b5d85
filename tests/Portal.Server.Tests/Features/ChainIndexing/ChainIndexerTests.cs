using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Numerics;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.Imaginaries;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rewards;
using Heurist.Contracts.Rpc;
using Heurist.Portal.Data.Chain;
using Heurist.Portal.Server.Features.ChainIndexing;
using Heurist.Portal.Server.Infrastructure.Chain;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Heurist.Portal.Server.Tests.Features.ChainIndexing;

public sealed class ChainIndexerTests(PostgresFixture postgres, DeployedChainFixture chain)
{
    private static readonly BigInteger Heu = ChainActors.Heu;

    [Fact]
    public async Task Stakes_transfers_unstakes_bribes_mints_and_claims_land_in_the_database()
    {
        var ct = TestContext.Current.CancellationToken;
        var actors = new ChainActors(chain.Rpc, chain.Manifest);
        var key = await actors.NewUserAsync(20_000 * Heu);
        var user = actors.Send(key);
        var minerA = ChainActors.MinerId($"indexer-a-{Guid.NewGuid()}");
        var minerB = ChainActors.MinerId($"indexer-b-{Guid.NewGuid()}");
        await actors.Staking.RegisterMinerAsync(user, minerA, ct);
        await actors.Staking.RegisterMinerAsync(user, minerB, ct);
        await actors.Token.ApproveAsync(user, actors.Staking.Address, 20_000 * Heu, ct);
        await actors.Staking.StakeAsync(user, minerA, 0, 12_000 * Heu, ct);
        await actors.Staking.TransferStakeAsync(user, minerA, minerB, 0, 2_000 * Heu, ct);
        await actors.Staking.UnstakeAsync(user, minerA, 0, 1_000 * Heu, ct);
        await actors.Staking.SetBribeAsync(user, minerA, 1_500, ct);
        var epochNow = await actors.Staking.CurrentEpochAsync();

        var imageHash = ChainActors.RandomHash();
        // Other tests on the shared chain move its clock ahead of ours: deadlines and cooldowns are on the chain's clock.
        var chainNow = DateTimeOffset.FromUnixTimeSeconds((long)(await chain.Rpc.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest())).Timestamp.Value);
        var authorization = new MintAuthorization(key.Address, imageHash, "sdxl", "ipfs://bafy/indexer.json", (ulong)chainNow.AddHours(1).ToUnixTimeSeconds());
        var signature = authorization.Sign(AnvilAccounts.StudioSigner, chain.Manifest.ChainId, actors.Nft.Address);
        await actors.Nft.MintAsync(user, key.Address, imageHash, "sdxl", authorization.Uri, authorization.Deadline, signature, ct);

        // A one-leaf tree: the root is the leaf itself and the proof is empty.
        var epoch = (BigInteger)Random.Shared.Next(1_000_000, int.MaxValue);
        var leaf = new RewardLeaf(epoch, key.Address, 2 * Heu, 1 * Heu).Hash();
        await chain.Rpc.Client.SendRequestAsync<object>("evm_increaseTime", null, 3600);
        var settlement = actors.Send(AnvilAccounts.SettlementKey);
        await actors.Distributor.PostRootAsync(settlement, epoch, leaf, 2 * Heu, 1 * Heu, ct);
        await actors.Distributor.ClaimAsync(user, epoch, key.Address, 2 * Heu, 1 * Heu, [], ct);

        var database = await postgres.CreateMigratedDatabaseAsync("indexer");
        await IndexToHeadAsync(CreateIndexer(database, chain.Rpc, chain.Manifest), ct);

        await using var db = PostgresFixture.CreateContext(database);
        var staker = key.Address.ToLowerInvariant();
        var (idA, idB, image) = (minerA.ToHex(true), minerB.ToHex(true), imageHash.ToHex(true));
        var stakes = await db.Stakes.AsNoTracking().Where(s => s.Staker == staker).ToListAsync(ct);
        Assert.Equal(9_000m * 1e18m, stakes.Single(s => s.MinerChainId == idA).Amount);
        Assert.Equal(2_000m * 1e18m, stakes.Single(s => s.MinerChainId == idB).Amount);
        Assert.All(stakes, s => Assert.Equal(StakeKind.Heu, s.Kind));

        var request = await db.UnstakeRequests.AsNoTracking().SingleAsync(r => r.Staker == staker, ct);
        Assert.Equal(1_000m * 1e18m, request.Amount);
        Assert.False(request.Withdrawn);
        Assert.InRange(request.AvailableAt, chainNow.AddDays(29), chainNow.AddDays(31).AddHours(2));

        var bribe = await db.BribeChanges.AsNoTracking().SingleAsync(b => b.MinerChainId == idA, ct);
        Assert.Equal(1_500, bribe.BasisPoints);
        Assert.Equal((long)epochNow + 1, bribe.EffectiveEpoch);

        var owners = await db.ChainMiners.AsNoTracking().Where(m => m.Owner == staker).Select(m => m.MinerChainId).ToListAsync(ct);
        Assert.Equal(new[] { idA, idB }.Order(StringComparer.Ordinal), owners.Order(StringComparer.Ordinal));

        var token = await db.NftTokens.AsNoTracking().SingleAsync(t => t.ImageHash == image, ct);
        Assert.Equal(staker, token.Owner);
        Assert.Equal("sdxl", token.ModelId);
        Assert.Equal("ipfs://bafy/indexer.json", token.Uri);

        var claim = await db.RewardClaims.AsNoTracking().SingleAsync(c => c.Account == staker, ct);
        Assert.Equal((long)epoch, claim.Epoch);
        Assert.Equal(2m * 1e18m, claim.HeuAmount);
        Assert.Equal(1m * 1e18m, claim.EsHeuAmount);
        Assert.Equal(leaf.ToHex(true), (await db.RewardEpochs.AsNoTracking().SingleAsync(e => e.Epoch == (long)epoch, ct)).Root);
    }

    [Fact]
    public async Task A_new_indexer_continues_from_the_cursor_and_stores_every_event_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateMigratedDatabaseAsync("indexerrestart");
        var firstRun = CreateIndexer(database, chain.Rpc, chain.Manifest, batchBlocks: 3);

        Assert.True(await firstRun.IndexNextRangeAsync(ct));
        Assert.Equal((long)chain.Manifest.StartBlock + 3, await firstRun.NextBlockAsync(ct));

        var head = await IndexToHeadAsync(CreateIndexer(database, chain.Rpc, chain.Manifest, batchBlocks: 5), ct);

        var logs = await LogsAsync(chain.Rpc, chain.Manifest, head);
        await using var db = PostgresFixture.CreateContext(database);
        var stored = await db.ChainEvents.AsNoTracking().Where(e => e.BlockNumber <= head).Select(e => new { e.BlockNumber, e.LogIndex }).ToListAsync(ct);
        Assert.Equal(logs.Length, stored.Count);
        Assert.Equal(
            logs.Select(l => ((long)l.BlockNumber.Value, (int)l.LogIndex.Value)).Order(),
            stored.Select(e => (e.BlockNumber, e.LogIndex)).Order());
    }

    [Fact]
    public async Task Blocks_within_the_confirmation_depth_wait_until_they_are_buried()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateMigratedDatabaseAsync("indexerconfirmations");
        var indexer = CreateIndexer(database, chain.Rpc, chain.Manifest, confirmations: 3);

        await IndexToHeadAsync(indexer, ct);
        var head = (long)(await chain.Rpc.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var next = await indexer.NextBlockAsync(ct);
        Assert.True(next <= head - 3 + 1, $"The cursor ({next}) passed the last confirmed block ({head - 3}).");

        for (var i = 0; i < 3; i++)
        {
            await chain.Rpc.Client.SendRequestAsync<object>("evm_mine");
        }
        await IndexToHeadAsync(indexer, ct);

        Assert.True(await indexer.NextBlockAsync(ct) >= head + 1, "After three more blocks the old head is confirmed and indexed.");
    }

    [Fact]
    public async Task An_rpc_outage_leaves_the_cursor_in_place_and_the_indexer_catches_up_afterwards()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("heurist-outage-");
        var port = FreePort.Next();
        var options = new Contracts.LocalChain.LocalAnvilOptions
        {
            BinaryPath = Contracts.LocalChain.LocalAnvilNode.FindBinary(RepositoryPaths.Contracts),
            Port = port,
            StateFile = Path.Combine(folder.FullName, "state.json"),
        };
        var rpc = ChainRpc.Connect(new Uri($"http://127.0.0.1:{port}/"));
        var database = await postgres.CreateMigratedDatabaseAsync("indexeroutage");
        try
        {
            DeploymentManifest manifest;
            await using (var node = await Contracts.LocalChain.LocalAnvilNode.StartAsync(options, ct))
            {
                manifest = await ContractDeployer.DeployAsync(rpc, new DeploymentOptions
                {
                    Owner = AnvilAccounts.Owner,
                    SettlementKey = AnvilAccounts.SettlementKey.Address,
                    StudioSigner = AnvilAccounts.StudioSigner.Address,
                    SponsorSigner = AnvilAccounts.SponsorSigner.Address,
                }, ct);
            }
            var indexer = CreateIndexer(database, rpc, manifest);

            // The node is down: the indexer fails with Nethereum's transport error and writes nothing.
            var outage = await Assert.ThrowsAnyAsync<Exception>(() => indexer.IndexNextRangeAsync(ct));
            Assert.True(ChainRpc.IsRpcFailure(outage), outage.ToString());
            Assert.Null(await indexer.NextBlockAsync(ct));

            await using var restarted = await Contracts.LocalChain.LocalAnvilNode.StartAsync(options, ct);
            var head = await IndexToHeadAsync(indexer, ct);

            var expected = await LogsAsync(rpc, manifest, head);
            await using var db = PostgresFixture.CreateContext(database);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Length, await db.ChainEvents.CountAsync(ct));
            Assert.Equal(head + 1, await indexer.NextBlockAsync(ct));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Each_range_is_one_activity_tagged_with_its_blocks_and_logs_and_the_counters_add_up()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateMigratedDatabaseAsync("indexertelemetry");
        var activities = new List<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is ChainIndexerTelemetry.Name or "Heurist.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (activities)
                {
                    activities.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(activityListener);
        // Portals in other tests index the same chain in this process: only this test's activities and meter count.
        using var testSource = new ActivitySource("Heurist.Tests");
        using var root = testSource.StartActivity("telemetry test")!;
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var telemetry = new ChainIndexerTelemetry(meters);
        var measured = new Dictionary<string, long>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ChainIndexerTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (measured)
            {
                measured[instrument.Name] = instrument.Name.EndsWith(".lag", StringComparison.Ordinal) ? value : measured.GetValueOrDefault(instrument.Name) + value;
            }
        });
        meterListener.Start();
        var indexer = CreateIndexer(database, chain.Rpc, chain.Manifest, batchBlocks: 4, telemetry: telemetry);

        var head = await IndexToHeadAsync(indexer, ct);
        meterListener.RecordObservableInstruments();
        var headNow = (long)(await chain.Rpc.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

        List<Activity> ranges;
        lock (activities)
        {
            ranges = [.. activities.Where(a => a.OperationName == "chain_indexer.range" && a.ParentSpanId == root.SpanId && a.GetTagItem("chain.logs") is not null)];
        }
        var blocks = head - (long)chain.Manifest.StartBlock + 1;
        Assert.True(ranges.Count >= (blocks + 3) / 4, $"{ranges.Count} ranges for {blocks} blocks of at most 4");
        Assert.Equal(blocks, ranges.Sum(a => (long)a.GetTagItem("chain.to_block")! - (long)a.GetTagItem("chain.from_block")! + 1));
        Assert.Equal((long)chain.Manifest.StartBlock, ranges.Min(a => (long)a.GetTagItem("chain.from_block")!));
        Assert.Equal(head, ranges.Max(a => (long)a.GetTagItem("chain.to_block")!));
        var logs = await LogsAsync(chain.Rpc, chain.Manifest, head);
        Assert.Equal(logs.Length, ranges.Sum(a => (int)a.GetTagItem("chain.logs")!));
        Assert.Equal(blocks, measured["heurist.chain_indexer.blocks"]);
        Assert.Equal(logs.Length, measured["heurist.chain_indexer.logs"]);
        Assert.InRange(measured["heurist.chain_indexer.lag"], 0, headNow - head + 1);
    }

    private static Task<FilterLog[]> LogsAsync(IWeb3 rpc, DeploymentManifest manifest, long head)
        => rpc.Eth.Filters.GetLogs.SendRequestAsync(new NewFilterInput
        {
            FromBlock = new BlockParameter(new HexBigInteger(manifest.StartBlock)),
            ToBlock = new BlockParameter(new HexBigInteger(head)),
            Address = new ChainLogDecoder(manifest).Addresses,
        });

    private static readonly ServiceProvider Metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private static ChainIndexer CreateIndexer(string database, IWeb3 rpc, DeploymentManifest manifest, int batchBlocks = 2_000, int confirmations = 0, ChainIndexerTelemetry? telemetry = null)
        => new(
            PostgresFixture.CreateFactory(database),
            rpc,
            manifest,
            Options.Create(new ChainOptions { IndexerBatchBlocks = batchBlocks, Confirmations = confirmations }),
            TimeProvider.System,
            telemetry ?? new ChainIndexerTelemetry(Metrics.GetRequiredService<IMeterFactory>()),
            NullLogger<ChainIndexer>.Instance);

    /// <summary>Indexes until the indexer reports nothing new; returns the head it caught up with.</summary>
    private static async Task<long> IndexToHeadAsync(ChainIndexer indexer, CancellationToken ct)
    {
        while (await indexer.IndexNextRangeAsync(ct))
        {
        }
        return (long)(await indexer.NextBlockAsync(ct) ?? 1) - 1;
    }
}
