using System.Numerics;

namespace Heurist.Contracts.Rlp;

/// <summary>Recursive Length Prefix encoding (Ethereum yellow paper, appendix B), with strict canonical decoding.</summary>
public static class RlpCodec
{
    /// <summary>Encodes a string or a nested list.</summary>
    public static byte[] Encode(RlpItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var output = new List<byte>();
        Write(item, output);
        return [.. output];
    }

    /// <summary>Encodes a byte string.</summary>
    public static byte[] EncodeBytes(ReadOnlySpan<byte> bytes) => Encode(new RlpString(bytes));

    /// <summary>Encodes a non-negative integer canonically (no leading zeros; 0 is the empty string, 0x80).</summary>
    public static byte[] EncodeInteger(BigInteger value) => Encode(RlpString.FromInteger(value));

    /// <summary>Decodes exactly one item that spans all of <paramref name="input"/>.</summary>
    /// <exception cref="RlpException">Truncated input, trailing bytes, or a non-canonical prefix.</exception>
    public static RlpItem Decode(ReadOnlySpan<byte> input)
    {
        var item = Read(input, 0, out var consumed);
        if (consumed != input.Length)
        {
            throw new RlpException($"{input.Length - consumed} trailing byte(s) after the RLP item at offset {consumed}.");
        }
        return item;
    }

    private static void Write(RlpItem item, List<byte> output)
    {
        switch (item)
        {
            case RlpString s:
                var bytes = s.Bytes.Span;
                if (bytes.Length == 1 && bytes[0] < 0x80)
                {
                    output.Add(bytes[0]);
                }
                else
                {
                    WriteLength(bytes.Length, 0x80, output);
                    output.AddRange(bytes);
                }
                break;
            case RlpList l:
                var payload = new List<byte>();
                foreach (var child in l.Items)
                {
                    Write(child, payload);
                }
                WriteLength(payload.Count, 0xc0, output);
                output.AddRange(payload);
                break;
            default:
                throw new ArgumentException($"Unknown RLP item type {item.GetType().Name}.", nameof(item));
        }
    }

    private static void WriteLength(int length, byte offset, List<byte> output)
    {
        if (length < 56)
        {
            output.Add((byte)(offset + length));
            return;
        }
        var lengthBytes = new BigInteger(length).ToByteArray(isUnsigned: true, isBigEndian: true);
        output.Add((byte)(offset + 55 + lengthBytes.Length));
        output.AddRange(lengthBytes);
    }

    private static RlpItem Read(ReadOnlySpan<byte> input, int position, out int end)
    {
        if (position >= input.Length)
        {
            throw new RlpException($"RLP input ends at offset {position} where an item was expected.");
        }
        var prefix = input[position];
        if (prefix < 0x80)
        {
            end = position + 1;
            return new RlpString(input.Slice(position, 1));
        }
        if (prefix <= 0xbf)
        {
            var (start, length) = ReadLength(input, position, 0x80);
            if (length == 1 && input[start] < 0x80)
            {
                throw new RlpException($"The single byte 0x{input[start]:x2} at offset {start} is wrapped in a string prefix (not canonical).");
            }
            end = start + length;
            return new RlpString(input.Slice(start, length));
        }
        var (listStart, listLength) = ReadLength(input, position, 0xc0);
        end = listStart + listLength;
        var items = new List<RlpItem>();
        var cursor = listStart;
        while (cursor < end)
        {
            items.Add(Read(input[..end], cursor, out cursor));
        }
        return new RlpList(items);
    }

    // Returns where the payload starts and how long it is, refusing lengths that a shorter prefix could have said.
    private static (int Start, int Length) ReadLength(ReadOnlySpan<byte> input, int position, byte offset)
    {
        var prefix = input[position] - offset;
        int start, length;
        if (prefix < 56)
        {
            start = position + 1;
            length = prefix;
        }
        else
        {
            var lengthOfLength = prefix - 55;
            if (position + 1 + lengthOfLength > input.Length)
            {
                throw new RlpException($"RLP length prefix at offset {position} is truncated.");
            }
            var lengthBytes = input.Slice(position + 1, lengthOfLength);
            if (lengthBytes[0] == 0)
            {
                throw new RlpException($"RLP length at offset {position} has a leading zero byte (not canonical).");
            }
            if (lengthOfLength > 4)
            {
                throw new RlpException($"RLP length at offset {position} is too large.");
            }
            var value = new BigInteger(lengthBytes, isUnsigned: true, isBigEndian: true);
            if (value < 56)
            {
                throw new RlpException($"RLP length {value} at offset {position} uses the long form, which is only for 56 bytes or more (not canonical).");
            }
            if (value > int.MaxValue)
            {
                throw new RlpException($"RLP length at offset {position} is too large.");
            }
            start = position + 1 + lengthOfLength;
            length = (int)value;
        }
        if ((long)start + length > input.Length)
        {
            throw new RlpException($"RLP item at offset {position} declares {length} byte(s) but only {input.Length - start} remain.");
        }
        return (start, length);
    }
}
