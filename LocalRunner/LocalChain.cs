using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Nethereum.Signer;

namespace Heurist.LocalRunner;

/// <summary>
/// The runner's chain: the configured RPC endpoint and manifest, checked, or anvil with its state under the data folder
/// and our contracts deployed on it. Every call the runner makes into Heurist.Contracts is in this file.
/// </summary>
internal static class LocalChain
{
    /// <summary>The local worker's reward address when Worker:RewardAddress is not set: anvil's second dev account.</summary>
    public static string DefaultRewardAddress => AnvilAccounts.Miner.GetPublicAddress();

    /// <summary>The private key the local deployment accepts epoch roots from (dev account 2), for the portal's Rewards:SettlementKey.</summary>
    public static string SettlementKeyHex => AnvilAccounts.SettlementKey.GetPrivateKey();

    public static string StudioKeyHex => AnvilAccounts.StudioSigner.GetPrivateKey();

    public static string SponsorKeyHex => AnvilAccounts.SponsorSigner.GetPrivateKey();

    /// <summary>The chain's RPC URL and the path of the deployment manifest of our contracts on it. A node it starts is added to <paramref name="started"/>.</summary>
    public static async Task<(Uri RpcUrl, string ManifestPath)> StartAsync(LocalSettings settings, StartedParts started, CancellationToken cancellationToken)
    {
        if (settings.ChainRpcUrl is { } configured)
        {
            if (settings.ChainManifestPath is null)
            {
                throw new LocalSetupException("Chain:ManifestPath", "not set: with Chain__RpcUrl, also give the deployment manifest of the contracts on that chain");
            }
            if (!Uri.TryCreate(configured, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new LocalSetupException("Chain:RpcUrl", $"'{configured}' is not an absolute http:// or https:// URL");
            }
            try
            {
                var chainId = (await ChainRpc.Connect(url).Eth.ChainId.SendRequestAsync().WaitAsync(cancellationToken)).Value;
                Console.WriteLine($"Chain: using Chain__RpcUrl {url} (chain id {chainId}) and the manifest {settings.ChainManifestPath}.");
            }
            catch (Exception ex) when (ChainRpc.IsRpcFailure(ex))
            {
                throw new LocalSetupException("Chain:RpcUrl", ChainRpc.Describe(url, ex));
            }
            return (url, settings.ChainManifestPath);
        }

        string binary;
        try
        {
            binary = LocalAnvilNode.FindBinary(RepositoryPaths.Contracts);
        }
        catch (FileNotFoundException ex)
        {
            throw new LocalSetupException("Chain:RpcUrl", $"not set, and {ex.Message}");
        }
        var port = FreePort.OrFree(settings.AnvilPort, "127.0.0.1", "Local:AnvilPort", fallBackToFree: true);
        var chainDirectory = Path.Combine(settings.DataDirectory, "chain");
        Console.WriteLine($"Chain: starting anvil on 127.0.0.1:{port} (state in {chainDirectory})…");
        var node = await LocalAnvilNode.StartAsync(new LocalAnvilOptions
        {
            BinaryPath = binary,
            Port = port,
            StateFile = Path.Combine(chainDirectory, "state.json"),
            LogFile = Path.Combine(settings.DataDirectory, "logs", "anvil.log"),
            OwnSession = true,
        }, cancellationToken);
        started.Add("anvil", node);
        return (node.RpcUrl, await EnsureDeployedAsync(node.RpcUrl, Path.Combine(chainDirectory, "deployment.json"), cancellationToken));
    }

    /// <summary>
    /// The ERC-4337 bundler the portal sends sponsored mints to: Chain:BundlerUrl when set, else Alto started next to the
    /// local anvil (handleOps from dev account 5). Null with another chain and no bundler: minting is then off.
    /// </summary>
    public static async Task<Uri?> StartBundlerAsync(LocalSettings settings, Uri rpcUrl, StartedParts started, CancellationToken cancellationToken)
    {
        if (settings.ChainBundlerUrl is { } configured)
        {
            if (!Uri.TryCreate(configured, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new LocalSetupException("Chain:BundlerUrl", $"'{configured}' is not an absolute http:// or https:// URL");
            }
            Console.WriteLine($"Bundler: using Chain__BundlerUrl {url}.");
            return url;
        }
        if (settings.ChainRpcUrl is not null)
        {
            Console.WriteLine("Bundler: none (Chain__BundlerUrl is not set), so minting is off.");
            return null;
        }
        string script;
        try
        {
            script = LocalAltoBundler.FindScript(RepositoryPaths.Bundler);
        }
        catch (FileNotFoundException ex)
        {
            throw new LocalSetupException("Chain:BundlerUrl", $"not set, and {ex.Message}");
        }
        var port = FreePort.OrFree(settings.BundlerPort, "127.0.0.1", "Local:BundlerPort", fallBackToFree: true);
        Console.WriteLine($"Bundler: starting Alto on 127.0.0.1:{port}…");
        // Alto's utility account deploys its simulation contracts once at its start; a fresh key, funded here, keeps
        // it off every account the portal and the tests use.
        var utility = EthECKey.GenerateKey();
        await ChainRpc.Connect(rpcUrl).Client.SendRequestAsync<object>("anvil_setBalance", null, utility.GetPublicAddress(), "0x56bc75e2d63100000").WaitAsync(cancellationToken);
        var alto = await LocalAltoBundler.StartAsync(new LocalAltoOptions
        {
            ScriptPath = script,
            RpcUrl = rpcUrl,
            Port = port,
            ExecutorPrivateKey = AnvilAccounts.Bundler.GetPrivateKey(),
            UtilityPrivateKey = utility.GetPrivateKey(),
            LogFile = Path.Combine(settings.DataDirectory, "logs", "alto.log"),
            OwnSession = true,
        }, cancellationToken);
        started.Add("alto", alto);
        return alto.Url;
    }

    /// <summary>Reuses the local chain's contracts when the manifest matches it; deploys them on a new chain.</summary>
    private static async Task<string> EnsureDeployedAsync(Uri rpcUrl, string manifestPath, CancellationToken cancellationToken)
    {
        var rpc = ChainRpc.Connect(rpcUrl, TimeSpan.FromSeconds(30));
        if (File.Exists(manifestPath))
        {
            try
            {
                await ContractDeployer.VerifyAsync(rpc, rpcUrl, await DeploymentManifest.LoadAsync(manifestPath, cancellationToken), cancellationToken);
                Console.WriteLine($"Chain: the contracts are deployed (manifest {manifestPath}).");
                return manifestPath;
            }
            catch (Exception ex) when (ex is DeploymentMismatchException or InvalidDataException)
            {
                Console.WriteLine($"Chain: {manifestPath} does not match this chain ({ex.Message}); deploying again.");
            }
        }
        var manifest = await ContractDeployer.DeployAsync(rpc, new DeploymentOptions
        {
            Owner = AnvilAccounts.Owner,
            SettlementKey = AnvilAccounts.SettlementKey.GetPublicAddress(),
            StudioSigner = AnvilAccounts.StudioSigner.GetPublicAddress(),
            SponsorSigner = AnvilAccounts.SponsorSigner.GetPublicAddress(),
        }, cancellationToken);
        await manifest.SaveAsync(manifestPath, cancellationToken);
        Console.WriteLine($"Chain: deployed the contracts at block {manifest.StartBlock} (manifest {manifestPath}).");
        return manifestPath;
    }
}
