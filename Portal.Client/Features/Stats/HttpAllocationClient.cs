using System.Globalization;
using System.Net.Http.Json;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;

namespace Heurist.Portal.Client.Features.Stats;

/// <summary><see cref="IAllocationClient"/> over <see cref="GovernanceRoutes.Allocation"/>, for WebAssembly.</summary>
public sealed class HttpAllocationClient(HttpClient http) : IAllocationClient
{
    public async Task<AllocationStatus> GetAllocationAsync(int hours, CancellationToken cancellationToken = default)
    {
        // The same refusal as the API's, without the round trip.
        if (ModelAllocationHistory.Validate(hours) is { IsValid: false } errors)
        {
            throw ApiException.Invalid(ModelAllocationHistory.InvalidTitle, errors);
        }
        var path = string.Create(CultureInfo.InvariantCulture, $"{GovernanceRoutes.Allocation}?hours={hours}");
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<AllocationStatus>(cancellationToken)
            ?? throw new ApiException((int)response.StatusCode, "The portal answered with an empty allocation.");
    }
}
