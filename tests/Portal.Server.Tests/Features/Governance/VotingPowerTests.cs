using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.LocalChain;
using Heurist.Portal.Data.Chain;
using Heurist.Portal.Server.Features.ChainIndexing;
using Heurist.Portal.Server.Features.Governance;
using Heurist.Portal.Server.Infrastructure.Chain;
using Heurist.Portal.Server.Tests.Features.ChainIndexing;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Heurist.Testing;
using Heurist.Contracts.Rpc;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;
using Nethereum.Web3;

namespace Heurist.Portal.Server.Tests.Features.Governance;

/// <summary>
/// Voting power read from the shared anvil chain at a block: each part, the weights, the cache, where stake positions
/// come from, and that what happens after the block changes nothing at it.
/// </summary>
public sealed class VotingPowerTests(PostgresFixture postgres, DeployedChainFixture chain, GovernancePortal portal) : IClassFixture<GovernancePortal>
{
    private static readonly BigInteger Token = GovernancePortal.Token;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ChainActors Actors { get; } = new(chain.Rpc, chain.Manifest);

    private EscrowedHeuristContract EsHeu { get; } = new(chain.Rpc, chain.Manifest.Contracts.EscrowedHeurist);

    /// <summary>A holder of 70 HEU and 15 esHEU with 30 HEU and 5 esHEU staked on a miner of its own. Returns the holder and its miner.</summary>
    private async Task<(EthECKey Holder, byte[] Miner)> HolderAsync()
    {
        var holder = await GovernanceTreasury.NewAccountAsync(chain, 100 * Token, 20 * Token);
        var miner = ChainActors.RandomHash();
        var send = Actors.Send(holder);
        await Actors.Staking.RegisterMinerAsync(send, miner, Ct);
        await Actors.Token.ApproveAsync(send, Actors.Staking.Address, 30 * Token, Ct);
        await Actors.Staking.StakeAsync(send, miner, 0, 30 * Token, Ct);
        await EsHeu.ApproveAsync(send, Actors.Staking.Address, 5 * Token, Ct);
        await Actors.Staking.StakeAsync(send, miner, 1, 5 * Token, Ct);
        return (holder, miner);
    }

    private static VotingPowerService Service(string connectionString, IWeb3 rpc, Contracts.Deployment.DeploymentManifest manifest, GovernanceOptions? options = null)
        => new(PostgresFixture.CreateFactory(connectionString), rpc, manifest, Options.Create(options ?? new GovernanceOptions()),
            Options.Create(new ChainOptions()), TimeProvider.System);

    private VotingPowerService Service(string connectionString, GovernanceOptions? options = null) => Service(connectionString, chain.Rpc, chain.Manifest, options);

