using System.Numerics;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Heurist.LocalRunner;
using Heurist.Portal.Data;
using Microsoft.EntityFrameworkCore;
using Nethereum.Hex.HexTypes;
using Nethereum.Signer;
using Nethereum.Web3;

namespace Heurist.Bench.Mint;

/// <summary>
/// Everything a mint goes through, on this machine: a private PostgreSQL, anvil with the contracts (EntryPoint v0.8 at
/// its canonical address), Alto, the real portal process with minting on, and one worker serving the tiny models.
/// </summary>
internal sealed class MintStack : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"heurist-bench-mint-{Guid.NewGuid():N}");
    private readonly List<IAsyncDisposable> _started = [];

    public string ConnectionString { get; private set; } = "";

    public Uri PortalUrl { get; private set; } = default!;

    public Uri BundlerUrl { get; private set; } = default!;

    public IWeb3 Rpc { get; private set; } = default!;

    public DeploymentManifest Manifest { get; private set; } = default!;

    public static async Task<MintStack> StartAsync(string modelsFolder)
    {
        var stack = new MintStack();
        await stack.StartCoreAsync(modelsFolder);
        return stack;
    }

    private async Task StartCoreAsync(string modelsFolder)
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

        var utility = EthECKey.GenerateKey();
        await Rpc.Client.SendRequestAsync<object>("anvil_setBalance", null, utility.GetPublicAddress(), new HexBigInteger(BigInteger.Pow(10, 20)).HexValue);
        var alto = await LocalAltoBundler.StartAsync(new LocalAltoOptions
        {
            ScriptPath = LocalAltoBundler.FindScript(RepositoryPaths.Bundler),
            RpcUrl = anvil.RpcUrl,
            Port = FreePort.Next(),
            ExecutorPrivateKey = AnvilAccounts.Bundler.GetPrivateKey(),
            UtilityPrivateKey = utility.GetPrivateKey(),
            LogFile = Path.Combine(_folder, "alto.log"),
        });
        _started.Add(alto);
        BundlerUrl = alto.Url;

        PortalUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var portal = ChildProcess.StartDotnet("portal", RepositoryPaths.BuiltAssembly("Portal.Server"), ["--urls", PortalUrl.ToString().TrimEnd('/')], new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = ConnectionString,
            ["Chain__RpcUrl"] = anvil.RpcUrl.ToString(),
            ["Chain__ManifestPath"] = manifestPath,
            ["Chain__BundlerUrl"] = alto.Url.ToString(),
            ["Minting__StudioKey"] = AnvilAccounts.StudioSigner.GetPrivateKey(),
            ["Minting__SponsorKey"] = AnvilAccounts.SponsorSigner.GetPrivateKey(),
            ["Minting__PublicBaseUrl"] = PortalUrl.ToString(),
            ["Minting__MintsPerWalletPerDay"] = "100",
            ["Minting__MintsPerIpPerDay"] = "1000",
            // Development: the session cookie is not Secure, so this plain-http client keeps it.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
        }, echo: false);
        _started.Add(portal);
        await Readiness.WaitUntilHealthyAsync(PortalUrl, portal, TimeSpan.FromMinutes(2));

        var worker = ChildProcess.StartDotnet("worker", RepositoryPaths.BuiltAssembly("Inference.Worker"), [], new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = ConnectionString,
            ["Worker__MinerId"] = "bench-mint-worker",
            ["Worker__RewardAddress"] = AnvilAccounts.Miner.GetPublicAddress(),
            ["Worker__ModelsPath"] = modelsFolder,
            ["Worker__Models__0"] = "sd15",
            ["Logging__LogLevel__Default"] = "Warning",
        }, echo: false);
        _started.Add(worker);
    }

    public PortalDbContext Database() => PortalDatabase.CreateContext(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }
}
