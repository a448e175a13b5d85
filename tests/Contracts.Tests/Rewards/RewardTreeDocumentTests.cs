using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Heurist.Contracts.Rewards;

namespace Heurist.Contracts.Tests.Rewards;

/// <summary>The published reward tree against OpenZeppelin's @openzeppelin/merkle-tree (vectors.json, section rewardTrees).</summary>
public sealed class RewardTreeDocumentTests
{
    public static TheoryData<int, string> Cases => Vectors.Vectors.Indexes("rewardTrees");

    private static RewardLeaf[] Leaves(JsonObject vector)
        => [.. vector["values"]!.AsArray().Select(v => v!.AsArray()).Select(v => new RewardLeaf(
            BigInteger.Parse(v[0].Text(), CultureInfo.InvariantCulture), v[1].Text(),
            BigInteger.Parse(v[2].Text(), CultureInfo.InvariantCulture), BigInteger.Parse(v[3].Text(), CultureInfo.InvariantCulture)))];

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_document_is_the_dump_OpenZeppelin_makes_of_the_same_leaves(int index, string label)
    {
        var vector = Vectors.Vectors.Case("rewardTrees", index);

        var document = RewardTreeDocument.From(Leaves(vector));

        Assert.Equal(vector["root"].Text(), document.Root);
        Assert.True(JsonNode.DeepEquals(vector["dump"], JsonSerializer.SerializeToNode(document)), $"{label}: {JsonSerializer.Serialize(document)}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_leaf_s_proof_is_the_one_OpenZeppelin_gives(int index, string label)
    {
        var vector = Vectors.Vectors.Case("rewardTrees", index);
        var leaves = Leaves(vector);

        var tree = MerkleTree.Build(leaves);

        for (var i = 0; i < leaves.Length; i++)
        {
            var expected = vector["proofs"]![i]!.AsArray().Select(p => p.Text()).ToArray();
            Assert.Equal(expected, tree.Proof(i).Select(p => p.ToHex(true)).ToArray());
            Assert.True(MerkleTree.Verify(tree.Proof(i), tree.Root, leaves[i].Hash()), $"{label}: leaf {i}");
        }
    }
}
