using System.Net;
using System.Net.Http.Json;
using Heurist.Portal.Client.Shared;

namespace Heurist.Portal.Client.Features.Stats;

/// <summary><see cref="INetworkStatsClient"/> over the portal's JSON API, for WebAssembly.</summary>
public sealed class HttpNetworkStatsClient(HttpClient http) : INetworkStatsClient
{
    public async Task<NetworkStats> GetStatsAsync(CancellationToken cancellationToken = default)
        => await ReadAsync<NetworkStats>("api/stats", cancellationToken)
            ?? throw new HttpRequestException("The portal answered the stats with an empty body.");

    public async Task<LeaderboardPage> GetLeaderboardAsync(LeaderboardQuery query, CancellationToken cancellationToken = default)
    {
        if (LeaderboardQueryRules.Validate(query) is { Count: > 0 } errors)
        {
            throw new ArgumentException(errors.Values.First()[0], errors.Keys.First());
        }
        return await ReadAsync<LeaderboardPage>(LeaderboardQueryRules.ToApiPath(query), cancellationToken)
            ?? throw new HttpRequestException("The portal answered the leaderboard with an empty body.");
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
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(await ProblemDetailsReader.ReadAsync(response, cancellationToken));
        }
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
    }
}
