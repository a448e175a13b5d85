using System.Net.Http.Headers;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Heurist.Contracts.Bindings;

namespace Heurist.Contracts.AccountAbstraction;

/// <summary>What a bundler estimates an operation needs (ERC-7769 eth_estimateUserOperationGas).</summary>
public sealed record UserOperationGasEstimate(
    BigInteger PreVerificationGas,
    BigInteger VerificationGasLimit,
    BigInteger CallGasLimit,
    BigInteger? PaymasterVerificationGasLimit,
    BigInteger? PaymasterPostOpGasLimit);

/// <summary>A bundled operation's outcome (eth_getUserOperationReceipt).</summary>
public sealed record UserOperationReceipt(
    string UserOpHash,
    string Sender,
    BigInteger Nonce,
    bool Success,
    string? Reason,
    BigInteger ActualGasCost,
    BigInteger ActualGasUsed,
    string TransactionHash,
    ulong BlockNumber);

/// <summary>The bundler answered with a JSON-RPC error: it refused the operation. <see cref="Code"/> is ERC-7769's (-32500 validation, -32501 paymaster, -32503 time range, …).</summary>
public sealed class BundlerRejectedException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}

/// <summary>The bundler could not be reached, or its answer was not JSON-RPC.</summary>
public sealed class BundlerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// An ERC-4337 bundler over its standard JSON-RPC: the four methods a sponsored mint needs. Works with any bundler
/// that serves EntryPoint v0.7/v0.8 (Alto locally).
/// </summary>
public sealed class BundlerClient(HttpClient http, Uri url)
{
    private long _nextId;

    public Uri Url { get; } = url ?? throw new ArgumentNullException(nameof(url));

    public async Task<IReadOnlyList<string>> SupportedEntryPointsAsync(CancellationToken cancellationToken = default)
    {
        var result = await CallAsync("eth_supportedEntryPoints", [], cancellationToken).ConfigureAwait(false);
        return result is JsonArray entryPoints
            ? [.. entryPoints.Select(e => e?.GetValue<string>() ?? "")]
            : throw new BundlerUnavailableException($"{Url} answered eth_supportedEntryPoints with no list.");
    }

    /// <summary>Gas limits for <paramref name="operation"/>, whose signatures may be dummies of the right shape.</summary>
    public async Task<UserOperationGasEstimate> EstimateUserOperationGasAsync(PackedUserOperation operation, string entryPoint, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync("eth_estimateUserOperationGas", [UserOperationRpc.ToJson(operation), entryPoint], cancellationToken).ConfigureAwait(false);
        try
        {
            return new UserOperationGasEstimate(
                UserOperationRpc.ParseQuantity(result?["preVerificationGas"], "preVerificationGas"),
                UserOperationRpc.ParseQuantity(result?["verificationGasLimit"], "verificationGasLimit"),
                UserOperationRpc.ParseQuantity(result?["callGasLimit"], "callGasLimit"),
                Optional(result?["paymasterVerificationGasLimit"], "paymasterVerificationGasLimit"),
                Optional(result?["paymasterPostOpGasLimit"], "paymasterPostOpGasLimit"));
        }
        catch (FormatException ex)
        {
            throw new BundlerUnavailableException(ex.Message, ex);
        }
    }

    /// <summary>Hands the signed operation to the bundler; returns the userOpHash it computed.</summary>
    public async Task<string> SendUserOperationAsync(PackedUserOperation operation, string entryPoint, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync("eth_sendUserOperation", [UserOperationRpc.ToJson(operation), entryPoint], cancellationToken).ConfigureAwait(false);
        return result?.GetValueKind() == JsonValueKind.String
            ? result.GetValue<string>()
            : throw new BundlerUnavailableException($"{Url} answered eth_sendUserOperation with no userOpHash.");
    }

    /// <summary>The receipt of a bundled operation; null while it is pending or unknown.</summary>
    public async Task<UserOperationReceipt?> GetUserOperationReceiptAsync(string userOpHash, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync("eth_getUserOperationReceipt", [userOpHash], cancellationToken).ConfigureAwait(false);
        if (result is not JsonObject receipt)
        {
            return null;
        }
        try
        {
            var reason = receipt["reason"]?.GetValue<string>();
            return new UserOperationReceipt(
                receipt["userOpHash"]?.GetValue<string>() ?? userOpHash,
                receipt["sender"]?.GetValue<string>() ?? "",
                UserOperationRpc.ParseQuantity(receipt["nonce"], "nonce"),
                receipt["success"]?.GetValueKind() == JsonValueKind.True,
                string.IsNullOrEmpty(reason) || reason == "0x" ? null : reason,
                UserOperationRpc.ParseQuantity(receipt["actualGasCost"], "actualGasCost"),
                UserOperationRpc.ParseQuantity(receipt["actualGasUsed"], "actualGasUsed"),
                receipt["receipt"]?["transactionHash"]?.GetValue<string>() ?? "",
                (ulong)UserOperationRpc.ParseQuantity(receipt["receipt"]?["blockNumber"], "receipt.blockNumber"));
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or OverflowException)
        {
            throw new BundlerUnavailableException($"{Url} answered eth_getUserOperationReceipt with a malformed receipt: {ex.Message}", ex);
        }
    }

    /// <summary>Polls for the receipt until it comes or <paramref name="timeout"/> passes (then <see cref="TimeoutException"/>).</summary>
    public async Task<UserOperationReceipt> WaitForReceiptAsync(string userOpHash, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await GetUserOperationReceiptAsync(userOpHash, cancellationToken).ConfigureAwait(false) is { } receipt)
            {
                return receipt;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The bundler at {Url} gave no receipt for {userOpHash} within {timeout.TotalSeconds:0} s.");
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<JsonNode?> CallAsync(string method, JsonArray parameters, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Interlocked.Increment(ref _nextId),
            ["method"] = method,
            ["params"] = parameters,
        };
        JsonNode? answer;
        try
        {
            // Alto refuses a content type with a charset parameter, which JsonContent adds.
            using var content = new StringContent(request.ToJsonString(), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(Url, content, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                answer = JsonNode.Parse(body);
            }
            catch (JsonException) when (!response.IsSuccessStatusCode)
            {
                throw new BundlerUnavailableException($"{Url} answered {method} with HTTP {(int)response.StatusCode}.");
            }
        }
        catch (HttpRequestException ex)
        {
            throw new BundlerUnavailableException($"{Url} cannot be reached: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BundlerUnavailableException($"{Url} did not answer {method} in time.", ex);
        }
        catch (JsonException ex)
        {
            throw new BundlerUnavailableException($"{Url} answered {method} with something that is not JSON.", ex);
        }

        if (answer?["error"] is JsonObject error)
        {
            var code = error["code"]?.GetValueKind() == JsonValueKind.Number ? error["code"]!.GetValue<int>() : 0;
            throw new BundlerRejectedException(code, error["message"]?.ToString() ?? $"{method} failed with code {code}");
        }
        if (answer is not JsonObject)
        {
            throw new BundlerUnavailableException($"{Url} answered {method} with something that is not JSON-RPC.");
        }
        return answer["result"];
    }

    private static BigInteger? Optional(JsonNode? node, string field) => node is null ? null : UserOperationRpc.ParseQuantity(node, field);
}
