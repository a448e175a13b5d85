using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;

namespace Heurist.Contracts.Tests.LocalChain;

public sealed class LocalAnvilNodeTests
{
    private const string Recipient = "0x000000000000000000000000000000000000beef";

    [Fact]
    public async Task A_restart_with_a_state_file_keeps_balances_and_blocks()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("heurist-anvil-state-");
        try
        {
            var options = new LocalAnvilOptions
            {
                BinaryPath = LocalAnvilNode.FindBinary(RepositoryPaths.Contracts),
                Port = FreePort.Next(),
                StateFile = Path.Combine(folder.FullName, "state.json"),
            };
            await using (var first = await LocalAnvilNode.StartAsync(options, ct))
            {
                var rpc = ChainRpc.Connect(first.RpcUrl).Client;
                await rpc.SendRequestAsync<object>("anvil_setBalance", null, Recipient, "0x1234");
                await rpc.SendRequestAsync<object>("evm_mine");
                await rpc.SendRequestAsync<object>("evm_mine");
            }

            await using var second = await LocalAnvilNode.StartAsync(options with { Port = FreePort.Next() }, ct);
            var restarted = ChainRpc.Connect(second.RpcUrl);
            Assert.Equal(0x1234, (int)(await restarted.Eth.GetBalance.SendRequestAsync(Recipient)).Value);
            Assert.True((await restarted.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value >= 2);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Stopping_the_node_ends_its_process()
    {
        var node = await LocalAnvilNode.StartAsync(new LocalAnvilOptions
        {
            BinaryPath = LocalAnvilNode.FindBinary(RepositoryPaths.Contracts),
            Port = FreePort.Next(),
        }, TestContext.Current.CancellationToken);
        var pid = node.ProcessId;

        await node.DisposeAsync();

        Assert.False(ProcessExists(pid));
    }

    [Fact]
    public void A_missing_anvil_install_says_to_run_npm_ci()
    {
        var error = Assert.Throws<FileNotFoundException>(() => LocalAnvilNode.FindBinary("/nonexistent/Contracts"));
        Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
    }

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
