using Heurist.Contracts.LocalChain;
using Heurist.Testing;

namespace Heurist.E2E;

/// <summary>
/// The real portal and one real worker, started from their build output on free ports,
/// on a throwaway PostgreSQL cluster and an anvil node of their own with the contracts deployed.
/// </summary>
public sealed class RunningPortal : IAsyncLifetime
{
    public const string MinerId = "e2e-miner";

    /// <summary>Sponsored mints a wallet may send per day here: small, so a journey can spend it.</summary>
    public const int MintsPerWalletPerDay = 2;

    private readonly PostgresFixture _postgres = new();
    private readonly DeployedChainFixture _chain = new();
    private readonly TinyModelsFixture _models = new();
    private ChildProcess? _portal;
    private ChildProcess? _worker;
    private ChainSteps? _chainSteps;

    public Uri Url { get; } = new($"http://127.0.0.1:{FreePort.Next()}/");

    /// <summary>The anvil node the portal and the test wallet use.</summary>
    public Uri RpcUrl => _chain.RpcUrl;

    /// <summary>The chain the journeys prepare and check through, as the portal's contracts are deployed on it.</summary>
    public ChainSteps Chain => _chainSteps ??= new ChainSteps(_chain.Rpc, _chain.Manifest);

    /// <summary>A signed-in operator (Portal:Admins): the journeys run epoch settlement as this account.</summary>
    public static string Operator => AnvilAccounts.Address(8);

    /// <summary>The portal's database, for tests that add miners the way other workers would.</summary>
    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        await _chain.InitializeAsync();
        await _models.InitializeAsync();
        var database = await _postgres.CreateMigratedDatabaseAsync("e2e");
        ConnectionString = database;
        var bundlerUrl = await _chain.BundlerUrlAsync();
        _portal = ChildProcess.StartDotnet("portal", RepositoryPaths.BuiltAssembly("Portal.Server"), ["--urls", Url.ToString().TrimEnd('/')],
            new Dictionary<string, string>
            {
                ["ConnectionStrings__Portal"] = database,
                ["Chain__RpcUrl"] = _chain.RpcUrl.ToString(),
                ["Chain__ManifestPath"] = _chain.ManifestPath,
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                // The stats pages show a job within a second of it finishing.
                ["Portal__StatsRefreshSeconds"] = "1",
                // The deployment's settlement key, so journeys can settle an epoch (POST /api/rewards/settle) and claim.
                // Settlement runs when a journey asks for it (POST /api/rewards/settle), not on a timer.
                ["Rewards__CheckEveryMinutes"] = "0",
                ["Portal__Admins__0"] = Operator,
                ["Rewards__SettlementKey"] = AnvilAccounts.SettlementKey.GetPrivateKey(),
                // Gasless minting through Alto on the same chain, with the deployment's studio and sponsor keys.
                ["Minting__StudioKey"] = AnvilAccounts.StudioSigner.GetPrivateKey(),
                ["Minting__SponsorKey"] = AnvilAccounts.SponsorSigner.GetPrivateKey(),
                ["Minting__PublicBaseUrl"] = Url.ToString(),
                ["Chain__BundlerUrl"] = bundlerUrl.ToString(),
                ["Minting__MintsPerWalletPerDay"] = MintsPerWalletPerDay.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // A model's recent jobs keep it on the worker as an extra queue for this long: short, so that a closed
                // allocation vote shows on the worker within the journey, not a quarter of an hour after the Studio's jobs.
                ["Allocation__DemandWindowMinutes"] = "1",
                // Samples often enough that the Stats page's allocation charts have lines within a journey.
                ["Allocation__SampleEverySeconds"] = "5",
            }, echo: false);
        await Readiness.WaitUntilHealthyAsync(Url, _portal, TimeSpan.FromMinutes(2));
        _worker = ChildProcess.StartDotnet("worker", RepositoryPaths.BuiltAssembly("Inference.Worker"), [],
            new Dictionary<string, string>
            {
                ["ConnectionStrings__Portal"] = database,
                ["Worker__MinerId"] = MinerId,
                ["Worker__RewardAddress"] = AnvilAccounts.Address(1),
                ["Worker__HeartbeatSeconds"] = "2",
                ["Worker__ModelsPath"] = _models.Folder,
            }, echo: false);
        await WaitUntilWorkerOnlineAsync();
    }

    /// <summary>The journeys open pages that show the worker's models as served; they start once it is online.</summary>
    private async Task WaitUntilWorkerOnlineAsync()
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (!(await http.GetStringAsync("/api/network/workers")).Contains($"\"{MinerId}\"", StringComparison.Ordinal))
        {
            if (_worker!.HasExited || DateTimeOffset.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The E2E worker did not come online: {_worker.RecentOutput}");
            }
            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }
        if (_portal is not null)
        {
            await _portal.DisposeAsync();
        }
        await _chain.DisposeAsync();
        await _models.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
