using Heurist.AppHost;
using Heurist.Testing;

namespace Heurist.Portal.Server.Tests.Infrastructure;

/// <summary>A bad setting stops the real host with one line on stderr that names it, and no stack trace.</summary>
public sealed class StartupFailureTests(PostgresFixture postgres, AnvilFixture anvil)
{
    [Fact]
    public async Task An_unreachable_chain_rpc_stops_the_portal_naming_Chain_RpcUrl()
    {
        var port = FreePort.Next();
        var (exitCode, errors) = await RunPortalAsync(await postgres.CreateMigratedDatabaseAsync("badrpc"), $"http://127.0.0.1:{port}");

        Assert.Equal(1, exitCode);
        var line = Assert.Single(errors);
        Assert.StartsWith($"error: Chain:RpcUrl: The JSON-RPC endpoint http://127.0.0.1:{port}/ is unreachable", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_connection_string_stops_the_portal_naming_it()
    {
        var (exitCode, errors) = await RunPortalAsync("this is not a connection string", anvil.RpcUrl.ToString());

        Assert.Equal(1, exitCode);
        var line = Assert.Single(errors);
        Assert.StartsWith("error: ConnectionStrings:Portal is not a valid PostgreSQL connection string", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_nobody_listens_for_stops_the_worker_naming_it()
    {
        var port = FreePort.Next();
        await using var worker = ChildProcess.StartDotnet("worker", RepositoryPaths.BuiltAssembly("Inference.Worker"), [], new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = $"Host=127.0.0.1;Port={port};Username=heurist;Database=heurist",
            ["Worker__RewardAddress"] = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        }, echo: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await worker.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, worker.ExitCode);
        var line = Assert.Single(ErrorLines(worker));
        Assert.StartsWith($"error: ConnectionStrings:Portal: cannot connect to PostgreSQL at 127.0.0.1:{port}", line, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string[] Errors)> RunPortalAsync(string connectionString, string rpcUrl)
    {
        await using var portal = ChildProcess.StartDotnet("portal", RepositoryPaths.BuiltAssembly("Portal.Server"),
            ["--urls", $"http://127.0.0.1:{FreePort.Next()}"],
            new Dictionary<string, string>
            {
                ["ConnectionStrings__Portal"] = connectionString,
                ["Chain__RpcUrl"] = rpcUrl,
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            }, echo: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await portal.WaitForExitAsync(timeout.Token);
        return (portal.ExitCode, ErrorLines(portal));
    }

    private static string[] ErrorLines(ChildProcess process)
        => process.RecentErrors.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
