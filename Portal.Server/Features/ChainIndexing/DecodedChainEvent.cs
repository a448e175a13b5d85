using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;

namespace Heurist.Portal.Server.Features.ChainIndexing;

/// <summary>One log of our contracts, decoded by its ABI, with where it happened.</summary>
public sealed record DecodedChainEvent(
    string Contract,
    string Name,
    IReadOnlyDictionary<string, object?> Arguments,
    long BlockNumber,
    int LogIndex,
    string TransactionHash,
    DateTimeOffset BlockTime)
{
    /// <summary>An address argument as lowercase 0x-hex.</summary>
    public string Address(string name) => (Arguments[name]?.ToString() ?? throw Missing(name)).ToLowerInvariant();

    /// <summary>A bytes32 argument as lowercase 0x-hex.</summary>
    public string Bytes32(string name) => Arguments[name] is byte[] bytes ? Hex(bytes) : throw Missing(name);

    public string Text(string name) => Arguments[name] as string ?? throw Missing(name);

    public BigInteger Quantity(string name) => Arguments[name] switch
    {
        BigInteger value => value,
        null => throw Missing(name),
        var other => BigInteger.Parse(other.ToString()!, CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// A token amount in wei. Every HEU and esHEU amount is bounded by the 1e27-wei supply cap, which decimal holds;
    /// anything larger means a decoding error, and fails loudly.
    /// </summary>
    public decimal Wei(string name) => (decimal)Quantity(name);

    /// <summary>An id, epoch or timestamp: a quantity that fits a long.</summary>
    public long SmallQuantity(string name) => (long)Quantity(name);

    /// <summary>The arguments as JSON, for the event history: numbers as decimal strings, bytes as hex.</summary>
    public string ArgumentsJson()
    {
        var json = new JsonObject();
        foreach (var (key, value) in Arguments)
        {
            json[key] = ToJson(value);
        }
        return json.ToJsonString();
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        byte[] bytes => Hex(bytes),
        BigInteger number => number.ToString(CultureInfo.InvariantCulture),
        bool flag => flag,
        string text => text,
        System.Collections.IList items => new JsonArray([.. items.Cast<object?>().Select(ToJson)]),
        _ => value.ToString(),
    };

    public static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);

    private InvalidOperationException Missing(string name)
        => new($"{Contract}.{Name} at block {BlockNumber} log {LogIndex} has no usable argument '{name}'.");
}
