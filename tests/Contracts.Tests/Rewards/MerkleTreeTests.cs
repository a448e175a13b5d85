using System.Numerics;
using Nethereum.ABI;
using Heurist.Contracts.Rewards;
using Heurist.Contracts.LocalChain;

namespace Heurist.Contracts.Tests.Rewards;

public sealed class MerkleTreeTests
{
    private static byte[] Leaf(int i) => Sha3Keccack.Current.CalculateHash([(byte)i]);

    private static byte[] H(byte[] a, byte[] b)
        => a.AsSpan().SequenceCompareTo(b) <= 0 ? Sha3Keccack.Current.CalculateHash([.. a, .. b]) : Sha3Keccack.Current.CalculateHash([.. b, .. a]);

    /// <summary>The leaves in ascending byte order, as the tree sorts them.</summary>
    private static byte[][] Sorted(params byte[][] leaves) => [.. leaves.Order(Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y)))];

    private static void AssertEveryProofVerifies(MerkleTree tree, byte[][] leaves)
    {
        for (var i = 0; i < leaves.Length; i++)
        {
            Assert.True(MerkleTree.Verify(tree.Proof(i), tree.Root, leaves[i]), $"the proof of leaf {i} of {leaves.Length}");
        }
    }

    [Fact]
    public void A_tree_of_one_leaf_has_the_leaf_as_root_and_an_empty_proof()
    {
        var leaf = Leaf(1);

        var tree = MerkleTree.Build([leaf]);

        Assert.Equal(leaf, tree.Root);
        Assert.Empty(tree.Proof(0));
        Assert.True(MerkleTree.Verify(tree.Proof(0), tree.Root, leaf));
    }

    [Fact]
    public void A_tree_of_two_leaves_hashes_them_in_sorted_order_and_each_proves_with_the_other()
    {
        var (a, b) = (Leaf(1), Leaf(2));

        var tree = MerkleTree.Build([a, b]);

        Assert.Equal(H(a, b), tree.Root);
        Assert.Equal(Sha3Keccack.Current.CalculateHash([.. Sorted(a, b)[0], .. Sorted(a, b)[1]]), tree.Root);
        Assert.Equal(new[] { b }, tree.Proof(0));
        Assert.Equal(new[] { a }, tree.Proof(1));
        Assert.Equal(tree.Root, MerkleTree.Build([b, a]).Root);
        AssertEveryProofVerifies(tree, [a, b]);
    }

    [Fact]
    public void A_tree_of_three_leaves_pairs_the_two_smallest_and_lifts_the_largest()
    {
        var leaves = new[] { Leaf(1), Leaf(2), Leaf(3) };
        var s = Sorted(leaves);

        var tree = MerkleTree.Build(leaves);

        // OpenZeppelin's layout: [root, H(s1, s0), s2, s1, s0].
        Assert.Equal(H(H(s[0], s[1]), s[2]), tree.Root);
        var largest = Array.FindIndex(leaves, l => l.SequenceEqual(s[2]));
        Assert.Equal(new[] { H(s[0], s[1]) }, tree.Proof(largest));
        var smallest = Array.FindIndex(leaves, l => l.SequenceEqual(s[0]));
        Assert.Equal(new[] { s[1], s[2] }, tree.Proof(smallest));
        AssertEveryProofVerifies(tree, leaves);
    }

    [Fact]
    public void A_tree_of_five_leaves_has_the_shape_of_openzeppelins_standard_tree()
    {
        var leaves = Enumerable.Range(1, 5).Select(Leaf).ToArray();
        var s = Sorted(leaves);

        var tree = MerkleTree.Build(leaves);

        // [root, H(H(s0, s1), s4), H(s2, s3), H(s0, s1), s4, s3, s2, s1, s0]
        Assert.Equal(H(H(H(s[0], s[1]), s[4]), H(s[2], s[3])), tree.Root);
        var smallest = Array.FindIndex(leaves, l => l.SequenceEqual(s[0]));
        Assert.Equal(new[] { s[1], s[4], H(s[2], s[3]) }, tree.Proof(smallest));
        var middle = Array.FindIndex(leaves, l => l.SequenceEqual(s[2]));
        Assert.Equal(new[] { s[3], H(H(s[0], s[1]), s[4]) }, tree.Proof(middle));
        AssertEveryProofVerifies(tree, leaves);
        Assert.Equal(tree.Root, MerkleTree.Build([.. Enumerable.Reverse(leaves)]).Root);
    }

    [Fact]
    public void A_proof_does_not_verify_another_leaf_or_another_root()
    {
        var leaves = Enumerable.Range(1, 5).Select(Leaf).ToArray();
        var tree = MerkleTree.Build(leaves);

        Assert.False(MerkleTree.Verify(tree.Proof(0), tree.Root, leaves[1]));
        Assert.False(MerkleTree.Verify(tree.Proof(0), MerkleTree.Build(leaves[..4]).Root, leaves[0]));
        Assert.False(MerkleTree.Verify(tree.Proof(0).Take(2).ToList(), tree.Root, leaves[0]));
    }

    [Fact]
    public void A_reward_leaf_is_the_double_keccak_of_its_abi_encoding()
    {
        var account = AnvilAccounts.Address(1);
        var leaf = new RewardLeaf(42, account, BigInteger.Pow(10, 18), 5);
        var encoded = new ABIEncode().GetABIEncoded(
            new ABIValue("uint256", new BigInteger(42)), new ABIValue("address", account), new ABIValue("uint256", BigInteger.Pow(10, 18)), new ABIValue("uint256", new BigInteger(5)));

        Assert.Equal(4 * 32, encoded.Length);
        Assert.Equal(Sha3Keccack.Current.CalculateHash(Sha3Keccack.Current.CalculateHash(encoded)), leaf.Hash());
        Assert.NotEqual(leaf.Hash(), (leaf with { Epoch = 43 }).Hash());
        Assert.Equal(MerkleTree.Build([leaf.Hash()]).Root, MerkleTree.Build([leaf]).Root);
    }

    [Fact]
    public void The_tree_refuses_no_leaves_a_leaf_that_is_not_32_bytes_and_a_proof_of_a_missing_leaf()
    {
        Assert.Throws<ArgumentException>(() => MerkleTree.Build(Array.Empty<byte[]>()));
        Assert.Throws<ArgumentException>(() => MerkleTree.Build([Leaf(1), new byte[31]]));
        var tree = MerkleTree.Build([Leaf(1), Leaf(2)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Proof(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Proof(-1));
    }
}
