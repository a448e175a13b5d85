using Heurist.Contracts.Deployment;
using Heurist.Portal.Data;
using Heurist.Portal.Server.Features.ChainIndexing;
using Heurist.Portal.Server.Infrastructure.Chain;
using Heurist.Protocol.Api.Chain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Chain;

/// <summary>
/// GET /api/chain: the chain and contracts a browser wallet needs, from the deployment manifest. GET
/// /api/chain/indexed: how far the indexer has read, which a page polls after a transaction until its block is in.
/// </summary>
public static class ChainApi
{
    public static IEndpointRouteBuilder MapChainApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/chain", (IChainClient chain, CancellationToken cancellationToken) => chain.GetChainAsync(cancellationToken))
            .WithTags("Chain")
            .WithName("GetChain")
            .WithSummary("The chain id and name, the public JSON-RPC URL, and the addresses of the deployed contracts.");
        app.MapGet("/api/chain/indexed", async (IChainClient chain, HttpContext context, CancellationToken cancellationToken) =>
            {
                context.Response.Headers.CacheControl = "no-store";
                return await chain.GetIndexedAsync(cancellationToken);
            })
            .WithTags("Chain")
            .WithName("GetIndexedBlock")
            .WithSummary("The next block the portal's chain indexer will read: every earlier block is in the portal's tables (null before the indexer's first run).");
        return app;
    }
}

/// <summary>The server's <see cref="IChainClient"/>: the deployment manifest and the chain settings.</summary>
public sealed class ManifestChainClient(DeploymentManifest manifest, IOptions<ChainOptions> options, IDbContextFactory<PortalDbContext> databases) : IChainClient
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
                contracts.SimpleAccountFactory),
            settings.ExplorerUrl?.ToString()));
    }

    public async Task<ChainIndexStatus> GetIndexedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var next = await db.ChainCursors.AsNoTracking()
            .Where(c => c.Name == ChainIndexer.CursorName)
            .Select(c => (long?)c.NextBlock)
            .SingleOrDefaultAsync(cancellationToken);
        return new ChainIndexStatus(next);
    }
}
