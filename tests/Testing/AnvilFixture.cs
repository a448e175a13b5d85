using Heurist.Contracts.LocalChain;
using Xunit;

namespace Heurist.Testing;

/// <summary>An anvil node on a free port for the tests that need a chain; stopped at the end.</summary>
public sealed class AnvilFixture : IAsyncLifetime
{
    private LocalAnvilNode? _node;

    public LocalAnvilNode Node => _node ?? throw new InvalidOperationException("anvil has not started.");

    public Uri RpcUrl => Node.RpcUrl;

    public async ValueTask InitializeAsync()
        => _node = await LocalAnvilNode.StartAsync(new LocalAnvilOptions
        {
            BinaryPath = LocalAnvilNode.FindBinary(RepositoryPaths.Contracts),
            Port = FreePort.Next(),
        });

    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}
