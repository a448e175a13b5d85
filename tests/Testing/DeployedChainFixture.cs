using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Nethereum.Web3;
using Xunit;

namespace Heurist.Testing;

/// <summary>
/// An anvil node on a free port with every contract deployed (roles from <see cref="AnvilAccounts"/>),
/// and the deployment manifest written to a temporary file, as the portal reads it.
/// </summary>
public sealed class DeployedChainFixture : IAsyncLifetime
{
    private readonly AnvilFixture _anvil = new();
    private readonly SemaphoreSlim _bundlerStart = new(1, 1);
    private LocalAltoBundler? _bundler;
    private string? _folder;

    public Uri RpcUrl => _anvil.RpcUrl;

    public IWeb3 Rpc { get; private set; } = default!;

    public DeploymentManifest Manifest { get; private set; } = default!;

    public string ManifestPath { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        await _anvil.InitializeAsync();
        Rpc = ChainRpc.Connect(_anvil.RpcUrl);
        Manifest = await ContractDeployer.DeployAsync(Rpc, new DeploymentOptions
        {
            Owner = AnvilAccounts.Owner,
            SettlementKey = AnvilAccounts.SettlementKey.GetPublicAddress(),
            StudioSigner = AnvilAccounts.StudioSigner.GetPublicAddress(),
            SponsorSigner = AnvilAccounts.SponsorSigner.GetPublicAddress(),
            EpochLengthSeconds = 3600,
        });
        _folder = Directory.CreateTempSubdirectory("heurist-manifest-").FullName;
        ManifestPath = Path.Combine(_folder, "deployment.json");
        await Manifest.SaveAsync(ManifestPath);
    }

    /// <summary>
    /// An Alto bundler for this chain, started on the first call (it takes a few seconds, and most tests need none).
    /// </summary>
    public async Task<Uri> BundlerUrlAsync()
    {
        await _bundlerStart.WaitAsync();
        try
        {
            _bundler ??= await TestBundler.StartAsync(RpcUrl, Path.Combine(_folder!, "alto.log"));
            return _bundler.Url;
        }
        finally
        {
            _bundlerStart.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_bundler is not null)
        {
            await _bundler.DisposeAsync();
        }
        _bundlerStart.Dispose();
        await _anvil.DisposeAsync();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
