using Org.BouncyCastle.Crypto.Digests;

namespace Heurist.Contracts.Crypto;

/// <summary>Keccak-256 as Ethereum uses it: the original Keccak padding, not NIST SHA3-256.</summary>
public static class Keccak256
{
    /// <summary>The 32-byte Keccak-256 digest of <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data);
        var output = new byte[32];
        digest.DoFinal(output);
        return output;
    }
}
