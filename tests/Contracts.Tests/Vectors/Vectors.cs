using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Nethereum.ABI;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;

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

    public static byte[] Bytes(this JsonNode? node) => node.Text().HexToByteArray();

    public static BigInteger Number(this JsonNode? node)
        => node is JsonValue value && value.TryGetValue<long>(out var number)
            ? number
            : BigInteger.Parse(node.Text(), CultureInfo.InvariantCulture);
}

/// <summary>
/// Converts the vectors' JSON form of ABI values (decimal strings, hex, checksummed addresses) to the untyped values
/// Nethereum encodes (object[] for a tuple, lists for arrays) and back from what it decodes.
/// </summary>
public static class AbiJson
{
    /// <summary>Parameters from canonical types such as "(address,uint256)[]", read as a JSON ABI's inputs.</summary>
    public static Parameter[] Parameters(IEnumerable<string> types)
    {
        var function = new JsonObject
        {
            ["type"] = "function",
            ["name"] = "f",
            ["stateMutability"] = "pure",
            ["inputs"] = new JsonArray([.. types.Select(JsonParameter)]),
            ["outputs"] = new JsonArray(),
        };
        return new ABIJsonDeserialiser().DeserialiseContract(new JsonArray(function).ToJsonString()).Functions[0].InputParameters;
    }

    // "(uint256,(bool,address)[])[2]" → {"type":"tuple[2]","components":[{"type":"uint256"},{"type":"tuple[]","components":[…]}]}
    private static JsonObject JsonParameter(string type)
    {
        if (!type.StartsWith('('))
        {
            return new JsonObject { ["name"] = "", ["type"] = type };
        }
        var depth = 0;
        var close = 0;
        for (var i = 0; i < type.Length; i++)
        {
            depth += type[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                close = i;
                break;
            }
        }
        var components = new List<string>();
        var start = 1;
        depth = 0;
        for (var i = 1; i < close; i++)
        {
            depth += type[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (type[i] == ',' && depth == 0)
            {
                components.Add(type[start..i]);
                start = i + 1;
            }
        }
        components.Add(type[start..close]);
        return new JsonObject
        {
            ["name"] = "",
            ["type"] = "tuple" + type[(close + 1)..],
            ["components"] = new JsonArray([.. components.Select(JsonParameter)]),
        };
    }

    public static object? ToValue(ABIType type, JsonNode? node) => type switch
    {
        AddressType => node.Text(),
        BoolType => node!.GetValue<bool>(),
        IntType => node.Number(),
        StringType => node.Text(),
        ArrayType array => ((JsonArray)node!).Select(n => ToValue(array.ElementType, n)).ToList(),
        TupleType tuple => ((JsonArray)node!).Select((n, i) => ToValue(tuple.Components[i].ABIType, n)).ToArray(),
        _ => node.Bytes(),
    };

    public static object?[] ToValues(Parameter[] parameters, JsonArray values)
        => [.. values.Select((v, i) => ToValue(parameters[i].ABIType, v))];

    public static JsonNode? ToJson(ABIType type, object? value) => type switch
    {
        AddressType => ((string)value!).ToLowerInvariant(),
        BoolType => (bool)value!,
        IntType => ((BigInteger)value!).ToString(CultureInfo.InvariantCulture),
        StringType => (string)value!,
        ArrayType array => new JsonArray([.. ((System.Collections.IEnumerable)value!).Cast<object?>().Select(v => ToJson(array.ElementType, v))]),
        TupleType tuple => new JsonArray([.. Components(value).Select((v, i) => ToJson(tuple.Components[i].ABIType, v))]),
        _ => ((byte[])value!).ToHex(true),
    };

    /// <summary>The vectors' JSON in the form <see cref="ToJson"/> writes (lowercase addresses and hex).</summary>
    public static JsonNode? Normalize(ABIType type, JsonNode? node) => ToJson(type, ToValue(type, node));

    public static void AssertEqual(ABIType type, JsonNode? expected, object? actual)
    {
        var normalized = Normalize(type, expected);
        var actualJson = ToJson(type, actual);
        Assert.True(JsonNode.DeepEquals(normalized, actualJson), $"{type.Name}: expected {normalized?.ToJsonString()}, got {actualJson?.ToJsonString()}");
    }

    /// <summary>Decoded outputs in order, as <see cref="AssertEqual"/> takes them.</summary>
    public static object?[] Results(IEnumerable<ParameterOutput> outputs) => [.. outputs.OrderBy(o => o.Parameter.Order).Select(o => o.Result)];

    // Nethereum decodes a tuple as its components' outputs; the encoder takes them as an object[].
    private static object?[] Components(object? value) => value switch
    {
        IEnumerable<ParameterOutput> outputs => Results(outputs),
        object?[] values => values,
        _ => throw new InvalidOperationException($"A tuple value cannot be a {value?.GetType().Name}."),
    };
}
