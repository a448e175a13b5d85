using System.Net;
using System.Net.Http.Json;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Minting;

namespace Heurist.Portal.Client.Features.Minting;

/// <summary><see cref="IMintingClient"/> over the portal's JSON API (/api/mint), for WebAssembly.</summary>
public sealed class HttpMintingClient(HttpClient http) : IMintingClient
{
    public async Task<MintPreparation> PrepareAsync(string imageSha256, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(imageSha256);
        using var response = await http.PostAsync(new Uri(MintingRoutes.Prepare(Uri.EscapeDataString(imageSha256)), UriKind.Relative), null, cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<MintPreparation>(cancellationToken)
            ?? throw new ApiException((int)response.StatusCode, "The portal answered with an empty mint preparation.");
    }

    public async Task<MintSubmitted> SubmitAsync(MintSubmission submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        using var response = await http.PostAsJsonAsync(new Uri(MintingRoutes.Submit, UriKind.Relative), submission, cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<MintSubmitted>(cancellationToken)
            ?? throw new ApiException((int)response.StatusCode, "The portal answered with an empty submission.");
    }

    public async Task<MintStatus?> GetStatusAsync(string userOpHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userOpHash);
        using var response = await http.GetAsync(new Uri(MintingRoutes.Status(Uri.EscapeDataString(userOpHash)), UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<MintStatus>(cancellationToken);
    }
}
