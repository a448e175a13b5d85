using Org.BouncyCastle.Math.EC;
using NumericBigInteger = System.Numerics.BigInteger;

namespace Heurist.Contracts.Crypto;

/// <summary>Recovers who signed a hash.</summary>
public static class Signer
{
    /// <summary>The address whose key made <paramref name="signature"/> over <paramref name="hash32"/>.</summary>
    /// <exception cref="InvalidSignatureException">No public key can be recovered from the signature.</exception>
    public static EthereumAddress Recover(ReadOnlySpan<byte> hash32, EthereumSignature signature)
        => EthereumAddress.FromPublicKey(RecoverPublicKey(hash32, signature));

    /// <summary>The uncompressed public key (65 bytes, 0x04 ‖ X ‖ Y) that made <paramref name="signature"/>.</summary>
    /// <exception cref="InvalidSignatureException">No public key can be recovered from the signature.</exception>
    public static byte[] RecoverPublicKey(ReadOnlySpan<byte> hash32, EthereumSignature signature)
    {
        if (hash32.Length != 32)
        {
            throw new ArgumentException($"Only 32-byte hashes are recovered from, got {hash32.Length} bytes.", nameof(hash32));
        }
        if (signature.R.IsZero || signature.S.IsZero)
        {
            throw new InvalidSignatureException("The signature is empty (r and s are zero).");
        }
        return TryRecoverPublicKey(hash32, signature.R, signature.S, signature.RecoveryId)
            ?? throw new InvalidSignatureException("No public key can be recovered from this signature: r is not the x coordinate of a curve point.");
    }

    /// <summary>True when <paramref name="signature"/> over <paramref name="hash32"/> was made by <paramref name="address"/>'s key.</summary>
    public static bool Verify(ReadOnlySpan<byte> hash32, EthereumSignature signature, EthereumAddress address)
    {
        try
        {
            return Recover(hash32, signature) == address;
        }
        catch (InvalidSignatureException)
        {
            return false;
        }
    }

    // SEC 1 v2, section 4.1.6, for recovery ids 0 and 1 (x = r): Q = r⁻¹(sR − eG).
    internal static byte[]? TryRecoverPublicKey(ReadOnlySpan<byte> hash32, NumericBigInteger r, NumericBigInteger s, int recoveryId)
    {
        var n = Secp256k1.N;
        var bcR = Secp256k1.FromNumeric(r);
        var bcS = Secp256k1.FromNumeric(s);
        if (bcR.CompareTo(Secp256k1.Curve.Field.Characteristic) >= 0)
        {
            return null;
        }
        var compressed = new byte[33];
        compressed[0] = (byte)(recoveryId == 0 ? 0x02 : 0x03);
        Secp256k1.ToWord(r).CopyTo(compressed, 1);
        ECPoint point;
        try
        {
            point = Secp256k1.Curve.DecodePoint(compressed);
        }
        catch (ArgumentException)
        {
            return null;
        }
        var e = Secp256k1.FromBytes(hash32);
        var rInverse = bcR.ModInverse(n);
        var q = ECAlgorithms.SumOfTwoMultiplies(
            Secp256k1.G, e.Negate().Mod(n).Multiply(rInverse).Mod(n),
            point, bcS.Multiply(rInverse).Mod(n)).Normalize();
        return q.IsInfinity ? null : q.GetEncoded(compressed: false);
    }
}
