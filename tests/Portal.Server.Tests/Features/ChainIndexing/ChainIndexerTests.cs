using System.Numerics;
using System.Text.Json.Nodes;
using Heurist.Contracts;
using Heurist.Contracts.Abi;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.Imaginaries;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Heurist.Portal.Data.Chain;
using Heurist.Portal.Server.Features.ChainIndexing;
using Heurist.Portal.Server.Infrastructure.Chain;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Tests.Features.ChainIndexing;

public sealed class ChainIndexerTests(PostgresFixture postgres, DeployedChainFixture chain)
{
    private static readonly BigInteger Heu = ChainActors.Heu;

    [Fact]
    public async Task Stakes_transfers_unstakes_bribes_mints_and_claims_land_in_the_database()
    {
        var ct = TestContext.Current.CancellationToken;
        var actors = new ChainActors(chain.Rpc, chain.Manifest);
        var user = await actors.NewUserAsync(20_000 * Heu);
        var minerA = ChainActors.MinerId($"indexer-a-{Guid.NewGuid()}");
        var minerB = ChainActors.MinerId($"indexer-b-{Guid.NewGuid()}");
        await actors.Staking.RegisterMinerAsync(user, minerA, ct);
        await actors.Staking.RegisterMinerAsync(user, minerB, ct);
        await actors.Token.ApproveAsync(user, actors.Staking.Address, 20_000 * Heu, ct);
        await actors.Staking.StakeAsync(user, minerA, 0, 12_000 * Heu, ct);
        await actors.Staking.TransferStakeAsync(user, minerA, minerB, 0, 2_000 * Heu, ct);
        await actors.Staking.UnstakeAsync(user, minerA, 0, 1_000 * Heu, ct);
        await actors.Staking.SetBribeAsync(user, minerA, 1_500, ct);
        var epochNow = await actors.Staking.CurrentEpochAsync(cancellationToken: ct);

        var imageHash = ChainActors.RandomHash();
        var authorization = new MintAuthorization(user.Address, imageHash, "sdxl", "ipfs://bafy/indexer.json", (ulong)DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds());
        var signature = authorization.Sign(AnvilAccounts.StudioSigner, chain.Manifest.ChainId, actors.Nft.Address);
        await actors.Nft.MintAsync(user, user.Address, imageHash, "sdxl", authorization.Uri, authorization.Deadline, signature.ToBytes(), ct);

        // A one-leaf tree: the root is the leaf itself and the proof is empty.
        var epoch = (BigInteger)Random.Shared.Next(1_000_000, int.MaxValue);
        var leaf = Keccak256.Hash(Keccak256.Hash(AbiEncoder.Encode(
            [AbiType.UInt256, AbiType.Address, AbiType.UInt256, AbiType.UInt256], [epoch, user.Address, 2 * Heu, 1 * Heu])));
        await chain.Rpc.CallAsync("evm_increaseTime", new JsonArray(3600), ct);
        var settlement = new TransactionSender(chain.Rpc, AnvilAccounts.SettlementKey);
        await actors.Distributor.PostRootAsync(settlement, epoch, leaf, 2 * Heu, 1 * Heu, ct);
        await actors.Distributor.ClaimAsync(user, epoch, user.Address, 2 * Heu, 1 * Heu, [], ct);

        var database = await postgres.CreateMigratedDatabaseAsync("indexer");
        await IndexToHeadAsync(CreateIndexer(database, chain.Rpc, chain.Manifest), ct);

        await using var db = PostgresFixture.CreateContext(database);
        var staker = user.Address.ToLowerHex();
        var (idA, idB, image) = (Hex.Encode(minerA), Hex.Encode(minerB), Hex.Encode(imageHash));
        var stakes = await db.Stakes.AsNoTracking().Where(s => s.Staker == staker).ToListAsync(ct);
        Assert.Equal(9_000m * 1e18m, stakes.Single(s => s.MinerChainId == idA).Amount);
        Assert.Equal(2_000m * 1e18m, stakes.Single(s => s.MinerChainId == idB).Amount);
        Assert.All(stakes, s => Assert.Equal(StakeKind.Heu, s.Kind));

        var request = await db.UnstakeRequests.AsNoTracking().SingleAsync(r => r.Staker == staker, ct);
        Assert.Equal(1_000m * 1e18m, request.Amount);
        Assert.False(request.Withdrawn);
        Assert.InRange(request.AvailableAt, DateTimeOffset.UtcNow.AddDays(29), DateTimeOffset.UtcNow.AddDays(31).AddHours(2));

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
        Assert.Equal(Hex.Encode(leaf), (await db.RewardEpochs.AsNoTracking().SingleAsync(e => e.Epoch == (long)epoch, ct)).Root);
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

        var logs = await chain.Rpc.GetLogsAsync(new LogFilter
        {
            FromBlock = chain.Manifest.StartBlock,
            ToBlock = (ulong)head,
            Addresses = new ChainLogDecoder(chain.Manifest).Addresses,
        }, ct);
        await using var db = PostgresFixture.CreateContext(database);
        var stored = await db.ChainEvents.AsNoTracking().Where(e => e.BlockNumber <= head).Select(e => new { e.BlockNumber, e.LogIndex }).ToListAsync(ct);
        Assert.Equal(logs.Count, stored.Count);
        Assert.Equal(
            logs.Select(l => ((long)l.BlockNumber, (int)l.LogIndex)).Order(),
            stored.Select(e => (e.BlockNumber, e.LogIndex)).Order());
    }

