using Heurist.Contracts.Rpc;
using Heurist.Testing;
using Nethereum.JsonRpc.Client;

namespace Heurist.Contracts.Tests.Rpc;

/// <summary>Reaching a node through Nethereum: reads, batches, typed errors, and the one-line failure the start-up checks print.</summary>
public sealed class ChainRpcTests(AnvilFixture anvil)
{
    [Fact]
    public async Task It_reads_the_chain_id_of_anvil()
        => Assert.Equal(31337, (int)(await ChainRpc.Connect(anvil.RpcUrl).Eth.ChainId.SendRequestAsync()).Value);

    [Fact]
    public async Task A_batch_returns_the_chain_id_and_the_head_in_one_request()
    {
        var web3 = ChainRpc.Connect(anvil.RpcUrl);
        await web3.Client.SendRequestAsync<string>("evm_mine");
        var before = (await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

        var (chainId, block) = await ChainRpc.ChainIdAndBlockNumberAsync(web3);

        Assert.Equal(31337, (int)chainId);
        Assert.True(block >= before);
    }

    [Fact]
    public async Task A_refused_call_raises_a_typed_error_with_its_code()
    {
        var web3 = ChainRpc.Connect(anvil.RpcUrl);

        var error = await Assert.ThrowsAsync<RpcResponseException>(() => web3.Client.SendRequestAsync<string>("eth_noSuchMethod"));

        Assert.Equal(-32601, error.RpcError.Code);
        Assert.StartsWith($"The JSON-RPC endpoint {anvil.RpcUrl} refused the call with error -32601", ChainRpc.Describe(anvil.RpcUrl, error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_node_is_described_in_one_line_naming_the_endpoint()
    {
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}/");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ChainRpc.Connect(closed).Eth.ChainId.SendRequestAsync());

        Assert.True(ChainRpc.IsRpcFailure(error), error.GetType().Name);
        Assert.StartsWith($"The JSON-RPC endpoint {closed} is unreachable (Connection refused", ChainRpc.Describe(closed, error), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, "execution reverted", "0x08c379a0", "0x08c379a0")]
    [InlineData(-32000, "execution reverted: nope", "0xdeadbeef", "0xdeadbeef")]
    [InlineData(3, "execution reverted", null, "0x")]
    public void Revert_errors_give_their_data_as_bytes(int code, string message, string? data, string expected)
    {
        var error = new RpcResponseException(new RpcError(code, message, data is null ? null : new Newtonsoft.Json.Linq.JValue(data)));

        Assert.True(ChainRpc.TryGetRevertData(error, out var revertData));
        Assert.Equal(expected, revertData.ToHex(true));
    }

    [Fact]
    public void Errors_that_are_not_reverts_are_not_taken_for_one()
        => Assert.False(ChainRpc.TryGetRevertData(new RpcResponseException(new RpcError(-32602, "invalid params", new Newtonsoft.Json.Linq.JValue("0x01"))), out _));
}
