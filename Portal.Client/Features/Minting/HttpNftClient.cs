using System.Net;
using System.Net.Http.Json;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Minting;

namespace Heurist.Portal.Client.Features.Minting;

/// <summary><see cref="INftClient"/> over the portal's JSON API (/api/nft, /api/galleries, the paymaster's status), for WebAssembly.</summary>
public sealed class HttpNftClient(HttpClient http) : INftClient
{
    public async Task<NftView?> GetAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        using var response = await http.GetAsync(new Uri(MintingRoutes.Nft(Uri.EscapeDataString(tokenId)), UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<NftView>(cancellationToken);
    }

    public async Task<WalletGallery> GetGalleryAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        using var response = await http.GetAsync(new Uri(MintingRoutes.Gallery(Uri.EscapeDataString(address)), UriKind.Relative), cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<WalletGallery>(cancellationToken)
            ?? throw new ApiException((int)response.StatusCode, "The portal answered with an empty gallery.");
    }

    public async Task<PaymasterStatus> GetPaymasterStatusAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri(MintingRoutes.Paymaster, UriKind.Relative), cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<PaymasterStatus>(cancellationToken)
            ?? throw new ApiException((int)response.StatusCode, "The portal answered with an empty paymaster status.");
    }
}
