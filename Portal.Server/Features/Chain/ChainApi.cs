using Heurist.Contracts.Deployment;
using Heurist.Portal.Server.Infrastructure.Chain;
using Heurist.Protocol.Api.Chain;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Chain;

/// <summary>GET /api/chain: the chain and contracts a browser wallet needs, from the deployment manifest.</summary>
public static class ChainApi
{
    public static IEndpointRouteBuilder MapChainApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/chain", (IChainClient chain, CancellationToken cancellationToken) => chain.GetChainAsync(cancellationToken))
            .WithTags("Chain")
            .WithName("GetChain")
            .WithSummary("The chain id and name, the public JSON-RPC URL, and the addresses of the deployed contracts.");
        return app;
    }
}

/// <summary>The server's <see cref="IChainClient"/>: the deployment manifest and the chain settings.</summary>
public sealed class ManifestChainClient(DeploymentManifest manifest, IOptions<ChainOptions> options) : IChainClient
{
    /// <summary>anvil's and Hardhat's chain id.</summary>
    public const ulong LocalChainId = 31337;

    public Task<ChainInfo> GetChainAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var contracts = manifest.Contracts;
        return Task.FromResult(new ChainInfo(
            manifest.ChainId,
            settings.Name ?? (manifest.ChainId == LocalChainId ? "Anvil" : $"Chain {manifest.ChainId}"),
            (settings.PublicRpcUrl ?? settings.RpcUrl!).ToString(),
            "ETH",
            new ChainContracts(
                contracts.HeuristToken,
                contracts.EscrowedHeurist,
                contracts.MinerStaking,
                contracts.RewardsDistributor,
                contracts.ImaginariesNft,
                contracts.HeuristPaymaster,
                contracts.EntryPoint,
                contracts.SimpleAccountFactory)));
    }
}
