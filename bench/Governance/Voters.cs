using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Heurist.Contracts.Bindings.HeuristToken;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.LocalChain;
using Heurist.Protocol.Governance;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;

namespace Heurist.Bench.Governance;

/// <summary>Holders with HEU on the chain, and the signed Snapshot messages they send, made before any clock starts.</summary>
internal static class Voters
{
    /// <summary>
    /// Sends HEU from the treasury to each address: signed raw transfers, posted as JSON-RPC batches with anvil's
    /// automine off, then mined in full blocks until the last one has its receipt. One block per transfer (automine)
    /// slows down as the pool grows: 10,000 transfers took more than 15 minutes that way.
    /// </summary>
    public static async Task FundAsync(GovernanceStack stack, IReadOnlyList<string> addresses, BigInteger amount, CancellationToken cancellationToken)
    {
        var owner = AnvilAccounts.Owner;
        var nonce = (await stack.Rpc.Eth.Transactions.GetTransactionCount.SendRequestAsync(owner.GetPublicAddress(), Nethereum.RPC.Eth.DTOs.BlockParameter.CreatePending())).Value;
        var gasPrice = (await stack.Rpc.Eth.GasPrice.SendRequestAsync()).Value * 2;
        var signer = new LegacyTransactionSigner();
        var raw = addresses.Select((address, i) =>
        {
            var data = new TransferFunction { To = address, Value = amount }.GetCallData().ToHex(true);
            return "0x" + signer.SignTransaction(owner.GetPrivateKey(), new BigInteger(stack.Manifest.ChainId), stack.Manifest.Contracts.HeuristToken,
                BigInteger.Zero, nonce + i, gasPrice, 100_000, data);
        }).ToList();

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        await RpcAsync(http, stack.RpcUrl, "evm_setAutomine", new JsonArray(false), cancellationToken);
        string? last = null;
        foreach (var chunk in raw.Chunk(500))
        {
            var batch = new JsonArray([.. chunk.Select((tx, i) => (JsonNode)new JsonObject
            {
                ["jsonrpc"] = "2.0", ["id"] = i, ["method"] = "eth_sendRawTransaction", ["params"] = new JsonArray(tx),
            })]);
            using var response = await http.PostAsync(stack.RpcUrl, new StringContent(batch.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
            using var answers = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            foreach (var answer in answers.RootElement.EnumerateArray())
            {
                if (answer.TryGetProperty("error", out var error))
                {
                    throw new InvalidOperationException($"A funding transfer was refused: {error}");
                }
                last = answer.GetProperty("result").GetString();
            }
        }
        try
        {
            while (await stack.Rpc.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(last) is null)
            {
                await RpcAsync(http, stack.RpcUrl, "evm_mine", [], cancellationToken);
            }
        }
        finally
        {
            await RpcAsync(http, stack.RpcUrl, "evm_setAutomine", new JsonArray(true), CancellationToken.None);
        }
    }

    private static async Task RpcAsync(HttpClient http, Uri rpc, string method, JsonArray parameters, CancellationToken cancellationToken)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = parameters };
        using var response = await http.PostAsync(rpc, new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        if (answer.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method} failed: {error}");
        }
    }

    /// <summary>The envelope snapshot.js would post for <paramref name="message"/>, signed by <paramref name="key"/>.</summary>
    public static string Sign(EthECKey key, SnapshotMessageKind kind, JsonObject message)
    {
        var hash = TypedDataJson.Hash(SnapshotTypes.TypedData(kind, message));
        return SnapshotTypes.Envelope(key.GetPublicAddress(), Signatures.Sign(key, hash).ToHex(true), kind, message);
    }

    public static JsonObject Proposal(string from, long timestamp, VotingType type, string title, IReadOnlyList<string> choices, long start, long end, long snapshot, string plugins) => new()
    {
        ["from"] = from,
        ["space"] = GovernanceStack.Space,
        ["timestamp"] = timestamp,
        ["type"] = type.ToWire(),
        ["title"] = title,
        ["body"] = "A proposal of the governance benchmark.",
        ["discussion"] = "",
        ["choices"] = new JsonArray([.. choices.Select(c => (JsonNode)c)]),
        ["labels"] = new JsonArray(),
        ["start"] = start,
        ["end"] = end,
        ["snapshot"] = snapshot,
        ["plugins"] = plugins,
        ["privacy"] = "",
        ["app"] = "heurist-bench",
    };

    /// <summary>A vote message; <paramref name="choice"/> is a number, an array, or (weighted) the JSON string of weights.</summary>
    public static JsonObject Vote(string from, long timestamp, string proposal, JsonNode choice) => new()
    {
        ["from"] = from,
        ["space"] = GovernanceStack.Space,
        ["timestamp"] = timestamp,
        ["proposal"] = proposal,
        ["choice"] = choice,
        ["reason"] = "",
        ["app"] = "heurist-bench",
        ["metadata"] = "{}",
    };

    /// <summary>Posts an envelope to /api/msg; returns the id, or throws with the hub's refusal.</summary>
    public static async Task<string> SubmitAsync(HttpClient http, string envelope, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("api/msg", new StringContent(envelope, Encoding.UTF8, "application/json"), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"/api/msg answered {(int)response.StatusCode}: {body}"));
        }
        using var receipt = JsonDocument.Parse(body);
        return receipt.RootElement.GetProperty("id").GetString()!;
    }
}
