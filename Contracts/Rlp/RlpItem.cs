using System.Numerics;

namespace Heurist.Contracts.Rlp;

/// <summary>A decoded or to-be-encoded RLP item: a byte string or a list of items.</summary>
public abstract class RlpItem
{
    private protected RlpItem() { }

    /// <summary>This item as a byte string; throws <see cref="RlpException"/> if it is a list.</summary>
    public byte[] AsBytes() => this is RlpString s ? s.Bytes.ToArray() : throw new RlpException("Expected an RLP string, found a list.");

    /// <summary>This item's list items; throws <see cref="RlpException"/> if it is a string.</summary>
    public IReadOnlyList<RlpItem> AsList() => this is RlpList l ? l.Items : throw new RlpException("Expected an RLP list, found a string.");

    /// <summary>This item as a canonical unsigned integer (no leading zero bytes; the empty string is 0).</summary>
    /// <exception cref="RlpException">A list, or leading zero bytes.</exception>
    public BigInteger AsInteger()
    {
        var bytes = AsBytes();
        if (bytes.Length > 0 && bytes[0] == 0)
        {
            throw new RlpException("An RLP integer has a leading zero byte (not canonical).");
        }
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>This item as a canonical unsigned integer that fits in 64 bits.</summary>
    public ulong AsUInt64()
    {
        var value = AsInteger();
        return value <= ulong.MaxValue ? (ulong)value : throw new RlpException($"An RLP integer of {value} does not fit in 64 bits.");
    }
}

/// <summary>An RLP byte string.</summary>
public sealed class RlpString : RlpItem
{
    public RlpString(ReadOnlySpan<byte> bytes) => Bytes = bytes.ToArray();

    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The canonical encoding of a non-negative integer: big-endian without leading zeros, zero as the empty string.</summary>
    public static RlpString FromInteger(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "RLP integers are non-negative.");
        }
        return new RlpString(value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true));
    }
}

/// <summary>An RLP list.</summary>
public sealed class RlpList : RlpItem
{
    public RlpList(IEnumerable<RlpItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = [.. items];
    }

    public RlpList(params RlpItem[] items) : this((IEnumerable<RlpItem>)items) { }

    public IReadOnlyList<RlpItem> Items { get; }
}

/// <summary>Input that is not canonical RLP, or an item of the wrong shape.</summary>
public sealed class RlpException : FormatException
{
    public RlpException(string message) : base(message) { }
}
