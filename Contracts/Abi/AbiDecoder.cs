using System.Numerics;
using System.Text;
using Heurist.Contracts.Crypto;

namespace Heurist.Contracts.Abi;

/// <summary>
/// Solidity ABI decoding (abi.decode). Values: address → <see cref="EthereumAddress"/>; uintN/intN → <see cref="BigInteger"/>;
/// bool; bytes and bytesN → byte[]; string; arrays and tuples → object?[]. Padding and ranges are checked strictly.
/// </summary>
public static class AbiDecoder
{
    /// <summary>Decodes <paramref name="data"/> as the sequence <paramref name="types"/>. Bytes after the encoding are ignored.</summary>
    /// <exception cref="AbiDecodingException">The data is too short, an offset or length points outside it, or a value is out of range.</exception>
    public static object?[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(types);
        return DecodeSequence(types, data, "");
    }

    /// <summary>Decodes <paramref name="data"/> as the types of <paramref name="parameters"/>.</summary>
    public static object?[] Decode(IReadOnlyList<AbiParameter> parameters, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return DecodeSequence(parameters.Select(p => p.Type).ToList(), data, "");
    }

    /// <summary>Decodes one 32-byte word (an event topic) as a static elementary type.</summary>
    public static object? DecodeWord(AbiType type, ReadOnlySpan<byte> word)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.IsDynamic || type.Kind is AbiTypeKind.Array or AbiTypeKind.Tuple || word.Length != 32)
        {
            throw new AbiDecodingException($"Only one 32-byte word of an elementary static type decodes this way, not {word.Length} bytes of {type}.");
        }
        return DecodeValue(type, word, "topic");
    }

    private static object?[] DecodeSequence(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> block, string path)
    {
        var values = new object?[types.Count];
        var head = 0;
        for (var i = 0; i < types.Count; i++)
        {
            var type = types[i];
            var at = $"{path}[{i}]";
            if (type.IsDynamic)
            {
                var offset = ReadLength(block, head, at, "offset");
                if (offset > block.Length)
                {
                    throw new AbiDecodingException($"{at} ({type}): offset {offset} points past the end of the data ({block.Length} bytes).");
                }
                values[i] = DecodeValue(type, block[offset..], at);
            }
            else
            {
                if (head + type.HeadSize > block.Length)
                {
                    throw new AbiDecodingException($"{at} ({type}): the data ends before this value ({block.Length} bytes).");
                }
                values[i] = DecodeValue(type, block[head..], at);
            }
            head += type.HeadSize;
        }
        return values;
    }

    private static object? DecodeValue(AbiType type, ReadOnlySpan<byte> data, string path)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.Address:
                var addressWord = Word(data, 0, path, type);
                return addressWord[..12].ContainsAnyExcept((byte)0)
                    ? throw new AbiDecodingException($"{path} (address): the upper 12 bytes are not zero.")
                    : new EthereumAddress(addressWord[12..]);
            case AbiTypeKind.Bool:
                var boolValue = AbiWords.ReadUnsigned(Word(data, 0, path, type));
                return boolValue <= 1 ? boolValue == 1 : throw new AbiDecodingException($"{path} (bool): {boolValue} is neither 0 nor 1.");
            case AbiTypeKind.UInt:
                var unsigned = AbiWords.ReadUnsigned(Word(data, 0, path, type));
                return unsigned <= AbiWords.MaxUnsigned(type.Size)
                    ? unsigned
                    : throw new AbiDecodingException($"{path} ({type}): {unsigned} is out of range.");
            case AbiTypeKind.Int:
                var signed = AbiWords.ReadSigned(Word(data, 0, path, type));
                return signed >= AbiWords.MinSigned(type.Size) && signed <= AbiWords.MaxSigned(type.Size)
                    ? signed
                    : throw new AbiDecodingException($"{path} ({type}): the word is not a sign-extended {type.Size}-bit integer.");
            case AbiTypeKind.FixedBytes:
                var fixedWord = Word(data, 0, path, type);
                return fixedWord[type.Size..].ContainsAnyExcept((byte)0)
                    ? throw new AbiDecodingException($"{path} ({type}): the padding after {type.Size} byte(s) is not zero.")
                    : fixedWord[..type.Size].ToArray();
            case AbiTypeKind.Bytes:
                return ReadDynamicBytes(data, path, type).ToArray();
            case AbiTypeKind.String:
                try
                {
                    return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(ReadDynamicBytes(data, path, type));
                }
                catch (DecoderFallbackException)
                {
                    throw new AbiDecodingException($"{path} (string): not valid UTF-8.");
                }
            case AbiTypeKind.Array:
                var element = type.ElementType!;
                if (type.FixedLength is { } fixedLength)
                {
                    return DecodeSequence(Enumerable.Repeat(element, fixedLength).ToList(), data, path);
                }
                var count = ReadLength(data, 0, path, "length");
                // Each element takes at least one word (an empty tuple is counted as one byte), so a larger count cannot be real and would only waste memory.
                if ((long)count * Math.Clamp(element.HeadSize, 1, 32) > data.Length - 32)
                {
                    throw new AbiDecodingException($"{path} ({type}): length {count} does not fit in the {data.Length - 32} bytes that follow.");
                }
                return DecodeSequence(Enumerable.Repeat(element, count).ToList(), data[32..], path);
            default:
                return DecodeSequence(type.Components.Select(c => c.Type).ToList(), data, path);
        }
    }

    private static ReadOnlySpan<byte> ReadDynamicBytes(ReadOnlySpan<byte> data, string path, AbiType type)
    {
        var length = ReadLength(data, 0, path, "length");
        if (32L + length > data.Length)
        {
            throw new AbiDecodingException($"{path} ({type}): length {length} runs past the end of the data.");
        }
        return data.Slice(32, length);
    }

    private static ReadOnlySpan<byte> Word(ReadOnlySpan<byte> data, int position, string path, AbiType type)
        => position + 32 <= data.Length
            ? data.Slice(position, 32)
            : throw new AbiDecodingException($"{path} ({type}): the data ends before this value.");

    private static int ReadLength(ReadOnlySpan<byte> data, int position, string path, string what)
    {
        if (position + 32 > data.Length)
        {
            throw new AbiDecodingException($"{path}: the data ends before the {what}.");
        }
        var value = AbiWords.ReadUnsigned(data.Slice(position, 32));
        return value <= int.MaxValue ? (int)value : throw new AbiDecodingException($"{path}: {what} {value} is too large.");
    }
}