    private async Task<long> LatestAsync() => (long)(await chain.Rpc.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    [Fact]
    public async Task Power_is_the_balances_and_the_stake_at_the_block_each_weighted()
    {
        var (holder, _) = await HolderAsync();
        var block = await LatestAsync();
        var database = await postgres.CreateMigratedDatabaseAsync("power");

        var plain = await Service(database).GetAsync(holder.Address, block, Ct);
        var weighted = await Service(database, new GovernanceOptions { HeuWeight = 1m, EsHeuWeight = 0.5m, StakedHeuWeight = 2m, StakedEsHeuWeight = 3m })
            .GetAsync(holder.Address, block, Ct);

        Assert.Equal((holder.Address.ToLowerInvariant(), block), (plain.Address, plain.Block));
        Assert.Equal((70m, 15m, 30m, 5m), (plain.Heu, plain.EsHeu, plain.StakedHeu, plain.StakedEsHeu));
        Assert.Equal(120m, plain.Total);
        Assert.Equal(new VotingPowerWeights(1m, 1m, 1m, 1m), plain.Weights);
        Assert.Equal(70m + 7.5m + 60m + 15m, weighted.Total);
        Assert.Equal(new VotingPowerWeights(1m, 0.5m, 2m, 3m), weighted.Weights);
    }

    [Fact]
    public async Task What_happens_after_the_block_changes_nothing_at_it()
    {
        var (holder, miner) = await HolderAsync();
        var before = await LatestAsync();
        var send = Actors.Send(holder);
        var other = ChainActors.RandomHash();
        await Actors.Staking.RegisterMinerAsync(send, other, Ct);
        await Actors.Token.TransferAsync(send, EthECKey.GenerateKey().Address, 60 * Token, Ct);
        await Actors.Staking.UnstakeAsync(send, miner, 1, 5 * Token, Ct);
        await Actors.Staking.TransferStakeAsync(send, miner, other, 0, 10 * Token, Ct);
        await Actors.Staking.UnstakeAsync(send, other, 0, 10 * Token, Ct);
        var after = await LatestAsync();
        var service = Service(await postgres.CreateMigratedDatabaseAsync("power"));

        var then = await service.GetAsync(holder.Address, before, Ct);
        var now = await service.GetAsync(holder.Address, after, Ct);

        Assert.Equal((70m, 15m, 30m, 5m), (then.Heu, then.EsHeu, then.StakedHeu, then.StakedEsHeu));
        // 10 HEU left the stake into its 30-day cooldown, which counts for nothing; the 5 esHEU came back at once.
        Assert.Equal((10m, 20m, 20m, 0m), (now.Heu, now.EsHeu, now.StakedHeu, now.StakedEsHeu));
    }

    [Fact]
    public async Task Stake_positions_come_from_the_indexers_table_and_from_the_logs_it_has_not_read()
    {
        var (holder, miner) = await HolderAsync();
        var moved = ChainActors.RandomHash();
        var send = Actors.Send(holder);
        await Actors.Staking.RegisterMinerAsync(send, moved, Ct);
        await Actors.Staking.TransferStakeAsync(send, miner, moved, 0, 12 * Token, Ct);
        var block = await LatestAsync();
        var unindexed = await postgres.CreateMigratedDatabaseAsync("power");
        var indexedEmpty = await postgres.CreateMigratedDatabaseAsync("power");
        var indexedOne = await postgres.CreateMigratedDatabaseAsync("power");
        await IndexedUpToAsync(indexedEmpty, block);
        await IndexedUpToAsync(indexedOne, block, new Stake { Staker = holder.Address.ToLowerInvariant(), MinerChainId = moved.ToHex(true), Kind = StakeKind.Heu });

        var fromLogs = await Service(unindexed).GetAsync(holder.Address, block, Ct);
        var fromNothing = await Service(indexedEmpty).GetAsync(holder.Address, block, Ct);
        var fromTable = await Service(indexedOne).GetAsync(holder.Address, block, Ct);

        // Staked (miner) and StakeTransferred (to the moved miner) in the logs: 18 + 12 HEU, and 5 esHEU.
        Assert.Equal((30m, 5m), (fromLogs.StakedHeu, fromLogs.StakedEsHeu));
        // An indexer past the block with no rows for the holder: no position is known, and no log is read.
        Assert.Equal((0m, 0m), (fromNothing.StakedHeu, fromNothing.StakedEsHeu));
        // Its one row names the moved miner's HEU: stakeOf there, at the block.
        Assert.Equal((12m, 0m), (fromTable.StakedHeu, fromTable.StakedEsHeu));
        Assert.Equal((70m, 15m), (fromTable.Heu, fromTable.EsHeu));
    }

    private static async Task IndexedUpToAsync(string connectionString, long block, params Stake[] stakes)
    {
        await using var db = PostgresFixture.CreateContext(connectionString);
        db.ChainCursors.Add(new ChainCursor { Name = ChainIndexer.CursorName, NextBlock = block + 1, UpdatedAt = DateTimeOffset.UtcNow });
        db.Stakes.AddRange(stakes);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_reading_is_kept_by_address_and_block_in_wei_and_the_weights_apply_when_it_is_read()
    {
        var (holder, _) = await HolderAsync();
        var block = await LatestAsync();
        var database = await postgres.CreateMigratedDatabaseAsync("power");
        await Service(database).GetAsync(holder.Address, block, Ct);
        await using (var db = PostgresFixture.CreateContext(database))
        {
            var row = await db.VotingPowerReadings.SingleAsync(Ct);
            Assert.Equal((holder.Address.ToLowerInvariant(), block), (row.Address, row.Block));
            Assert.Equal((70e18m, 15e18m, 30e18m, 5e18m), (row.HeuWei, row.EsHeuWei, row.StakedHeuWei, row.StakedEsHeuWei));
            // Tampered with, to tell a cached answer from a fresh read: a service whose chain is unreachable still answers.
            row.HeuWei = 1e18m;
            await db.SaveChangesAsync(Ct);
        }
        var offline = Service(database, ChainRpc.Connect(new Uri($"http://127.0.0.1:{FreePort.Next()}/")), chain.Manifest, new GovernanceOptions { HeuWeight = 2m });

        var cached = await offline.GetAsync(holder.Address.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal), block, Ct);
        var unavailable = await Assert.ThrowsAsync<ApiException>(() => offline.GetAsync(holder.Address, block - 1, Ct));

        Assert.Equal((1m, 2m + 15m + 30m + 5m), (cached.Heu, cached.Total));
        Assert.Equal(503, unavailable.Status);
    }

    [Fact]
    public async Task A_block_above_the_latest_or_a_malformed_address_is_refused_naming_the_field()
    {
        var latest = await LatestAsync();
        var service = Service(await postgres.CreateMigratedDatabaseAsync("power"));

        var future = await Assert.ThrowsAsync<ApiException>(() => service.GetAsync(AnvilAccounts.Address(8), latest + 1000, Ct));
        var malformed = await Assert.ThrowsAsync<ApiException>(() => service.GetAsync("0x1234", -1, Ct));

        Assert.Equal(400, future.Status);
        Assert.Contains($"block {latest + 1000} is above the chain's latest block", Assert.Single(future.Errors["block"]), StringComparison.Ordinal);
        Assert.Equal(["address", "block"], malformed.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_power_api_answers_the_parts_at_a_block_or_the_latest_and_refuses_a_bad_query_by_field()
    {
        var (holder, _) = await HolderAsync();
        var block = await LatestAsync();

        var atBlock = await portal.Http.GetFromJsonAsync<VotingPowerView>("/" + GovernanceRoutes.Power(holder.Address, block), JsonSerializerOptions.Web, Ct);
        var latest = await portal.Http.GetFromJsonAsync<VotingPowerView>($"/api/governance/power/{holder.Address}", JsonSerializerOptions.Web, Ct);
        using var future = await portal.Http.GetAsync("/" + GovernanceRoutes.Power(holder.Address, block + 1000), Ct);
        using var notNumber = await portal.Http.GetAsync($"/api/governance/power/{holder.Address}?block=latest", Ct);
        using var badAddress = await portal.Http.GetAsync("/" + GovernanceRoutes.Power("0xabc", block), Ct);

        Assert.Equal(120m, atBlock!.Total);
        Assert.True(latest!.Block >= block);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Contains("block", (await future.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.Keys);
        Assert.Equal(HttpStatusCode.BadRequest, notNumber.StatusCode);
        Assert.Contains("block", (await notNumber.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.Keys);
        Assert.Equal(HttpStatusCode.BadRequest, badAddress.StatusCode);
        Assert.Contains("address", (await badAddress.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.Keys);
    }
}
