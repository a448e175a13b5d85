using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Staking;
using Heurist.Portal.Server.Tests.Features.ChainIndexing;
using Heurist.Protocol.Api.Chain;
using Heurist.Protocol.Api.Staking;
using Heurist.Protocol.Chain;
using Heurist.Testing;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Heurist.Portal.Server.Tests.Features.Staking;

/// <summary>GET /api/chain/indexed and GET /api/staking/accounts/{address}, against a real portal indexing the shared anvil chain.</summary>
public sealed class StakingApiTests(PortalApp portal, DeployedChainFixture chain) : IClassFixture<PortalApp>
{
    private static readonly BigInteger Heu = ChainActors.Heu;

    [Fact]
    public async Task An_accounts_positions_unstakes_and_history_come_from_the_indexed_chain()
    {
        var ct = TestContext.Current.CancellationToken;
        var actors = new ChainActors(chain.Rpc, chain.Manifest);
        var key = await actors.NewUserAsync(20_000 * Heu);
        var user = actors.Send(key);
        var known = $"staking-api-{Guid.NewGuid():N}";
        await portal.AddMinerAsync(known, DateTimeOffset.UtcNow);
        var knownId = MinerChainId.Bytes(known);
        var chainOnly = ChainActors.RandomHash();
        await actors.Staking.RegisterMinerAsync(user, knownId, ct);
        await actors.Staking.RegisterMinerAsync(user, chainOnly, ct);
        await actors.Token.ApproveAsync(user, actors.Staking.Address, 12_000 * Heu, ct);
        await actors.Staking.StakeAsync(user, knownId, 0, 12_000 * Heu, ct);
        await actors.Staking.TransferStakeAsync(user, knownId, chainOnly, 0, 2_000 * Heu, ct);
        await actors.Staking.UnstakeAsync(user, knownId, 0, 1_000 * Heu, ct);
        var head = (long)(await chain.Rpc.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var client = portal.CreateClient();

        var indexed = await WaitUntilIndexedAsync(client, head, ct);
        var account = await client.GetFromJsonAsync<StakingAccount>($"/api/staking/accounts/{key.Address}", JsonSerializerOptions.Web, ct);

        Assert.True(indexed.NextBlock > head);
        Assert.NotNull(account);
        Assert.Equal(key.Address.ToLowerInvariant(), account.Address);
        Assert.True(account.IndexedBlock > head);
        Assert.Equal(
            [(known, knownId.ToHex(true), TokenKind.Heu, 9_000 * Heu), ((string?)null, chainOnly.ToHex(true), TokenKind.Heu, 2_000 * Heu)],
            account.Positions.Select(p => (p.MinerId, p.MinerChainId, p.Kind, p.Amount)));
        var unstake = Assert.Single(account.Unstakes);
        Assert.Equal((known, 1_000 * Heu), (unstake.MinerId, unstake.Amount));
        Assert.InRange(unstake.AvailableAt, DateTimeOffset.UtcNow.AddDays(29), DateTimeOffset.UtcNow.AddDays(400));
        // A move between miners leaves the total alone: 12,000 staked, 1,000 unstaked.
        var last = account.History.Epochs[^1];
        Assert.Equal((11_000 * Heu, BigInteger.Zero), (last.Heu, last.EsHeu));
        Assert.True(account.History.EpochLengthSeconds > 0);
    }

    [Fact]
    public async Task The_wire_format_writes_wei_as_digits_and_kinds_by_name()
    {
        var ct = TestContext.Current.CancellationToken;
        var actors = new ChainActors(chain.Rpc, chain.Manifest);
        var key = await actors.NewUserAsync(10_000 * Heu);
        var user = actors.Send(key);
        var miner = ChainActors.RandomHash();
        await actors.Staking.RegisterMinerAsync(user, miner, ct);
        await actors.Token.ApproveAsync(user, actors.Staking.Address, 10_000 * Heu, ct);
        await actors.Staking.StakeAsync(user, miner, 0, 10_000 * Heu, ct);
        var head = (long)(await chain.Rpc.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var client = portal.CreateClient();
        await WaitUntilIndexedAsync(client, head, ct);

        var json = await client.GetStringAsync($"/api/staking/accounts/{key.Address.ToLowerInvariant()}", ct);

        Assert.Contains("\"kind\":\"heu\"", json, StringComparison.Ordinal);
        Assert.Contains("\"amountWei\":\"10000000000000000000000\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"amount\":", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_without_stake_has_empty_lists_and_a_bad_address_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = portal.CreateClient();

        var empty = await client.GetFromJsonAsync<StakingAccount>("/api/staking/accounts/0x000000000000000000000000000000000000dEaD", JsonSerializerOptions.Web, ct);
        using var bad = await client.GetAsync("/api/staking/accounts/not-an-address", ct);

        Assert.NotNull(empty);
        Assert.Empty(empty.Positions);
        Assert.Empty(empty.Unstakes);
        Assert.Empty(empty.History.Epochs);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("address must be 0x and 40 hex digits.", await bad.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    /// <summary>Asks GET /api/chain/indexed until the portal's indexer has passed <paramref name="block"/>.</summary>
    private static async Task<ChainIndexStatus> WaitUntilIndexedAsync(HttpClient client, long block, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // A limit on waiting, never a timing assertion: the loop ends as soon as the indexer is there.
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        while (true)
        {
            var status = await client.GetFromJsonAsync<ChainIndexStatus>("/api/chain/indexed", JsonSerializerOptions.Web, limit.Token);
            if (status!.HasIndexed(block))
            {
                return status;
            }
            await Task.Delay(100, limit.Token);
        }
    }
}
