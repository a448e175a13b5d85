using System.Collections.Concurrent;
using System.Text.Json;
using Heurist.Contracts.Abi;

namespace Heurist.Contracts.Bindings;

/// <summary>A compiled contract: its ABI and creation bytecode, from Contracts/artifacts.</summary>
public sealed record ContractArtifact(string Name, ContractAbi Abi, byte[] Bytecode);

/// <summary>The compiled contracts, embedded in this assembly from Contracts/artifacts at build time.</summary>
public static class ContractArtifacts
{
    private static readonly ConcurrentDictionary<string, ContractArtifact> Loaded = new(StringComparer.Ordinal);

    /// <summary>Every embedded artifact's name.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. typeof(ContractArtifacts).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^".json".Length])
            .Order(StringComparer.Ordinal)];

    private const string ResourcePrefix = "Heurist.Contracts.Artifacts.";

    public static ContractArtifact Get(string name) => Loaded.GetOrAdd(name, Load);

    /// <summary>
    /// Names a revert by the first of our contracts whose ABI knows its selector (a revert can come from a contract
    /// called by the one that was called), else by the built-in Error(string) and Panic(uint256).
    /// </summary>
    public static DecodedError DecodeError(byte[] revertData, ContractAbi? first = null)
    {
        ArgumentNullException.ThrowIfNull(revertData);
        foreach (var abi in new[] { first }.Concat(Names.Select(n => Get(n).Abi)))
        {
            if (abi?.DecodeError(revertData) is { IsKnown: true } known)
            {
                return known;
            }
        }
        return ContractAbi.DecodeBuiltInError(revertData);
    }

    private static ContractArtifact Load(string name)
    {
        using var stream = typeof(ContractArtifacts).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".json")
            ?? throw new KeyNotFoundException($"No compiled contract named {name}; the artifacts are: {string.Join(", ", Names)}.");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        return new ContractArtifact(
            name,
            ContractAbi.Parse(root.GetProperty("abi").GetRawText()),
            Hex.Decode(root.GetProperty("bytecode").GetString()!));
    }
}
