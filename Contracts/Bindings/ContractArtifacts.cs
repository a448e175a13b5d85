using System.Collections.Concurrent;
using System.Text.Json;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Heurist.Contracts.Bindings;

/// <summary>A compiled contract: its ABI (as JSON and as Nethereum reads it) and its creation bytecode, from Contracts/artifacts.</summary>
public sealed record ContractArtifact(string Name, string AbiJson, ContractABI Abi, string Bytecode);

/// <summary>
/// A revert's custom error: its name and arguments by name, or no name when no ABI knows the data (or the data does not
/// decode exactly, so a short or padded revert is never read as a known error).
/// </summary>
public sealed record DecodedError(string? Name, IReadOnlyDictionary<string, object?> Arguments, byte[] Data)
{
    public bool IsKnown => Name is not null;

    public override string ToString() => IsKnown
        ? $"{Name}({string.Join(", ", Arguments.Select(a => $"{a.Key}: {Describe(a.Value)}"))})"
        : Data.Length == 0 ? "no revert data" : $"unknown error {Data.ToHex(true)}";

    private static string? Describe(object? value) => value switch
    {
        byte[] bytes => bytes.ToHex(true),
        string text => $"\"{text}\"",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The compiled contracts, embedded in this assembly from Contracts/artifacts at build time.</summary>
public static class ContractArtifacts
{
    private const string ResourcePrefix = "Heurist.Contracts.Artifacts.";

    private static readonly ConcurrentDictionary<string, ContractArtifact> Loaded = new(StringComparer.Ordinal);

    // Solidity's own reverts: require(cond, "text") and assert/overflow panics.
    private static readonly ErrorABI[] BuiltInErrors =
    [
        new("Error") { InputParameters = [new Parameter("string", "message", 1)] },
        new("Panic") { InputParameters = [new Parameter("uint256", "code", 1)] },
    ];

    /// <summary>Every embedded artifact's name.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. typeof(ContractArtifacts).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^".json".Length])
            .Order(StringComparer.Ordinal)];

    public static ContractArtifact Get(string name) => Loaded.GetOrAdd(name, Load);

    /// <summary>
    /// Names a revert by the first of our contracts whose ABI knows its selector (a revert can come from a contract
    /// called by the one that was called), else by the built-in Error(string) and Panic(uint256). <paramref name="first"/>
    /// is searched before ours.
    /// </summary>
    public static DecodedError DecodeError(byte[] revertData, ContractABI? first = null)
    {
        ArgumentNullException.ThrowIfNull(revertData);
        if (revertData.Length >= 4)
        {
            var selector = Convert.ToHexStringLower(revertData.AsSpan(0, 4));
            var candidates = (first?.Errors ?? []).Concat(Names.SelectMany(n => Get(n).Abi.Errors ?? [])).Concat(BuiltInErrors);
            foreach (var error in candidates.Where(e => e.Sha3Signature == selector))
            {
                if (TryDecodeExactly(error, revertData) is { } arguments)
                {
                    return new DecodedError(error.Name, arguments, revertData);
                }
            }
        }
        return new DecodedError(null, new Dictionary<string, object?>(), revertData);
    }

    // Nethereum's decoder ignores what follows the arguments and reads past short data as zeros; re-encoding and
    // comparing refuses both.
    private static Dictionary<string, object?>? TryDecodeExactly(ErrorABI error, byte[] revertData)
    {
        try
        {
            var outputs = new FunctionCallDecoder().DecodeError(error, revertData.ToHex(true));
            var values = outputs.OrderBy(o => o.Parameter.Order).Select(o => o.Result).ToArray();
            var encoded = new ParametersEncoder().EncodeParameters(error.InputParameters, values);
            if (!revertData.AsSpan(4).SequenceEqual(encoded))
            {
                return null;
            }
            return outputs.ToDictionary(o => o.Parameter.Name, o => (object?)o.Result, StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static ContractArtifact Load(string name)
    {
        using var stream = typeof(ContractArtifacts).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".json")
            ?? throw new KeyNotFoundException($"No compiled contract named {name}; the artifacts are: {string.Join(", ", Names)}.");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var abiJson = root.GetProperty("abi").GetRawText();
        return new ContractArtifact(name, abiJson, new ABIJsonDeserialiser().DeserialiseContract(abiJson), root.GetProperty("bytecode").GetString()!);
    }
}
