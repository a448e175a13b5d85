using System.Net;
using System.Net.Http.Json;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Provenance;

namespace Heurist.Portal.Client.Features.Provenance;

/// <summary><see cref="IProvenanceClient"/> over the portal's JSON API (verify an image, follow and list its re-runs), for WebAssembly.</summary>
public sealed class HttpProvenanceClient(HttpClient http) : IProvenanceClient
{
    public async Task<VerificationView> RequestVerificationAsync(string imageSha256, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(imageSha256);
        using var response = await http.PostAsync(new Uri(ProvenanceRoutes.Verify(Uri.EscapeDataString(imageSha256)), UriKind.Relative), null, cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<VerificationView>(cancellationToken)
            ?? throw new ApiException((int)response.StatusCode, "The portal answered with an empty verification.");
    }

    public async Task<VerificationView?> GetVerificationAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri(ProvenanceRoutes.Verification(id), UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<VerificationView>(cancellationToken);
    }

    public async Task<IReadOnlyList<VerificationView>> ListVerificationsAsync(string imageSha256, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(imageSha256);
        using var response = await http.GetAsync(new Uri(ProvenanceRoutes.Verifications(Uri.EscapeDataString(imageSha256)), UriKind.Relative), cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<List<VerificationView>>(cancellationToken) ?? [];
    }
}
