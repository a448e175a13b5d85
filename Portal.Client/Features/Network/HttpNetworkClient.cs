using System.Net;
using System.Net.Http.Json;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Network;

namespace Heurist.Portal.Client.Features.Network;

/// <summary><see cref="INetworkClient"/> over the portal's REST API, for WebAssembly.</summary>
public sealed class HttpNetworkClient(HttpClient http) : INetworkClient
{
    public async Task<IReadOnlyList<OnlineWorker>> GetOnlineWorkersAsync(CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync<List<OnlineWorker>>("api/network/workers", cancellationToken) ?? [];

    public async Task<IReadOnlyList<QueueStatus>> GetQueuesAsync(CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync<List<QueueStatus>>("api/network/queues", cancellationToken) ?? [];

    public async Task<ProbeStatus> StartProbeAsync(StartProbeRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/network/probes", request, cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<ProbeStatus>(cancellationToken)
            ?? throw new ApiException((int)response.StatusCode, "The portal answered with an empty probe.");
    }

    public async Task<ProbeStatus?> GetProbeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri($"api/network/probes/{id}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<ProbeStatus>(cancellationToken);
    }
}
