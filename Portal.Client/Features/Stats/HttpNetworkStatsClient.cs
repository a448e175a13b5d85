using System.Net;
using System.Net.Http.Json;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Stats;

namespace Heurist.Portal.Client.Features.Stats;

/// <summary><see cref="INetworkStatsClient"/> over the portal's JSON API, for WebAssembly.</summary>
public sealed class HttpNetworkStatsClient(HttpClient http) : INetworkStatsClient
{
    public async Task<NetworkStats> GetStatsAsync(CancellationToken cancellationToken = default)
        => await ReadAsync<NetworkStats>("api/stats", cancellationToken)
            ?? throw new ApiException((int)HttpStatusCode.NotFound, "The portal has no stats to show.");

    public async Task<LeaderboardPage> GetLeaderboardAsync(LeaderboardQuery query, CancellationToken cancellationToken = default)
    {
        // The same refusal as the API's, without the round trip.
        LeaderboardQueryRules.EnsureValid(query);
        return await ReadAsync<LeaderboardPage>(LeaderboardQueryRules.ToApiPath(query), cancellationToken)
            ?? throw new ApiException((int)HttpStatusCode.NotFound, "The portal has no leaderboard to show.");
    }

    public async Task<MinerDetails?> GetMinerAsync(string minerId, CancellationToken cancellationToken = default)
        => await ReadAsync<MinerDetails>($"api/miners/{Uri.EscapeDataString(minerId)}", cancellationToken);

    private async Task<T?> ReadAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
    }

}
