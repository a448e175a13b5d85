using System.Numerics;

namespace Heurist.Contracts.Crypto;

/// <summary>
/// A recoverable secp256k1 signature as Ethereum writes it: R and S in [1, n-1] with S in the lower half (EIP-2),
/// and V = 27 + recovery id.
/// </summary>
public readonly record struct EthereumSignature
{
    /// <summary>A signature from its parts; refuses what <see cref="Parse(ReadOnlySpan{byte})"/> refuses.</summary>
    /// <param name="r">R, in [1, n-1].</param>
    /// <param name="s">S, in [1, n/2].</param>
    /// <param name="v">27 or 28; 0 and 1 are taken as 27 and 28.</param>
    /// <exception cref="InvalidSignatureException">A part is out of range.</exception>
    public EthereumSignature(BigInteger r, BigInteger s, int v)
    {
        if (r.Sign <= 0 || r >= Secp256k1.NumericN)
        {
            throw new InvalidSignatureException("The signature's r is zero or not below the curve order n.");
        }
        if (s.Sign <= 0 || s >= Secp256k1.NumericN)
        {
            throw new InvalidSignatureException("The signature's s is zero or not below the curve order n.");
        }
        if (s > Secp256k1.NumericHalfN)
        {
            throw new InvalidSignatureException("The signature's s is in the upper half of the curve order (not canonical, EIP-2).");
        }
        V = v switch
        {
            0 or 27 => 27,
            1 or 28 => 28,
            _ => throw new InvalidSignatureException($"The signature's v must be 0, 1, 27 or 28, got {v}."),
        };
        R = r;
        S = s;
    }

    public BigInteger R { get; }

    public BigInteger S { get; }

    /// <summary>27 or 28.</summary>
    public int V { get; }

    /// <summary>The recovery id (y parity of the nonce point): V - 27.</summary>
    public int RecoveryId => V - 27;

    /// <summary>The 65 bytes r ‖ s ‖ v, with v as 27 or 28.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[65];
        Secp256k1.ToWord(R).CopyTo(bytes, 0);
        Secp256k1.ToWord(S).CopyTo(bytes, 32);
        bytes[64] = (byte)V;
        return bytes;
    }

    /// <summary>The 0x-hex of <see cref="ToBytes"/>.</summary>
    public override string ToString() => Hex.Encode(ToBytes());

    /// <summary>Parses 65 bytes r ‖ s ‖ v, with v in {0, 1, 27, 28}.</summary>
    /// <exception cref="InvalidSignatureException">Wrong length, v out of range, r or s zero or ≥ n, or s in the upper half.</exception>
    public static EthereumSignature Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 65)
        {
            throw new InvalidSignatureException($"A signature has 65 bytes (r ‖ s ‖ v), got {bytes.Length}.");
        }
        return new EthereumSignature(
            new BigInteger(bytes[..32], isUnsigned: true, isBigEndian: true),
            new BigInteger(bytes[32..64], isUnsigned: true, isBigEndian: true),
            bytes[64]);
    }

    /// <summary>Parses the hex of 65 bytes r ‖ s ‖ v, with or without 0x.</summary>
    /// <exception cref="InvalidSignatureException">Not hex, or refused by <see cref="Parse(ReadOnlySpan{byte})"/>.</exception>
    public static EthereumSignature Parse(string hex)
        => Hex.TryDecode(hex, out var bytes)
            ? Parse(bytes)
            : throw new InvalidSignatureException("A signature must be hex: 130 hex digits after an optional 0x.");
}
