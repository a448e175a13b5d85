using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Microsoft.AspNetCore.SignalR.Client;

namespace Heurist.Portal.Client.Features.Studio;

/// <summary><see cref="IStudioClient"/> for WebAssembly: the REST API, and the job progress hub for watching.</summary>
public sealed class HttpStudioClient(HttpClient http) : IStudioClient, IAsyncDisposable
{
    private HubConnection? _hub;

    public async Task<IReadOnlyList<StudioModel>> GetModelsAsync(CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync<List<StudioModel>>("api/models", cancellationToken) ?? [];

    public async Task<ImageJobView> SubmitAsync(string creatorId, ImageJobSpec spec, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/jobs") { Content = JsonContent.Create(spec) };
        request.Headers.Add(CreatorIds.Header, creatorId);
        using var response = await http.SendAsync(request, cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<ImageJobView>(cancellationToken)
            ?? throw new ApiException((int)response.StatusCode, "The portal answered with an empty job.");
    }

    public Task<ImageJobView?> GetJobAsync(Guid id, CancellationToken cancellationToken = default)
        => ReadJobAsync(HttpMethod.Get, $"api/jobs/{id}", cancellationToken);

    public Task<ImageJobView?> CancelAsync(Guid id, CancellationToken cancellationToken = default)
        => ReadJobAsync(HttpMethod.Post, $"api/jobs/{id}/cancel", cancellationToken);

    public async Task<IReadOnlyList<ImageJobView>> GetGalleryAsync(string creatorId, int limit, CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync<List<ImageJobView>>($"api/jobs?creatorId={Uri.EscapeDataString(creatorId)}&limit={limit}", cancellationToken) ?? [];

    public async IAsyncEnumerable<ImageJobView> WatchAsync(Guid id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var hub = await ConnectAsync(cancellationToken);
        await foreach (var view in hub.StreamAsync<ImageJobView>("Watch", id, cancellationToken))
        {
            yield return view;
        }
    }

    private async Task<HubConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        _hub ??= new HubConnectionBuilder()
            .WithUrl(new Uri(http.BaseAddress!, "hubs/jobs"))
            .WithAutomaticReconnect()
            .Build();
        if (_hub.State == HubConnectionState.Disconnected)
        {
            await _hub.StartAsync(cancellationToken);
        }
        return _hub;
    }

    private async Task<ImageJobView?> ReadJobAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(method, path), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<ImageJobView>(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }
    }
}
