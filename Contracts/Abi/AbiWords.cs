using System.Numerics;

namespace Heurist.Contracts.Abi;

/// <summary>32-byte words and the integer conversions the ABI codecs share.</summary>
internal static class AbiWords
{
    public static readonly BigInteger TwoTo256 = BigInteger.One << 256;

    public static BigInteger MaxUnsigned(int bits) => (BigInteger.One << bits) - 1;

    public static BigInteger MinSigned(int bits) => -(BigInteger.One << (bits - 1));

    public static BigInteger MaxSigned(int bits) => (BigInteger.One << (bits - 1)) - 1;

    /// <summary>A value in [-2^255, 2^256) as a 32-byte big-endian word, negatives in two's complement.</summary>
    public static byte[] Word(BigInteger value) => Bytes(value.Sign < 0 ? value + TwoTo256 : value, 32);

    /// <summary>A non-negative value as big-endian bytes of the given width, negatives in two's complement of that width.</summary>
    public static byte[] Bytes(BigInteger value, int width)
    {
        if (value.Sign < 0)
        {
            value += BigInteger.One << (8 * width);
        }
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var output = new byte[width];
        raw.CopyTo(output, width - raw.Length);
        return output;
    }

    public static BigInteger ReadUnsigned(ReadOnlySpan<byte> word) => new(word, isUnsigned: true, isBigEndian: true);

    public static BigInteger ReadSigned(ReadOnlySpan<byte> word) => new(word, isUnsigned: false, isBigEndian: true);

    public static bool TryToBigInteger(object? value, out BigInteger result)
    {
        switch (value)
        {
            case BigInteger b: result = b; return true;
            case int i: result = i; return true;
            case long l: result = l; return true;
            case ulong ul: result = ul; return true;
            case uint ui: result = ui; return true;
            case short s: result = s; return true;
            case ushort us: result = us; return true;
            case byte by: result = by; return true;
            case sbyte sb: result = sb; return true;
            case Int128 i128: result = i128; return true;
            case UInt128 u128: result = u128; return true;
            default: result = default; return false;
        }
    }
}
