using System.Numerics;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Heurist.LocalRunner;
using Heurist.Portal.Data;
using Microsoft.EntityFrameworkCore;
using Nethereum.Web3;

namespace Heurist.Bench.Governance;

/// <summary>What a vote goes through, on this machine: a private PostgreSQL, anvil with the contracts, and the real portal process.</summary>
internal sealed class GovernanceStack : IAsyncDisposable
{
    public const string Space = "bench.heurist.eth";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"heurist-bench-governance-{Guid.NewGuid():N}");
    private readonly List<IAsyncDisposable> _started = [];

    public string ConnectionString { get; private set; } = "";

    public Uri PortalUrl { get; private set; } = default!;

    public Uri RpcUrl { get; private set; } = default!;

    public IWeb3 Rpc { get; private set; } = default!;

    public DeploymentManifest Manifest { get; private set; } = default!;

    public ChildProcess Portal { get; private set; } = default!;

    public static async Task<GovernanceStack> StartAsync()
    {
        var stack = new GovernanceStack();
        try
        {
            await stack.StartCoreAsync();
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync()
    {
        Directory.CreateDirectory(_folder);
        var cluster = await LocalPostgresCluster.StartAsync(new LocalPostgresOptions { DataDirectory = Path.Combine(_folder, "pg"), Port = FreePort.Next(), Throwaway = true });
        _started.Add(cluster);
        ConnectionString = cluster.ConnectionString;
        await using (var db = PortalDatabase.CreateContext(ConnectionString))
        {
            await db.Database.MigrateAsync();
        }

        var anvil = await LocalAnvilNode.StartAsync(new LocalAnvilOptions { BinaryPath = LocalAnvilNode.FindBinary(RepositoryPaths.Contracts), Port = FreePort.Next() });
        _started.Add(anvil);
        RpcUrl = anvil.RpcUrl;
        Rpc = ChainRpc.Connect(anvil.RpcUrl);
        Manifest = await ContractDeployer.DeployAsync(Rpc, new DeploymentOptions
        {
            Owner = AnvilAccounts.Owner,
            SettlementKey = AnvilAccounts.SettlementKey.GetPublicAddress(),
            StudioSigner = AnvilAccounts.StudioSigner.GetPublicAddress(),
            SponsorSigner = AnvilAccounts.SponsorSigner.GetPublicAddress(),
        });
        var manifestPath = Path.Combine(_folder, "deployment.json");
        await Manifest.SaveAsync(manifestPath);

        PortalUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        Portal = ChildProcess.StartDotnet("portal", RepositoryPaths.BuiltAssembly("Portal.Server"), ["--urls", PortalUrl.ToString().TrimEnd('/')], new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = ConnectionString,
            ["Chain__RpcUrl"] = anvil.RpcUrl.ToString(),
            ["Chain__ManifestPath"] = manifestPath,
            ["Governance__Space"] = Space,
            ["Governance__ProposalThreshold"] = "1",
            // The simulated workers beat every second and the targets follow as fast.
            ["Allocation__RecomputeSeconds"] = "1",
            ["Allocation__SampleEverySeconds"] = "5",
            ["Portal__OnlineWindowSeconds"] = "10",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        }, echo: false);
        _started.Add(Portal);
        await Readiness.WaitUntilHealthyAsync(PortalUrl, Portal, TimeSpan.FromMinutes(3));
    }

    public PortalDbContext Database() => PortalDatabase.CreateContext(ConnectionString);

    /// <summary>The chain's latest block.</summary>
    public async Task<long> LatestBlockAsync() => (long)(await Rpc.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    /// <summary>Mines one empty block.</summary>
    public Task MineAsync(CancellationToken cancellationToken)
        => Rpc.Client.SendRequestAsync<string>(new Nethereum.JsonRpc.Client.RpcRequest(1, "evm_mine")).WaitAsync(cancellationToken);

    /// <summary>Whole tokens in wei.</summary>
    public static BigInteger Tokens(long tokens) => tokens * BigInteger.Pow(10, 18);

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync();
        }
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
