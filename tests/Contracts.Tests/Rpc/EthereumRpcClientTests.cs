using System.Text.Json.Nodes;
using Heurist.Contracts.Rpc;
using Heurist.Testing;

namespace Heurist.Contracts.Tests.Rpc;

public sealed class EthereumRpcClientTests(AnvilFixture anvil) : IDisposable
{
    private readonly HttpClient _http = new();

    [Fact]
    public async Task It_reads_the_chain_id_of_anvil()
    {
        var rpc = new EthereumRpcClient(_http, anvil.RpcUrl);
        Assert.Equal(31337UL, await rpc.GetChainIdAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_batch_returns_each_result_in_the_order_asked()
    {
        var rpc = new EthereumRpcClient(_http, anvil.RpcUrl);
        var ct = TestContext.Current.CancellationToken;
        await rpc.CallAsync("evm_mine", [], ct);
        var before = await rpc.GetBlockNumberAsync(ct);

        var results = await rpc.BatchAsync([("eth_blockNumber", []), ("eth_chainId", []), ("net_version", [])], ct);

        Assert.Equal(3, results.Count);
        Assert.Equal(before, EthereumRpcClient.ParseQuantity(results[0]));
        Assert.Equal(31337UL, EthereumRpcClient.ParseQuantity(results[1]));
        Assert.Equal("31337", results[2]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_call_raises_a_typed_error_with_the_code_and_method()
    {
        var rpc = new EthereumRpcClient(_http, anvil.RpcUrl);

        var error = await Assert.ThrowsAsync<JsonRpcErrorException>(
            () => rpc.CallAsync("eth_noSuchMethod", [], TestContext.Current.CancellationToken));

        Assert.Equal("eth_noSuchMethod", error.Method);
        Assert.Equal(-32601, error.Code);
    }

    [Fact]
    public async Task A_failing_call_in_a_batch_fails_the_batch_with_its_own_error()
    {
        var rpc = new EthereumRpcClient(_http, anvil.RpcUrl);

        var error = await Assert.ThrowsAsync<JsonRpcErrorException>(() => rpc.BatchAsync(
            [("eth_chainId", []), ("eth_getBalance", new JsonArray("not-an-address", "latest"))],
            TestContext.Current.CancellationToken));

        Assert.Equal("eth_getBalance", error.Method);
    }

    [Fact]
    public async Task An_unreachable_node_raises_a_transport_error_naming_the_endpoint()
    {
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var rpc = new EthereumRpcClient(_http, closed);

        var error = await Assert.ThrowsAsync<RpcTransportException>(() => rpc.GetChainIdAsync(TestContext.Current.CancellationToken));

        Assert.Equal(closed, error.Endpoint);
        Assert.Contains("is unreachable", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x0", 0UL)]
    [InlineData("0x1", 1UL)]
    [InlineData("0x7a69", 31337UL)]
    [InlineData("0xffffffffffffffff", ulong.MaxValue)]
    public void Quantities_parse_from_hex(string text, ulong expected)
        => Assert.Equal(expected, EthereumRpcClient.ParseQuantity(JsonValue.Create(text)));

    [Theory]
    [InlineData("12")]
    [InlineData("0x")]
    public void Malformed_quantities_are_refused(string text)
        => Assert.Throws<FormatException>(() => EthereumRpcClient.ParseQuantity(JsonValue.Create(text)));

    [Theory]
    [InlineData(3, "execution reverted", "\"0x08c379a0\"", "0x08c379a0")]
    [InlineData(-32000, "execution reverted: nope", "{\"data\":\"0xdeadbeef\"}", "0xdeadbeef")]
    [InlineData(3, "execution reverted", null, "0x")]
    public void Revert_errors_give_their_data_as_bytes(long code, string message, string? data, string expected)
    {
        Assert.True(EthereumRpcClient.TryGetRevertData(new JsonRpcErrorException("eth_call", code, message, data), out var revertData));
        Assert.Equal(expected, Hex.Encode(revertData));
    }

    [Fact]
    public void Errors_that_are_not_reverts_are_not_taken_for_one()
        => Assert.False(EthereumRpcClient.TryGetRevertData(new JsonRpcErrorException("eth_call", -32602, "invalid params", "\"0x01\""), out _));

    [Theory]
    [InlineData(0, "0x0")]
    [InlineData(1, "0x1")]
    [InlineData(255, "0xff")]
    [InlineData(4096, "0x1000")]
    public void Quantities_are_written_without_leading_zeros(long value, string expected)
        => Assert.Equal(expected, EthereumRpcClient.ToQuantity(value));

    public void Dispose() => _http.Dispose();
}
