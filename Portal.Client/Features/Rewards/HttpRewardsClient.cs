using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Rewards;

namespace Heurist.Portal.Client.Features.Rewards;

/// <summary><see cref="IRewardsClient"/> over the portal's JSON API, for WebAssembly.</summary>
public sealed class HttpRewardsClient(HttpClient http) : IRewardsClient
{
    public async Task<IReadOnlyList<RewardEpochSummary>> GetEpochsAsync(int limit = RewardsRules.DefaultEpochs, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri($"api/rewards/epochs?limit={limit.ToString(CultureInfo.InvariantCulture)}", UriKind.Relative), cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<List<RewardEpochSummary>>(cancellationToken) ?? [];
    }

    public async Task<RewardEpochTree?> GetEpochAsync(long epoch, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri(Links.RewardEpochTree(epoch).TrimStart('/'), UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<RewardEpochTree>(cancellationToken);
    }

    public async Task<RewardAccount> GetAccountAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        using var response = await http.GetAsync(new Uri($"api/rewards/accounts/{Uri.EscapeDataString(address)}", UriKind.Relative), cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<RewardAccount>(cancellationToken)
            ?? throw new ApiException((int)response.StatusCode, "The portal answered with an empty rewards account.");
    }
}
