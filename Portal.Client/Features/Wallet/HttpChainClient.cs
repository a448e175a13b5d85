using System.Net.Http.Json;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Chain;

namespace Heurist.Portal.Client.Features.Wallet;

/// <summary>
/// <see cref="IChainClient"/> for WebAssembly: GET /api/chain, asked once per scope (the deployment does not move
/// under a running page; a failed answer is not kept, so the next caller asks again), and GET /api/chain/indexed each time.
/// </summary>
public sealed class HttpChainClient(HttpClient http) : IChainClient
{
    private const string Route = "/api/chain";

    private const string IndexedRoute = "/api/chain/indexed";

    private Task<ChainInfo>? _chain;

    public Task<ChainInfo> GetChainAsync(CancellationToken cancellationToken = default)
    {
        if (_chain is { IsFaulted: true } or { IsCanceled: true })
        {
            _chain = null;
        }
        // One caller giving up must not cancel the answer the others share.
        var chain = _chain ??= LoadAsync();
        return chain.WaitAsync(cancellationToken);
    }

    public async Task<ChainIndexStatus> GetIndexedAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri(IndexedRoute, UriKind.Relative), cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<ChainIndexStatus>(cancellationToken)
            ?? throw new ApiException((int)response.StatusCode, "The portal answered with an empty indexer status.");
    }

    private async Task<ChainInfo> LoadAsync()
    {
        using var response = await http.GetAsync(new Uri(Route, UriKind.Relative), CancellationToken.None);
        await ApiProblemReader.EnsureSuccessAsync(response, CancellationToken.None);
        return await response.Content.ReadFromJsonAsync<ChainInfo>(CancellationToken.None)
            ?? throw new ApiException((int)response.StatusCode, "The portal answered with an empty chain.");
    }
}
