using Heurist.Testing;

namespace Heurist.LocalRunner.Tests;

/// <summary>A bad setting stops the real runner with exit code 1 and one line on stderr that names it.</summary>
[Integration]
public sealed class RunnerErrorTests(PostgresFixture postgres) : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("heurist-runner-errors-");

    [Theory]
    [InlineData("Local__PortalPort", "eighty", "error: Local:PortalPort: 'eighty' is not a port number (0 to 65535)")]
    [InlineData("Local__Host", "localhost", "error: Local:Host: 'localhost' is not an IP address (for example 127.0.0.1 or 0.0.0.0)")]
    [InlineData("ConnectionStrings__Portal", "this is not a connection string", "error: ConnectionStrings:Portal: ConnectionStrings:Portal is not a valid PostgreSQL connection string")]
    public async Task A_bad_setting_is_named_on_one_line(string variable, string value, string expected)
    {
        var line = await RunUntilErrorAsync(new() { [variable] = value });

        Assert.StartsWith(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_rpc_url_without_a_manifest_is_refused_naming_Chain_ManifestPath()
    {
        var line = await RunUntilErrorAsync(new()
        {
            ["ConnectionStrings__Portal"] = await postgres.CreateEmptyDatabaseAsync("runnernomanifest"),
            ["Chain__RpcUrl"] = $"http://127.0.0.1:{FreePort.Next()}/",
        });

        Assert.Equal("error: Chain:ManifestPath: not set: with Chain__RpcUrl, also give the deployment manifest of the contracts on that chain", line);
    }

    [Fact]
    public async Task An_unreachable_chain_rpc_url_is_refused_naming_Chain_RpcUrl()
    {
        var port = FreePort.Next();
        var line = await RunUntilErrorAsync(new()
        {
            ["ConnectionStrings__Portal"] = await postgres.CreateEmptyDatabaseAsync("runnernorpc"),
            ["Chain__RpcUrl"] = $"http://127.0.0.1:{port}/",
            ["Chain__ManifestPath"] = Path.Combine(_data.FullName, "deployment.json"),
        });

        Assert.StartsWith($"error: Chain:RpcUrl: The JSON-RPC endpoint http://127.0.0.1:{port}/ is unreachable", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_nobody_listens_for_is_refused_naming_ConnectionStrings_Portal()
    {
        var port = FreePort.Next();
        var line = await RunUntilErrorAsync(new() { ["ConnectionStrings__Portal"] = $"Host=127.0.0.1;Port={port};Username=heurist;Database=heurist" });

        Assert.StartsWith($"error: ConnectionStrings:Portal: cannot connect to PostgreSQL at 127.0.0.1:{port}", line, StringComparison.Ordinal);
    }

    private async Task<string> RunUntilErrorAsync(Dictionary<string, string> environment)
    {
        environment["Local__DataDirectory"] = _data.FullName;
        await using var runner = ChildProcess.StartDotnet("runner", RepositoryPaths.BuiltAssembly("LocalRunner"), [], environment, echo: false);

        await Readiness.WaitForExitAsync(runner, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.True(runner.ExitCode == 1, $"The runner exited with {runner.ExitCode}: {runner.RecentOutput}");
        return Assert.Single(runner.RecentErrors.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    public void Dispose() => _data.Delete(recursive: true);
}
