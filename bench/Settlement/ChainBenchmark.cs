using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Numerics;
using System.Text;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Bindings.MinerStaking;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rewards;
using Heurist.Contracts.Rpc;
using Heurist.LocalRunner;
using Heurist.Portal.Data;
using Heurist.Portal.Server.Features.ChainIndexing;
using Heurist.Portal.Server.Infrastructure.Chain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.Signer;
using Nethereum.Util;
using Nethereum.Web3;

namespace Heurist.Bench.Settlement;

/// <summary>
/// The chain side of settlement on a fresh anvil: the gas of one RewardsDistributor.claim with a proof of the
/// benchmark's tree (claim.gas), and how fast the portal's ChainIndexer reads a burst of Staked events into a fresh
/// PostgreSQL database (indexer.events_per_s).
/// </summary>
internal static class ChainBenchmark
{
    private static readonly BigInteger Heu = BigInteger.Pow(10, 18);

    public static async Task RunAsync(IReadOnlyList<RewardLeaf> leaves, MerkleTree tree, BigInteger heuTotal, BigInteger esHeuTotal, int events)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"heurist-bench-settlement-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            await using var anvil = await LocalAnvilNode.StartAsync(new LocalAnvilOptions
            {
                BinaryPath = LocalAnvilNode.FindBinary(RepositoryPaths.Contracts),
                Port = FreePort.Next(),
            });
            var rpc = ChainRpc.Connect(anvil.RpcUrl, TimeSpan.FromMinutes(2));
            var manifest = await ContractDeployer.DeployAsync(rpc, new DeploymentOptions
            {
                Owner = AnvilAccounts.Owner,
                SettlementKey = AnvilAccounts.SettlementKey.GetPublicAddress(),
                StudioSigner = AnvilAccounts.StudioSigner.GetPublicAddress(),
                SponsorSigner = AnvilAccounts.SponsorSigner.GetPublicAddress(),
            });

            await ClaimGasAsync(rpc, manifest, leaves, tree, heuTotal, esHeuTotal);
            await IndexerAsync(rpc, manifest, folder, events);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Posts the benchmark's root (after a day of the schedule) and claims the leaf with the longest proof.</summary>
    private static async Task ClaimGasAsync(Web3 rpc, DeploymentManifest manifest, IReadOnlyList<RewardLeaf> leaves, MerkleTree tree, BigInteger heuTotal, BigInteger esHeuTotal)
    {
        var distributor = new RewardsDistributorContract(rpc, manifest.Contracts.RewardsDistributor);
        await rpc.Client.SendRequestAsync<object>("evm_increaseTime", null, new HexBigInteger(2 * 24 * 60 * 60).HexValue);
        await rpc.Client.SendRequestAsync<object>("evm_mine");
        var epoch = leaves[0].Epoch;
        await distributor.PostRootAsync(rpc.As(AnvilAccounts.SettlementKey, manifest.ChainId), epoch, tree.Root, heuTotal, esHeuTotal);

        var deepest = Enumerable.Range(0, leaves.Count).MaxBy(i => tree.Proof(i).Count);
        var leaf = leaves[deepest];
        var proof = tree.Proof(deepest);
        var receipt = await distributor.ClaimAsync(rpc.As(AnvilAccounts.Owner, manifest.ChainId), epoch, leaf.Account, leaf.Heu, leaf.EsHeu, proof);
        Print("claim.leaves", leaves.Count);
        Print("claim.proof_depth", proof.Count);
        Print("claim.gas", (long)receipt.GasUsed.Value);

        // The same account's claim for the next epoch, once it holds HEU and esHEU: what a staker pays every epoch
        // after its first (its balances are no longer new storage).
        var next = epoch + 1;
        var nextLeaves = leaves.Select(l => l with { Epoch = next }).ToList();
        var nextTree = MerkleTree.Build(nextLeaves);
        await rpc.Client.SendRequestAsync<object>("evm_increaseTime", null, new HexBigInteger(24 * 60 * 60).HexValue);
        await rpc.Client.SendRequestAsync<object>("evm_mine");
        await distributor.PostRootAsync(rpc.As(AnvilAccounts.SettlementKey, manifest.ChainId), next, nextTree.Root, heuTotal, esHeuTotal);
        var again = await distributor.ClaimAsync(rpc.As(AnvilAccounts.Owner, manifest.ChainId), next, leaf.Account, leaf.Heu, leaf.EsHeu, nextTree.Proof(deepest));
        Print("claim.gas_returning", (long)again.GasUsed.Value);
    }

    /// <summary>
    /// Sends <paramref name="events"/> stake transactions from ten accounts into anvil's pool with mining off, mines
    /// them in one block, then times a new indexer reading the chain from the deployment into a migrated database.
    /// </summary>
    private static async Task IndexerAsync(Web3 rpc, DeploymentManifest manifest, string folder, int events)
    {
        var token = new HeuristTokenContract(rpc, manifest.Contracts.HeuristToken);
        var staking = new MinerStakingContract(rpc, manifest.Contracts.MinerStaking);
        var owner = rpc.As(AnvilAccounts.Owner, manifest.ChainId);
        var minerId = Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes("bench-indexer-miner"));
        await staking.RegisterMinerAsync(owner, minerId);

        const int Senders = 10;
        var perSender = (events + Senders - 1) / Senders;
        var senders = new List<(EthECKey Key, Web3 Web3, BigInteger Nonce)>();
        for (var s = 0; s < Senders; s++)
        {
            var key = EthECKey.GenerateKey();
            await rpc.Client.SendRequestAsync<object>("anvil_setBalance", null, key.GetPublicAddress(), new HexBigInteger(1_000 * Heu).HexValue);
            await token.TransferAsync(owner, key.GetPublicAddress(), perSender * Heu);
            var web3 = rpc.As(key, manifest.ChainId);
            await token.ApproveAsync(web3, staking.Address, perSender * Heu);
            var nonce = await rpc.Eth.Transactions.GetTransactionCount.SendRequestAsync(key.GetPublicAddress());
            senders.Add((key, web3, nonce.Value));
        }

        await rpc.Client.SendRequestAsync<object>("evm_setAutomine", null, false);
        await rpc.Client.SendRequestAsync<object>("evm_setBlockGasLimit", null, new HexBigInteger(BigInteger.Pow(10, 10)).HexValue);
        var sent = 0;
        for (var i = 0; i < perSender && sent < events; i++)
        {
            foreach (var (_, web3, nonce) in senders)
            {
                if (sent == events)
                {
                    break;
                }
                var stake = new StakeFunction
                {
                    MinerId = minerId,
                    Kind = 0,
                    Amount = Heu,
                    Nonce = new HexBigInteger(nonce + i),
                    Gas = new HexBigInteger(200_000),
                    MaxFeePerGas = new HexBigInteger(100_000_000_000),
                    MaxPriorityFeePerGas = new HexBigInteger(1_000_000_000),
                };
                var signed = await web3.Eth.GetContractTransactionHandler<StakeFunction>().SignTransactionAsync(staking.Address, stake);
                await rpc.Eth.Transactions.SendRawTransaction.SendRequestAsync(signed.EnsureHexPrefix());
                sent++;
            }
        }
        await rpc.Client.SendRequestAsync<object>("evm_mine");
        await rpc.Client.SendRequestAsync<object>("evm_setAutomine", null, true);

        await using var cluster = await LocalPostgresCluster.StartAsync(new LocalPostgresOptions
        {
            DataDirectory = Path.Combine(folder, "pg"),
            Port = FreePort.Next(),
            Throwaway = true,
            Database = "heurist_bench",
        });
        await using (var db = PortalDatabase.CreateContext(cluster.ConnectionString))
        {
            await db.Database.MigrateAsync();
        }
        using var metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var telemetry = new ChainIndexerTelemetry(metrics.GetRequiredService<IMeterFactory>());
        var indexer = new ChainIndexer(
            new Databases(cluster.ConnectionString),
            rpc,
            manifest,
            Options.Create(new ChainOptions()),
            TimeProvider.System,
            telemetry,
            NullLogger<ChainIndexer>.Instance);

        var clock = Stopwatch.StartNew();
        while (await indexer.IndexNextRangeAsync(CancellationToken.None))
        {
        }
        var seconds = clock.Elapsed.TotalSeconds;
        await using var check = PortalDatabase.CreateContext(cluster.ConnectionString);
        var staked = await check.ChainEvents.CountAsync(e => e.Name == "Staked");
        var all = await check.ChainEvents.CountAsync();
        Print("indexer.events", all);
        Print("indexer.staked_events", staked);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"indexer.seconds={seconds:0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"indexer.events_per_s={all / seconds:0}"));
    }

    private sealed class Databases(string connectionString) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => PortalDatabase.CreateContext(connectionString);
    }

    private static void Print(string key, long value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}={value}"));
}
