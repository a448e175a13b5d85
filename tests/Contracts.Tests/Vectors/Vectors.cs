using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Heurist.Contracts.Abi;
using Heurist.Contracts.Crypto;

namespace Heurist.Contracts.Tests.Vectors;

/// <summary>The vectors that generate-vectors.mjs computed with viem and ethers, copied beside the test assembly.</summary>
public static class Vectors
{
    private static readonly Lazy<JsonObject> Loaded = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "vectors.json")))!);

    public static JsonObject Root => Loaded.Value;

    public static JsonArray Section(string name) => (JsonArray)Root[name]!;

    public static JsonObject Case(string section, int index) => (JsonObject)Section(section)[index]!;

    /// <summary>Theory rows (index, label) for every case of a section, labelled by the case's name when it has one.</summary>
    public static TheoryData<int, string> Indexes(string section)
    {
        var data = new TheoryData<int, string>();
        var cases = Section(section);
        for (var i = 0; i < cases.Count; i++)
        {
            data.Add(i, cases[i]?["name"]?.GetValue<string>() ?? i.ToString(CultureInfo.InvariantCulture));
        }
        return data;
    }

    public static string Text(this JsonNode? node) => node!.GetValue<string>();

    public static byte[] Bytes(this JsonNode? node) => Hex.Decode(node.Text());

    public static BigInteger Number(this JsonNode? node)
        => node is JsonValue value && value.TryGetValue<long>(out var number)
            ? number
            : BigInteger.Parse(node.Text(), CultureInfo.InvariantCulture);
}

/// <summary>Converts the vectors' JSON form of ABI values (decimal strings, hex, checksummed addresses) to and from the library's.</summary>
public static class AbiJson
{
    public static object? ToValue(AbiType type, JsonNode? node) => type.Kind switch
    {
        AbiTypeKind.Address => EthereumAddress.Parse(node.Text()),
        AbiTypeKind.Bool => node!.GetValue<bool>(),
        AbiTypeKind.UInt or AbiTypeKind.Int => node.Number(),
        AbiTypeKind.FixedBytes or AbiTypeKind.Bytes => node.Bytes(),
        AbiTypeKind.String => node.Text(),
        AbiTypeKind.Array => ((JsonArray)node!).Select(n => ToValue(type.ElementType!, n)).ToArray(),
        _ => ((JsonArray)node!).Select((n, i) => ToValue(type.Components[i].Type, n)).ToArray(),
    };

    public static object?[] ToValues(IReadOnlyList<AbiType> types, JsonArray values)
        => values.Select((v, i) => ToValue(types[i], v)).ToArray();

    public static JsonNode? ToJson(AbiType type, object? value) => type.Kind switch
    {
        AbiTypeKind.Address => ((EthereumAddress)value!).ToString(),
        AbiTypeKind.Bool => (bool)value!,
        AbiTypeKind.UInt or AbiTypeKind.Int => ((BigInteger)value!).ToString(CultureInfo.InvariantCulture),
        AbiTypeKind.FixedBytes or AbiTypeKind.Bytes => Hex.Encode((byte[])value!),
        AbiTypeKind.String => (string)value!,
        AbiTypeKind.Array => new JsonArray(((object?[])value!).Select(v => ToJson(type.ElementType!, v)).ToArray()),
        _ => new JsonArray(((object?[])value!).Select((v, i) => ToJson(type.Components[i].Type, v)).ToArray()),
    };

    /// <summary>The vectors' JSON in the form <see cref="ToJson"/> writes (checksummed addresses, lowercase hex).</summary>
    public static JsonNode? Normalize(AbiType type, JsonNode? node) => ToJson(type, ToValue(type, node));

    public static void AssertEqual(AbiType type, JsonNode? expected, object? actual)
    {
        var normalized = Normalize(type, expected);
        var actualJson = ToJson(type, actual);
        Assert.True(JsonNode.DeepEquals(normalized, actualJson), $"{type}: expected {normalized?.ToJsonString()}, got {actualJson?.ToJsonString()}");
    }
}
