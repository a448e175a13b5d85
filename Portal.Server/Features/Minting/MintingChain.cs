using Heurist.Contracts.AccountAbstraction;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Deployment;
using Heurist.Portal.Server.Infrastructure.Chain;
using Microsoft.Extensions.Options;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Heurist.Portal.Server.Features.Minting;

/// <summary>The chain side of minting: the deployment's contracts, the keys, and the bundler when one is set.</summary>
public sealed class MintingChain(IWeb3 web3, DeploymentManifest manifest, IOptions<ChainOptions> chain, IOptions<MintingOptions> options, IHttpClientFactory http)
{
    public const string BundlerHttpClient = "bundler";

    private readonly Lazy<BundlerClient?> _bundler = new(() => chain.Value.BundlerUrl is { } url ? new BundlerClient(http.CreateClient(BundlerHttpClient), url) : null);

    public IWeb3 Web3 => web3;

    public DeploymentManifest Manifest => manifest;

    public SponsoredMint Mint { get; } = SponsoredMint.ForDeployment(web3, manifest);

    public ImaginariesNftContract Nft { get; } = new(web3, manifest.Contracts.ImaginariesNft);

    public EntryPointContract EntryPoint { get; } = new(web3, manifest.Contracts.EntryPoint);

    public SponsorshipPolicy Policy { get; } = new(manifest.Contracts.ImaginariesNft, manifest.Contracts.SimpleAccountFactory);

    public BundlerClient? Bundler => _bundler.Value;

    public MintingOptions Options => options.Value;

    /// <summary>Why the portal cannot mint now, naming the missing setting; null when it can.</summary>
    public string? Unavailable()
        => string.IsNullOrWhiteSpace(Options.StudioKey) ? $"Minting is off on this portal: {MintingOptions.StudioKeySetting} is not set."
            : string.IsNullOrWhiteSpace(Options.SponsorKey) ? $"Minting is off on this portal: {MintingOptions.SponsorKeySetting} is not set."
            : chain.Value.BundlerUrl is null ? $"Minting is off on this portal: {ChainOptions.BundlerUrlSetting} is not set."
            : null;

    /// <summary>The latest block's timestamp: deadlines are checked against it, not the portal's clock.</summary>
    public async Task<DateTimeOffset> NowAsync()
    {
        var block = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest()).ConfigureAwait(false);
        return DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value);
    }
}
