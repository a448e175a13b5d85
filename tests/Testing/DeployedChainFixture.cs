using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Xunit;

namespace Heurist.Testing;

/// <summary>
/// An anvil node on a free port with every contract deployed (roles from <see cref="AnvilAccounts"/>),
/// and the deployment manifest written to a temporary file, as the portal reads it.
/// </summary>
public sealed class DeployedChainFixture : IAsyncLifetime
{
    private readonly AnvilFixture _anvil = new();
    private readonly HttpClient _http = new();
    private string? _folder;

    public Uri RpcUrl => _anvil.RpcUrl;

    public EthereumRpcClient Rpc { get; private set; } = default!;

    public DeploymentManifest Manifest { get; private set; } = default!;

    public string ManifestPath { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        await _anvil.InitializeAsync();
        Rpc = new EthereumRpcClient(_http, _anvil.RpcUrl);
        Manifest = await ContractDeployer.DeployAsync(Rpc, new DeploymentOptions
        {
            Owner = AnvilAccounts.Owner,
            SettlementKey = AnvilAccounts.SettlementKey.Address,
            StudioSigner = AnvilAccounts.StudioSigner.Address,
            SponsorSigner = AnvilAccounts.SponsorSigner.Address,
            EpochLengthSeconds = 3600,
        });
        _folder = Directory.CreateTempSubdirectory("heurist-manifest-").FullName;
        ManifestPath = Path.Combine(_folder, "deployment.json");
        await Manifest.SaveAsync(ManifestPath);
    }

    public async ValueTask DisposeAsync()
    {
        await _anvil.DisposeAsync();
        _http.Dispose();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
