using System.Globalization;
using System.Text.Json.Serialization;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Heurist.Contracts.Rewards;

/// <summary>One leaf of <see cref="RewardTreeDocument"/>: its values as decimal strings and a lowercase address, and where it sits in the tree.</summary>
public sealed record RewardTreeValue(
    [property: JsonPropertyName("value")] IReadOnlyList<string> Value,
    [property: JsonPropertyName("treeIndex")] int TreeIndex);

/// <summary>
/// An epoch's whole reward tree in the format of OpenZeppelin's <c>StandardMerkleTree.dump()</c> ("standard-v1"), so
/// anyone can load it with <c>StandardMerkleTree.load</c> and recompute the root that was posted on chain, or take
/// their proof from it. Published by <c>GET /api/rewards/epochs/{epoch}</c>.
/// </summary>
public sealed record RewardTreeDocument(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("leafEncoding")] IReadOnlyList<string> LeafEncoding,
    [property: JsonPropertyName("tree")] IReadOnlyList<string> Tree,
    [property: JsonPropertyName("values")] IReadOnlyList<RewardTreeValue> Values)
{
    public const string StandardFormat = "standard-v1";

    /// <summary>The ABI types of a leaf, in the order RewardsDistributor.claim hashes them.</summary>
    public static readonly IReadOnlyList<string> RewardLeafEncoding = ["uint256", "address", "uint256", "uint256"];

    /// <summary>The document of <paramref name="leaves"/> (at least one), values in the order given.</summary>
    public static RewardTreeDocument From(IReadOnlyList<RewardLeaf> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        var tree = MerkleTree.Build(leaves);
        return new RewardTreeDocument(
            StandardFormat,
            RewardLeafEncoding,
            [.. tree.Nodes.Select(node => node.ToHex(true))],
            [.. leaves.Select((leaf, i) => new RewardTreeValue(
                [
                    leaf.Epoch.ToString(CultureInfo.InvariantCulture),
                    leaf.Account.ToLowerInvariant(),
                    leaf.Heu.ToString(CultureInfo.InvariantCulture),
                    leaf.EsHeu.ToString(CultureInfo.InvariantCulture),
                ],
                tree.TreeIndexOf(i)))]);
    }

    /// <summary>The root, 0x-hex: the first node.</summary>
    [JsonIgnore]
    public string Root => Tree[0];
}
