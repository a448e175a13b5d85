using System.Collections;
using System.Numerics;
using System.Text;
using Heurist.Contracts.Crypto;

namespace Heurist.Contracts.Abi;

/// <summary>
/// Solidity ABI encoding (abi.encode) and packed encoding (abi.encodePacked).
/// Values: address ← <see cref="EthereumAddress"/> or its text; uintN/intN ← int, long, ulong, BigInteger and the other
/// integer types; bool; bytes and bytesN ← byte[]; string; arrays ← any <see cref="IList"/>; tuples ← object?[] in member
/// order, or a dictionary by member name.
/// </summary>
public static class AbiEncoder
{
    /// <summary>abi.encode of <paramref name="values"/> as <paramref name="types"/>.</summary>
    /// <exception cref="AbiEncodingException">A value does not fit its type; the message names it.</exception>
    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        return Encode(types.Select(t => new AbiParameter("", t)).ToList(), values);
    }

    /// <summary>abi.encode of <paramref name="values"/> as the types of <paramref name="parameters"/>; errors name the parameter.</summary>
    /// <exception cref="AbiEncodingException">A value does not fit its type; the message names it.</exception>
    public static byte[] Encode(IReadOnlyList<AbiParameter> parameters, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(values);
        if (parameters.Count != values.Count)
        {
            var types = "(" + string.Join(",", parameters.Select(p => p.Type.CanonicalName)) + ")";
            throw new AbiEncodingException("arguments", types, $"expected {parameters.Count} value(s), got {values.Count}.");
        }
        var items = parameters.Select((p, i) => (p.Type, Path(null, p.Name, i))).ToList();
        return EncodeSequence(items, values as IList ?? values.ToList());
    }

    /// <summary>
    /// abi.encodePacked: address as 20 bytes, bool as 1, uintN/intN and bytesN in their own width, bytes and string
    /// as they are, and arrays of those types with each element padded to 32 bytes. Tuples and nested arrays are refused.
    /// </summary>
    /// <exception cref="AbiEncodingException">A value does not fit its type, or the type cannot be packed.</exception>
    public static byte[] EncodePacked(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        if (types.Count != values.Count)
        {
            throw new AbiEncodingException("arguments", "packed", $"expected {types.Count} value(s), got {values.Count}.");
        }
        var output = new List<byte>();
        for (var i = 0; i < types.Count; i++)
        {
            var type = types[i];
            var path = Path(null, "", i);
            switch (type.Kind)
            {
                case AbiTypeKind.Array when type.ElementType!.Kind is not (AbiTypeKind.Array or AbiTypeKind.Tuple or AbiTypeKind.Bytes or AbiTypeKind.String):
                    var list = AsList(type, values[i], path);
                    for (var j = 0; j < list.Count; j++)
                    {
                        // Solidity pads array elements to full words even in packed mode.
                        output.AddRange(EncodeValue(type.ElementType, list[j], $"{path}[{j}]"));
                    }
                    break;
                case AbiTypeKind.Array or AbiTypeKind.Tuple:
                    throw new AbiEncodingException(path, type.CanonicalName, "packed encoding of tuples and nested arrays is ambiguous and not supported.");
                default:
                    output.AddRange(EncodePackedValue(type, values[i], path));
                    break;
            }
        }
        return [.. output];
    }

    private static string Path(string? parent, string name, int index)
        => name.Length > 0
            ? parent is null ? name : $"{parent}.{name}"
            : parent is null ? $"#{index}" : $"{parent}[{index}]";

    private static byte[] EncodeSequence(IReadOnlyList<(AbiType Type, string Path)> items, IList values)
    {
        var headLength = items.Sum(i => i.Type.HeadSize);
        var heads = new List<byte>(headLength);
        var tails = new List<byte>();
        for (var i = 0; i < items.Count; i++)
        {
            var (type, path) = items[i];
            var encoded = EncodeValue(type, values[i], path);
            if (type.IsDynamic)
            {
                heads.AddRange(AbiWords.Word(headLength + tails.Count));
                tails.AddRange(encoded);
            }
            else
            {
                heads.AddRange(encoded);
            }
        }
        heads.AddRange(tails);
        return [.. heads];
    }

    private static byte[] EncodeValue(AbiType type, object? value, string path)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.Address:
                return AbiWords.Word(AbiWords.ReadUnsigned(AsAddress(type, value, path).Bytes));
            case AbiTypeKind.Bool:
                return value is bool b ? AbiWords.Word(b ? 1 : 0) : throw Mismatch(type, value, path, "a bool");
            case AbiTypeKind.UInt:
            case AbiTypeKind.Int:
                return AbiWords.Word(AsInteger(type, value, path));
            case AbiTypeKind.FixedBytes:
                var fixedBytes = AsFixedBytes(type, value, path);
                var padded = new byte[32];
                fixedBytes.CopyTo(padded, 0);
                return padded;
            case AbiTypeKind.Bytes:
                return EncodeDynamicBytes(value is byte[] bytes ? bytes : throw Mismatch(type, value, path, "a byte[]"));
            case AbiTypeKind.String:
                return EncodeDynamicBytes(Encoding.UTF8.GetBytes(value as string ?? throw Mismatch(type, value, path, "a string")));
            case AbiTypeKind.Array:
                var list = AsList(type, value, path);
                var elements = Enumerable.Range(0, list.Count).Select(j => (type.ElementType!, $"{path}[{j}]")).ToList();
                var body = EncodeSequence(elements, list);
                return type.FixedLength is null ? [.. AbiWords.Word(list.Count), .. body] : body;
            default:
                var members = AsTupleValues(type, value, path);
                var components = type.Components.Select((c, j) => (c.Type, Path(path, c.Name, j))).ToList();
                return EncodeSequence(components, members);
        }
    }

    private static byte[] EncodePackedValue(AbiType type, object? value, string path)
        => type.Kind switch
        {
            AbiTypeKind.Address => AsAddress(type, value, path).ToArray(),
            AbiTypeKind.Bool => value is bool b ? [(byte)(b ? 1 : 0)] : throw Mismatch(type, value, path, "a bool"),
            AbiTypeKind.UInt or AbiTypeKind.Int => AbiWords.Bytes(AsInteger(type, value, path), type.Size / 8),
            AbiTypeKind.FixedBytes => AsFixedBytes(type, value, path),
            AbiTypeKind.Bytes => value is byte[] bytes ? bytes : throw Mismatch(type, value, path, "a byte[]"),
            AbiTypeKind.String => Encoding.UTF8.GetBytes(value as string ?? throw Mismatch(type, value, path, "a string")),
            _ => throw new AbiEncodingException(path, type.CanonicalName, "this type cannot be packed."),
        };

    private static byte[] EncodeDynamicBytes(byte[] bytes)
    {
        var paddedLength = (bytes.Length + 31) / 32 * 32;
        var output = new byte[32 + paddedLength];
        AbiWords.Word(bytes.Length).CopyTo(output, 0);
        bytes.CopyTo(output, 32);
        return output;
    }

    private static EthereumAddress AsAddress(AbiType type, object? value, string path)
    {
        switch (value)
        {
            case EthereumAddress address:
                return address;
            case string text:
                try
                {
                    return EthereumAddress.Parse(text);
                }
                catch (InvalidAddressException ex)
                {
                    throw new AbiEncodingException(path, type.CanonicalName, ex.Message);
                }
            default:
                throw Mismatch(type, value, path, "an EthereumAddress");
        }
    }

    private static BigInteger AsInteger(AbiType type, object? value, string path)
    {
        if (!AbiWords.TryToBigInteger(value, out var integer))
        {
            throw Mismatch(type, value, path, "an integer (int, long, ulong or BigInteger)");
        }
        var (min, max) = type.Kind == AbiTypeKind.UInt
            ? (BigInteger.Zero, AbiWords.MaxUnsigned(type.Size))
            : (AbiWords.MinSigned(type.Size), AbiWords.MaxSigned(type.Size));
        return integer >= min && integer <= max
            ? integer
            : throw new AbiEncodingException(path, type.CanonicalName, $"{integer} is out of range [{min}, {max}].");
    }

    private static byte[] AsFixedBytes(AbiType type, object? value, string path)
    {
        var bytes = value as byte[] ?? throw Mismatch(type, value, path, "a byte[]");
        return bytes.Length == type.Size
            ? bytes
            : throw new AbiEncodingException(path, type.CanonicalName, $"expected exactly {type.Size} byte(s), got {bytes.Length}.");
    }

    private static IList AsList(AbiType type, object? value, string path)
    {
        if (value is not IList list || value is string)
        {
            throw Mismatch(type, value, path, "a list or array");
        }
        return type.FixedLength is { } length && list.Count != length
            ? throw new AbiEncodingException(path, type.CanonicalName, $"expected exactly {length} element(s), got {list.Count}.")
            : list;
    }

    private static IList AsTupleValues(AbiType type, object? value, string path)
    {
        if (value is IReadOnlyDictionary<string, object?> byName)
        {
            var ordered = new object?[type.Components.Count];
            for (var i = 0; i < ordered.Length; i++)
            {
                var name = type.Components[i].Name;
                if (name.Length == 0 || !byName.TryGetValue(name, out ordered[i]))
                {
                    throw new AbiEncodingException(Path(path, name, i), type.Components[i].Type.CanonicalName, "missing from the tuple's dictionary.");
                }
            }
            return ordered;
        }
        if (value is not IList list || value is byte[])
        {
            throw Mismatch(type, value, path, "an object?[] of the tuple's members");
        }
        return list.Count == type.Components.Count
            ? list
            : throw new AbiEncodingException(path, type.CanonicalName, $"expected {type.Components.Count} member(s), got {list.Count}.");
    }

    private static AbiEncodingException Mismatch(AbiType type, object? value, string path, string expected)
        => new(path, type.CanonicalName, $"expected {expected}, got {(value is null ? "null" : value.GetType().Name)}.");
}
