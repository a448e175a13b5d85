using Heurist.Protocol.Api.Studio;

namespace Heurist.Protocol.Api.Minting;

/// <summary>
/// Gasless minting for the signed-in creator. The server implements it directly; WebAssembly over /api/mint.
/// Refusals are <see cref="ApiException"/>s: 401 when signed out, 403 for someone else's image, 404 for an unknown
/// one, 409 when it is minted already (the title names the token), 429 when a quota is spent (the title says which
/// and when it resets), 502/503 when the bundler refuses or cannot be reached (the title gives its reason).
/// </summary>
public interface IMintingClient
{
    /// <summary>Checks the image and the quotas, and builds the sponsored operation for the wallet to sign.</summary>
    Task<MintPreparation> PrepareAsync(string imageSha256, CancellationToken cancellationToken = default);

    /// <summary>Sends the signed operation to the bundler, or re-issues it once when it ran out of time first.</summary>
    Task<MintSubmitted> SubmitAsync(MintSubmission submission, CancellationToken cancellationToken = default);

    /// <summary>Where a sent mint is; null for an operation the portal did not send.</summary>
    Task<MintStatus?> GetStatusAsync(string userOpHash, CancellationToken cancellationToken = default);
}

/// <summary>Imaginaries NFTs as the portal indexes them. The server implements it directly; WebAssembly over /api/nft.</summary>
public interface INftClient
{
    /// <summary>The NFT of a token id (decimal or 0x-hex); null when there is none.</summary>
    Task<NftView?> GetAsync(string tokenId, CancellationToken cancellationToken = default);

    /// <summary>A wallet's NFTs, newest first, and its unminted finished images when the wallet is the signed-in account.</summary>
    Task<WalletGallery> GetGalleryAsync(string address, CancellationToken cancellationToken = default);

    /// <summary>The paymaster's deposit and sponsored mints per day (operators only: 403 otherwise).</summary>
    Task<PaymasterStatus> GetPaymasterStatusAsync(CancellationToken cancellationToken = default);
}

/// <summary>The routes of the minting and NFT API, shared by the server and the WebAssembly clients.</summary>
public static class MintingRoutes
{
    public static string Prepare(string imageSha256) => $"api/mint/{imageSha256}/prepare";

    public const string Submit = "api/mint/submit";

    public static string Status(string userOpHash) => $"api/mint/operations/{userOpHash}";

    public static string Nft(string tokenId) => $"api/nft/{tokenId}";

    public static string Metadata(string tokenId) => $"api/nft/{tokenId}/metadata";

    public static string Gallery(string address) => $"api/galleries/{address}";

    public const string Paymaster = "api/operators/paymaster";
}

/// <summary>Which images a creator may mint.</summary>
public static class MintRules
{
    /// <summary>Whether the creator may mint a job's image: succeeded, with an image, and not minted.</summary>
    public static bool IsMintable(ImageJobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.State == Jobs.ImageJobState.Succeeded && job.ImageSha256 is not null && job.MintedTokenId is null;
    }
}
