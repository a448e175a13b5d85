using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Minting;

namespace Heurist.Portal.Server.Features.Minting;

/// <summary>
/// Gasless minting (/api/mint), the NFTs and their ERC-721 metadata (/api/nft, the token URI), wallet galleries, and
/// the paymaster's operator view.
/// </summary>
public static class MintingApi
{
    public static IEndpointRouteBuilder MapMintingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Minting");

        api.MapPost(MintingRoutes.Prepare("{imageSha256}"), (string imageSha256, IMintingClient minting, HttpContext http, CancellationToken cancellationToken) =>
                Answer(http, () => minting.PrepareAsync(imageSha256, cancellationToken)))
            .WithName("PrepareMint")
            .WithSummary("Checks that the signed-in wallet made the image, that it is not minted and that no quota is spent; signs the studio's mint authorization and the paymaster's sponsorship, and answers the user operation's EIP-712 typed data for the wallet to sign.")
            .Produces<MintPreparation>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapPost(MintingRoutes.Submit, (MintSubmission submission, IMintingClient minting, HttpContext http, CancellationToken cancellationToken) =>
                Answer(http, () => minting.SubmitAsync(submission, cancellationToken)))
            .WithName("SubmitMint")
            .WithSummary("Sends the prepared operation with the wallet's signature to the bundler (eth_sendUserOperation) and answers its userOpHash; a preparation that ran out of time is re-issued instead, to be signed once more.")
            .Produces<MintSubmitted>()
            .ProducesProblem(StatusCodes.Status502BadGateway);

        api.MapGet(MintingRoutes.Status("{userOpHash}"), async (string userOpHash, IMintingClient minting, HttpContext http, CancellationToken cancellationToken) =>
                await Answer(http, async () => await minting.GetStatusAsync(userOpHash, cancellationToken)
                    ?? throw new ApiException(StatusCodes.Status404NotFound, $"The portal sent no operation {userOpHash}.")))
            .WithName("GetMintStatus")
            .WithSummary("Where a sent mint is: Pending with the bundler, Included in a block, Indexed by the portal, or Failed with the reason.")
            .Produces<MintStatus>();

        api.MapGet(MintingRoutes.Nft("{tokenId}"), async (string tokenId, INftClient nfts, HttpContext http, CancellationToken cancellationToken) =>
                await Answer(http, async () => await nfts.GetAsync(tokenId, cancellationToken)
                    ?? throw new ApiException(StatusCodes.Status404NotFound, $"There is no NFT #{tokenId}.")))
            .WithName("GetNft")
            .WithSummary("An Imaginaries NFT: its image, owner, mint transaction and metadata with the provenance.")
            .Produces<NftView>();

        api.MapGet(MintingRoutes.Metadata("{tokenId}"), GetMetadataAsync)
            .WithName("GetNftMetadata")
            .WithSummary("The token URI: ERC-721 metadata JSON (name, description, image, attributes, provenance), byte for byte as stored at mint; immutable.");

        api.MapGet(MintingRoutes.Gallery("{address}"), (string address, INftClient nfts, HttpContext http, CancellationToken cancellationToken) =>
                Answer(http, () => nfts.GetGalleryAsync(address, cancellationToken)))
            .WithName("GetWalletGallery")
            .WithSummary("A wallet's NFTs, newest first, and for the signed-in owner the finished images not minted yet.")
            .Produces<WalletGallery>();

        api.MapGet(MintingRoutes.Paymaster, (INftClient nfts, HttpContext http, CancellationToken cancellationToken) =>
                Answer(http, () => nfts.GetPaymasterStatusAsync(cancellationToken)))
            .WithName("GetPaymasterStatus")
            .WithSummary("Operators: the paymaster's EntryPoint deposit, the low-deposit warning, the quotas and the sponsored mints per day.")
            .Produces<PaymasterStatus>();
        return app;
    }

    private static async Task<IResult> GetMetadataAsync(string tokenId, NftService nfts, HttpContext http, CancellationToken cancellationToken)
        => await Answer(http, async () =>
        {
            var (json, sha256) = await nfts.GetMetadataDocumentAsync(tokenId, cancellationToken)
                ?? throw new ApiException(StatusCodes.Status404NotFound, $"There is no NFT #{tokenId}, or the portal holds no metadata for it.");
            var etag = $"\"{sha256}\"";
            http.Response.Headers.ETag = etag;
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return http.Request.Headers.IfNoneMatch.Contains(etag)
                ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
                : TypedResults.Text(json, "application/json");
        });

    private static Task<IResult> Answer<T>(HttpContext http, Func<Task<T>> call)
        => Answer(http, async () => (IResult)TypedResults.Ok(await call()));

    /// <summary>The API's refusals as problem details: 400 with the field errors, others with their title.</summary>
    private static async Task<IResult> Answer(HttpContext http, Func<Task<IResult>> call)
    {
        try
        {
            var result = await call();
            if (!http.Response.Headers.ContainsKey("Cache-Control"))
            {
                http.Response.Headers.CacheControl = "no-store";
            }
            return result;
        }
        catch (ApiException refused) when (refused.Status == StatusCodes.Status400BadRequest)
        {
            return TypedResults.ValidationProblem(refused.Errors.ToDictionary(), title: refused.Title);
        }
        catch (ApiException refused)
        {
            return TypedResults.Problem(statusCode: refused.Status, title: refused.Title);
        }
    }
}
