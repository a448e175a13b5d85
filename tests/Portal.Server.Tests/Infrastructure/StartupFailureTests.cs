using Heurist.Testing;
using Heurist.Contracts.LocalChain;

namespace Heurist.Portal.Server.Tests.Infrastructure;

/// <summary>A bad setting stops the real host with one line on stderr that names it, and no stack trace.</summary>
public sealed class StartupFailureTests(PostgresFixture postgres, DeployedChainFixture chain)
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
        var (exitCode, errors) = await RunPortalAsync("this is not a connection string", chain.RpcUrl.ToString());

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
            ["Worker__RewardAddress"] = AnvilAccounts.Address(1),
        }, echo: false);

        await Readiness.WaitForExitAsync(worker, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(1, worker.ExitCode);
        var line = Assert.Single(ErrorLines(worker));
        Assert.StartsWith($"error: ConnectionStrings:Portal: cannot connect to PostgreSQL at 127.0.0.1:{port}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_manifest_stops_the_portal_naming_Chain_ManifestPath()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-manifest-{Guid.NewGuid():N}.json");
        var (exitCode, errors) = await RunPortalAsync(await postgres.CreateMigratedDatabaseAsync("nomanifest"), chain.RpcUrl.ToString(), missing);

        Assert.Equal(1, exitCode);
        Assert.Equal($"error: Chain:ManifestPath: no deployment manifest at {missing}", Assert.Single(errors));
    }

    [Fact]
    public async Task A_manifest_for_another_chain_stops_the_portal_naming_both_chain_ids()
    {
        var manifest = await WriteManifestAsync(chain.Manifest with { ChainId = 1 });
        var (exitCode, errors) = await RunPortalAsync(await postgres.CreateMigratedDatabaseAsync("wrongchain"), chain.RpcUrl.ToString(), manifest);

        Assert.Equal(1, exitCode);
        Assert.Equal($"error: Chain:ManifestPath: {manifest}: the manifest is for chain 1, but {chain.RpcUrl} serves chain 31337", Assert.Single(errors));
    }

    [Fact]
    public async Task A_contract_address_without_code_stops_the_portal_naming_the_contract()
    {
        const string empty = "0x000000000000000000000000000000000000dEaD";
        var manifest = await WriteManifestAsync(chain.Manifest with { Contracts = chain.Manifest.Contracts with { ImaginariesNft = empty } });
        var (exitCode, errors) = await RunPortalAsync(await postgres.CreateMigratedDatabaseAsync("nocode"), chain.RpcUrl.ToString(), manifest);

        Assert.Equal(1, exitCode);
        Assert.Equal($"error: Chain:ManifestPath: {manifest}: ImaginariesNft at {empty} has no code on chain 31337", Assert.Single(errors));
    }

    [Fact]
    public async Task An_admin_that_is_not_an_address_stops_the_portal_naming_the_entry()
    {
        var (exitCode, errors) = await RunPortalAsync(await postgres.CreateMigratedDatabaseAsync("badadmin"), chain.RpcUrl.ToString(), settings: new Dictionary<string, string>
        {
            ["Portal__Admins__0"] = AnvilAccounts.Address(1),
            ["Portal__Admins__1"] = "alice",
        });

        Assert.Equal(1, exitCode);
        Assert.StartsWith("error: Portal:Admins:1: 'alice' is not an address", Assert.Single(errors), StringComparison.Ordinal);
    }

    private static async Task<string> WriteManifestAsync(Heurist.Contracts.Deployment.DeploymentManifest manifest)
    {
        var path = Path.Combine(Path.GetTempPath(), $"heurist-manifest-{Guid.NewGuid():N}.json");
        await manifest.SaveAsync(path);
        return path;
    }

    private async Task<(int ExitCode, string[] Errors)> RunPortalAsync(
        string connectionString, string rpcUrl, string? manifestPath = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = connectionString,
            ["Chain__RpcUrl"] = rpcUrl,
            ["Chain__ManifestPath"] = manifestPath ?? chain.ManifestPath,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        await using var portal = ChildProcess.StartDotnet("portal", RepositoryPaths.BuiltAssembly("Portal.Server"),
            ["--urls", $"http://127.0.0.1:{FreePort.Next()}"], environment, echo: false);
        await Readiness.WaitForExitAsync(portal, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        return (portal.ExitCode, ErrorLines(portal));
    }

    private static string[] ErrorLines(ChildProcess process)
        => process.RecentErrors.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