    [Fact]
    public async Task Blocks_within_the_confirmation_depth_wait_until_they_are_buried()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateMigratedDatabaseAsync("indexerconfirmations");
        var indexer = CreateIndexer(database, chain.Rpc, chain.Manifest, confirmations: 3);

        await IndexToHeadAsync(indexer, ct);
        var head = (long)await chain.Rpc.GetBlockNumberAsync(ct);
        var next = await indexer.NextBlockAsync(ct);
        Assert.True(next <= head - 3 + 1, $"The cursor ({next}) passed the last confirmed block ({head - 3}).");

        for (var i = 0; i < 3; i++)
        {
            await chain.Rpc.CallAsync("evm_mine", [], ct);
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
        using var http = new HttpClient();
        var rpc = new EthereumRpcClient(http, new Uri($"http://127.0.0.1:{port}/"));
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

            // The node is down: the indexer fails with a typed error and writes nothing.
            await Assert.ThrowsAsync<RpcTransportException>(() => indexer.IndexNextRangeAsync(ct));
            Assert.Null(await indexer.NextBlockAsync(ct));

            await using var restarted = await Contracts.LocalChain.LocalAnvilNode.StartAsync(options, ct);
            var head = await IndexToHeadAsync(indexer, ct);

            var expected = await rpc.GetLogsAsync(new LogFilter { FromBlock = manifest.StartBlock, ToBlock = (ulong)head, Addresses = new ChainLogDecoder(manifest).Addresses }, ct);
            await using var db = PostgresFixture.CreateContext(database);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Count, await db.ChainEvents.CountAsync(ct));
            Assert.Equal(head + 1, await indexer.NextBlockAsync(ct));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static ChainIndexer CreateIndexer(string database, EthereumRpcClient rpc, DeploymentManifest manifest, int batchBlocks = 2_000, int confirmations = 0)
        => new(
            PostgresFixture.CreateFactory(database),
            rpc,
            manifest,
            Options.Create(new ChainOptions { IndexerBatchBlocks = batchBlocks, Confirmations = confirmations }),
            TimeProvider.System);

    /// <summary>Indexes until the indexer reports nothing new; returns the head it caught up with.</summary>
    private static async Task<long> IndexToHeadAsync(ChainIndexer indexer, CancellationToken ct)
    {
        while (await indexer.IndexNextRangeAsync(ct))
        {
        }
        return (long)(await indexer.NextBlockAsync(ct) ?? 1) - 1;
    }
}
