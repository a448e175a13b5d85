using System.ComponentModel.DataAnnotations;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.Rpc;
using Heurist.Portal.Server.Features.ChainIndexing;
using Heurist.ServiceDefaults;
using Microsoft.Extensions.Options;
using Nethereum.Web3;

namespace Heurist.Portal.Server.Infrastructure.Chain;

/// <summary>The chain the portal reads and writes, and where our contracts are on it (section "Chain").</summary>
public sealed class ChainOptions
{
    public const string Section = "Chain";

    public const string RpcUrlSetting = "Chain:RpcUrl";

    public const string ManifestPathSetting = "Chain:ManifestPath";

    public const string BundlerUrlSetting = "Chain:BundlerUrl";

    /// <summary>JSON-RPC endpoint of an EVM node.</summary>
    [Required(ErrorMessage = "Chain:RpcUrl is not set: give the JSON-RPC URL of an EVM node (for example http://127.0.0.1:8545).")]
    public Uri? RpcUrl { get; set; }

    /// <summary>The deployment manifest the deployer wrote: chain id, contract addresses and start block.</summary>
    [Required(ErrorMessage = "Chain:ManifestPath is not set: give the path of the deployment manifest (./run.sh writes .data/chain/deployment.json).")]
    public string? ManifestPath { get; set; }

    /// <summary>The JSON-RPC URL browsers read the chain through; the same as <see cref="RpcUrl"/> unless set.</summary>
    public Uri? PublicRpcUrl { get; set; }

    /// <summary>
    /// An ERC-4337 bundler's JSON-RPC endpoint (eth_sendUserOperation…) for the EntryPoint of the manifest; gasless
    /// minting is off without one. ./run.sh starts Alto and sets it.
    /// </summary>
    public Uri? BundlerUrl { get; set; }

    /// <summary>A block explorer's base URL (transactions at {ExplorerUrl}/tx/{hash}); none on anvil.</summary>
    public Uri? ExplorerUrl { get; set; }

    /// <summary>The chain's name as wallets show it; "Anvil" for chain 31337 unless set.</summary>
    [StringLength(64, ErrorMessage = "Chain:Name must be at most 64 characters.")]
    public string? Name { get; set; }

    /// <summary>Blocks the indexer stays behind the head, so that a reorganization cannot undo what it wrote. 0 on anvil.</summary>
    [Range(0, 1000, ErrorMessage = "Chain:Confirmations must be between 0 and 1000.")]
    public int Confirmations { get; set; }

    /// <summary>Most blocks read by one eth_getLogs call.</summary>
    [Range(1, 100_000, ErrorMessage = "Chain:IndexerBatchBlocks must be between 1 and 100000.")]
    public int IndexerBatchBlocks { get; set; } = 2_000;

    /// <summary>How long the indexer waits for new blocks once it has caught up.</summary>
    [Range(50, 60_000, ErrorMessage = "Chain:IndexerPollMilliseconds must be between 50 and 60000.")]
    public int IndexerPollMilliseconds { get; set; } = 1_000;
}

public static class ChainSetup
{
    public static IServiceCollection AddChain(this IServiceCollection services)
    {
        services.AddOptions<ChainOptions>()
            .BindConfiguration(ChainOptions.Section)
            .ValidateDataAnnotations()
            .Validate(
                options => options.RpcUrl is null || (options.RpcUrl.IsAbsoluteUri && options.RpcUrl.Scheme is "http" or "https"),
                "Chain:RpcUrl must be an absolute http:// or https:// URL.")
            .Validate(
                options => options.PublicRpcUrl is null || (options.PublicRpcUrl.IsAbsoluteUri && options.PublicRpcUrl.Scheme is "http" or "https"),
                "Chain:PublicRpcUrl must be an absolute http:// or https:// URL.")
            .Validate(
                options => options.BundlerUrl is null || (options.BundlerUrl.IsAbsoluteUri && options.BundlerUrl.Scheme is "http" or "https"),
                "Chain:BundlerUrl must be an absolute http:// or https:// URL.")
            .ValidateOnStart();

        // One long-lived client without the default retry handler: callers of the chain decide how to retry
        // (the indexer resumes from its cursor), and a start-up check must fail fast on an unreachable node.
        services.AddSingleton<IWeb3>(provider => ChainRpc.Connect(provider.GetRequiredService<IOptions<ChainOptions>>().Value.RpcUrl!));
        services.AddSingleton(provider =>
            DeploymentManifest.FromJson(File.ReadAllText(provider.GetRequiredService<IOptions<ChainOptions>>().Value.ManifestPath!)));

        services.AddStartupCheck(ChainOptions.RpcUrlSetting, async (provider, cancellationToken) =>
        {
            try
            {
                await provider.GetRequiredService<IWeb3>().Eth.ChainId.SendRequestAsync().WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (ChainRpc.IsRpcFailure(ex))
            {
                throw new InvalidOperationException(ChainRpc.Describe(RpcUrl(provider), ex), ex);
            }
        });
        services.AddStartupCheck(ChainOptions.ManifestPathSetting, async (provider, cancellationToken) =>
        {
            var path = provider.GetRequiredService<IOptions<ChainOptions>>().Value.ManifestPath!;
            var manifest = await DeploymentManifest.LoadAsync(path, cancellationToken);
            try
            {
                await ContractDeployer.VerifyAsync(provider.GetRequiredService<IWeb3>(), RpcUrl(provider), manifest, cancellationToken);
            }
            catch (DeploymentMismatchException mismatch)
            {
                throw new InvalidOperationException($"{path}: {mismatch.Message}", mismatch);
            }
        });

        services.AddSingleton<ChainIndexerTelemetry>();
        services.AddSingleton<ChainIndexer>();
        services.AddHostedService<ChainIndexerService>();
        return services;
    }

    private static Uri RpcUrl(IServiceProvider provider) => provider.GetRequiredService<IOptions<ChainOptions>>().Value.RpcUrl!;
}
