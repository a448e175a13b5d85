using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Heurist.Contracts.Rpc;

/// <summary>
/// A small JSON-RPC 2.0 client for an Ethereum node. Every failure surfaces as an <see cref="RpcException"/>:
/// <see cref="RpcTransportException"/> when the node cannot be reached, <see cref="JsonRpcErrorException"/> when it refuses the call.
/// </summary>
public sealed partial class EthereumRpcClient
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private long _nextId;

    public EthereumRpcClient(HttpClient http, Uri endpoint)
    {
        _http = http;
        _endpoint = endpoint;
    }

    public Uri Endpoint => _endpoint;

    /// <summary>eth_chainId.</summary>
    public async Task<ulong> GetChainIdAsync(CancellationToken cancellationToken = default)
        => ParseQuantity(await CallAsync("eth_chainId", [], cancellationToken).ConfigureAwait(false));

    /// <summary>eth_blockNumber.</summary>
    public async Task<ulong> GetBlockNumberAsync(CancellationToken cancellationToken = default)
        => ParseQuantity(await CallAsync("eth_blockNumber", [], cancellationToken).ConfigureAwait(false));

    /// <summary>Sends one call and returns its "result" member.</summary>
    public async Task<JsonNode?> CallAsync(string method, JsonArray parameters, CancellationToken cancellationToken = default)
    {
        var results = await BatchAsync([(method, parameters)], cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>
    /// Sends several calls in one HTTP request and returns their results in the order given.
    /// If any call fails, the first failure is thrown.
    /// </summary>
    public async Task<IReadOnlyList<JsonNode?>> BatchAsync(
        IReadOnlyList<(string Method, JsonArray Parameters)> calls, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calls);
        if (calls.Count == 0)
        {
            return [];
        }

        var ids = new long[calls.Count];
        var request = new JsonArray();
        for (var i = 0; i < calls.Count; i++)
        {
            ids[i] = Interlocked.Increment(ref _nextId);
            request.Add(new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = ids[i],
                ["method"] = calls[i].Method,
                ["params"] = calls[i].Parameters.DeepClone(),
            });
        }

        // A single call goes out as a plain object: some nodes handle batches differently.
        JsonNode body = calls.Count == 1 ? request[0]!.DeepClone() : request;
        var responses = await PostAsync(body, cancellationToken).ConfigureAwait(false);

        var byId = new Dictionary<long, JsonObject>();
        foreach (var response in responses)
        {
            if (response is JsonObject obj && obj["id"] is JsonValue idValue && idValue.TryGetValue<long>(out var id))
            {
                byId[id] = obj;
            }
        }

        var results = new JsonNode?[calls.Count];
        for (var i = 0; i < calls.Count; i++)
        {
            if (!byId.TryGetValue(ids[i], out var response))
            {
                throw new RpcTransportException(_endpoint, $"sent no answer for {calls[i].Method}");
            }
            if (response["error"] is JsonObject error)
            {
                throw new JsonRpcErrorException(
                    calls[i].Method,
                    error["code"]?.GetValue<long>() ?? 0,
                    error["message"]?.GetValue<string>() ?? "(no message)",
                    error["data"]?.ToJsonString());
            }
            results[i] = response["result"]?.DeepClone();
        }
        return results;
    }

    private async Task<IReadOnlyList<JsonNode?>> PostAsync(JsonNode body, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsJsonAsync(_endpoint, body, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new RpcTransportException(_endpoint, $"is unreachable ({ex.Message})", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RpcTransportException(_endpoint, "did not answer in time", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new RpcTransportException(_endpoint, $"answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            JsonNode? parsed;
            try
            {
                parsed = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw new RpcTransportException(_endpoint, "answered with something that is not JSON", ex);
            }
            return parsed switch
            {
                JsonArray array => [.. array],
                JsonObject single => [single],
                _ => throw new RpcTransportException(_endpoint, "answered with something that is not JSON-RPC"),
            };
        }
    }

    /// <summary>Parses a JSON-RPC QUANTITY ("0x1a").</summary>
    public static ulong ParseQuantity(JsonNode? node)
    {
        var text = node?.GetValue<string>() ?? throw new FormatException("Expected a hex quantity, got null.");
        if (!text.StartsWith("0x", StringComparison.Ordinal) || text.Length < 3)
        {
            throw new FormatException($"Expected a hex quantity, got '{text}'.");
        }
        return ulong.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }
}
