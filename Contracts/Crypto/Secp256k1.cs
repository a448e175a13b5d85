using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Heurist.Contracts.Crypto;

/// <summary>The secp256k1 curve and the conversions between its big integers and Ethereum's 32-byte words.</summary>
internal static class Secp256k1
{
    public static readonly ECDomainParameters Domain = CreateDomain();

    public static BigInteger N => Domain.N;

    public static readonly BigInteger HalfN = Domain.N.ShiftRight(1);

    public static readonly System.Numerics.BigInteger NumericN = ToNumeric(Domain.N);

    public static readonly System.Numerics.BigInteger NumericHalfN = ToNumeric(HalfN);

    public static ECPoint G => Domain.G;

    public static ECCurve Curve => Domain.Curve;

    public static BigInteger FromBytes(ReadOnlySpan<byte> bigEndian) => new(1, bigEndian);

    public static BigInteger FromNumeric(System.Numerics.BigInteger value)
        => new(1, value.ToByteArray(isUnsigned: true, isBigEndian: true));

    public static System.Numerics.BigInteger ToNumeric(BigInteger value)
        => new(value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);

    /// <summary>The value as a 32-byte big-endian word; the caller guarantees it is below 2^256.</summary>
    public static byte[] ToWord(System.Numerics.BigInteger value)
    {
        var word = new byte[32];
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes.CopyTo(word, 32 - bytes.Length);
        return word;
    }

    private static ECDomainParameters CreateDomain()
    {
        var curve = SecNamedCurves.GetByName("secp256k1");
        return new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
    }
}
