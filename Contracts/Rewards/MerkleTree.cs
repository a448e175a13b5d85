using System.Numerics;
using Nethereum.ABI;
using Nethereum.Util;

namespace Heurist.Contracts.Rewards;

/// <summary>
/// One account's rewards for one epoch: a leaf of the epoch's tree, as RewardsDistributor.claim checks it.
/// </summary>
public sealed record RewardLeaf(BigInteger Epoch, string Account, BigInteger Heu, BigInteger EsHeu)
{
    /// <summary>keccak256(bytes.concat(keccak256(abi.encode(epoch, account, heu, esHeu)))), as OpenZeppelin's StandardMerkleTree hashes a leaf.</summary>
    public byte[] Hash() => Keccak(Keccak(new ABIEncode().GetABIEncoded(
        new ABIValue("uint256", Epoch), new ABIValue("address", Account), new ABIValue("uint256", Heu), new ABIValue("uint256", EsHeu))));

    private static byte[] Keccak(byte[] data) => Sha3Keccack.Current.CalculateHash(data);
}

/// <summary>
/// A Merkle tree laid out as OpenZeppelin's StandardMerkleTree lays it out (leaf hashes sorted, pairs hashed in sorted
/// order, the complete binary tree kept in one array), so its root and proofs are those OpenZeppelin's JavaScript
/// library gives, and MerkleProof.verify accepts the proofs.
/// </summary>
public sealed class MerkleTree
{
    // nodes[0] is the root; the children of i are 2i+1 and 2i+2; the leaves fill the end of the array.
    private readonly byte[][] _nodes;
    // For each leaf as given, its position in _nodes.
    private readonly int[] _leafPositions;

    private MerkleTree(byte[][] nodes, int[] leafPositions)
    {
        _nodes = nodes;
        _leafPositions = leafPositions;
    }

    /// <summary>Builds the tree of these leaf hashes (32 bytes each, at least one). Proofs are asked for by the index given here.</summary>
    public static MerkleTree Build(IReadOnlyList<byte[]> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        if (leafHashes.Count == 0)
        {
            throw new ArgumentException("A Merkle tree needs at least one leaf.", nameof(leafHashes));
        }
        for (var i = 0; i < leafHashes.Count; i++)
        {
            if (leafHashes[i] is not { Length: 32 })
            {
                throw new ArgumentException($"Leaf {i} is not a 32-byte hash.", nameof(leafHashes));
            }
        }
        var order = Enumerable.Range(0, leafHashes.Count)
            .OrderBy(i => leafHashes[i], ByteOrder.Instance)
            .ToArray();
        var nodes = new byte[2 * leafHashes.Count - 1][];
        var positions = new int[leafHashes.Count];
        for (var rank = 0; rank < order.Length; rank++)
        {
            var position = nodes.Length - 1 - rank;
            nodes[position] = (byte[])leafHashes[order[rank]].Clone();
            positions[order[rank]] = position;
        }
        for (var i = nodes.Length - 1 - leafHashes.Count; i >= 0; i--)
        {
            nodes[i] = HashPair(nodes[2 * i + 1], nodes[2 * i + 2]);
        }
        return new MerkleTree(nodes, positions);
    }

    /// <summary>The tree of an epoch's reward leaves; proofs are asked for by the leaf's index in <paramref name="leaves"/>.</summary>
    public static MerkleTree Build(IReadOnlyList<RewardLeaf> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        return Build([.. leaves.Select(l => l.Hash())]);
    }

    public int Count => _leafPositions.Length;

    public byte[] Root => (byte[])_nodes[0].Clone();

    /// <summary>Every node, root first, in the array layout OpenZeppelin's StandardMerkleTree dumps as "tree".</summary>
    public IEnumerable<byte[]> Nodes => _nodes.Select(node => (byte[])node.Clone());

    /// <summary>Where leaf <paramref name="index"/> (as given to Build) sits in <see cref="Nodes"/>: its "treeIndex".</summary>
    public int TreeIndexOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _leafPositions[index];
    }

    /// <summary>The sibling hashes from leaf <paramref name="index"/> up to the root.</summary>
    public List<byte[]> Proof(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var proof = new List<byte[]>();
        for (var position = _leafPositions[index]; position > 0; position = (position - 1) / 2)
        {
            var sibling = position % 2 == 1 ? position + 1 : position - 1;
            proof.Add((byte[])_nodes[sibling].Clone());
        }
        return proof;
    }

    /// <summary>Whether <paramref name="proof"/> leads from <paramref name="leafHash"/> to <paramref name="root"/> (what MerkleProof.verify checks).</summary>
    public static bool Verify(IReadOnlyList<byte[]> proof, byte[] root, byte[] leafHash)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(leafHash);
        var computed = leafHash;
        foreach (var sibling in proof)
        {
            computed = HashPair(computed, sibling);
        }
        return computed.AsSpan().SequenceEqual(root);
    }

    /// <summary>keccak256 of the two hashes concatenated, the smaller first.</summary>
    public static byte[] HashPair(byte[] a, byte[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Sha3Keccack.Current.CalculateHash(ByteOrder.Instance.Compare(a, b) <= 0 ? [.. a, .. b] : [.. b, .. a]);
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
