using System.Net.Http.Json;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Staking;

namespace Heurist.Portal.Client.Features.Staking;

/// <summary><see cref="IStakingClient"/> over the portal's JSON API, for WebAssembly.</summary>
public sealed class HttpStakingClient(HttpClient http) : IStakingClient
{
    public async Task<StakingAccount> GetAccountAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        using var response = await http.GetAsync(new Uri($"api/staking/accounts/{Uri.EscapeDataString(address)}", UriKind.Relative), cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<StakingAccount>(cancellationToken)
            ?? throw new ApiException((int)response.StatusCode, "The portal answered with an empty staking account.");
    }
}
