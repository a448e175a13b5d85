using System.Globalization;
using System.Text.Json.Nodes;

// The members are named after the Solidity types they stand for (uint, int, string), which CA1720 would rename.
#pragma warning disable CA1720

namespace Heurist.Contracts.Abi;

/// <summary>The kinds of Solidity ABI types.</summary>
public enum AbiTypeKind
{
    Address,
    Bool,
    UInt,
    Int,
    FixedBytes,
    Bytes,
    String,
    Array,
    Tuple,
}

/// <summary>A named parameter of a function, event, error or tuple. <see cref="Indexed"/> is meaningful for event parameters only.</summary>
public sealed record AbiParameter(string Name, AbiType Type, bool Indexed = false);

/// <summary>
/// A Solidity ABI type: address, bool, uintN, intN, bytesN, bytes, string, T[k], T[] and tuples.
/// Create with <see cref="Parse"/> or <see cref="FromJson"/>.
/// </summary>
public sealed class AbiType
{
    private AbiType(AbiTypeKind kind, int size = 0, AbiType? element = null, int? length = null, IReadOnlyList<AbiParameter>? components = null)
    {
        Kind = kind;
        Size = size;
        ElementType = element;
        FixedLength = length;
        Components = components ?? [];
        CanonicalName = kind switch
        {
            AbiTypeKind.Address => "address",
            AbiTypeKind.Bool => "bool",
            AbiTypeKind.UInt => $"uint{size}",
            AbiTypeKind.Int => $"int{size}",
            AbiTypeKind.FixedBytes => $"bytes{size}",
            AbiTypeKind.Bytes => "bytes",
            AbiTypeKind.String => "string",
            AbiTypeKind.Array => $"{element!.CanonicalName}[{length?.ToString(CultureInfo.InvariantCulture)}]",
            _ => "(" + string.Join(",", Components.Select(c => c.Type.CanonicalName)) + ")",
        };
        IsDynamic = kind switch
        {
            AbiTypeKind.Bytes or AbiTypeKind.String => true,
            AbiTypeKind.Array => length is null || element!.IsDynamic,
            AbiTypeKind.Tuple => Components.Any(c => c.Type.IsDynamic),
            _ => false,
        };
        HeadSize = IsDynamic ? 32 : kind switch
        {
            AbiTypeKind.Array => length!.Value * element!.HeadSize,
            AbiTypeKind.Tuple => Components.Sum(c => c.Type.HeadSize),
            _ => 32,
        };
    }

    public AbiTypeKind Kind { get; }

    /// <summary>Bits for uintN and intN, bytes for bytesN; 0 otherwise.</summary>
    public int Size { get; }

    /// <summary>The element type of an array.</summary>
    public AbiType? ElementType { get; }

    /// <summary>k for T[k]; null for T[] and non-arrays.</summary>
    public int? FixedLength { get; }

    /// <summary>The members of a tuple, with their names when known.</summary>
    public IReadOnlyList<AbiParameter> Components { get; }

    /// <summary>The type as it appears in signatures: "uint256", "(address,uint256)[]".</summary>
    public string CanonicalName { get; }

    /// <summary>True for bytes, string, T[], and arrays and tuples that hold a dynamic type.</summary>
    public bool IsDynamic { get; }

    /// <summary>The bytes this type takes in the head of an encoding: 32 for dynamic types.</summary>
    public int HeadSize { get; }

    public static AbiType Address { get; } = new(AbiTypeKind.Address);
    public static AbiType Bool { get; } = new(AbiTypeKind.Bool);
    public static AbiType Bytes { get; } = new(AbiTypeKind.Bytes);
    public static AbiType String { get; } = new(AbiTypeKind.String);
    public static AbiType UInt256 { get; } = new(AbiTypeKind.UInt, 256);

    public static AbiType UInt(int bits) => new(AbiTypeKind.UInt, CheckBits(bits));
    public static AbiType Int(int bits) => new(AbiTypeKind.Int, CheckBits(bits));
    public static AbiType FixedBytes(int size)
        => size is >= 1 and <= 32 ? new(AbiTypeKind.FixedBytes, size) : throw new FormatException($"bytes{size} is not an ABI type: bytesN needs 1 ≤ N ≤ 32.");
    public static AbiType Array(AbiType element, int? length = null)
    {
        ArgumentNullException.ThrowIfNull(element);
        return length is < 0 ? throw new FormatException("An array length cannot be negative.") : new(AbiTypeKind.Array, 0, element, length);
    }
    public static AbiType Tuple(IEnumerable<AbiParameter> components) => new(AbiTypeKind.Tuple, components: [.. components]);
    public static AbiType Tuple(params AbiType[] components) => Tuple(components.Select(c => new AbiParameter("", c)));

    /// <summary>
    /// Parses a type as written in signatures: "uint256", "uint" (uint256), "int24", "address", "bool", "bytes32", "bytes",
    /// "string", "uint8[]", "bytes32[3]", "(address,uint256)[]". Tuple members may carry names: "(address to,uint256 amount)".
    /// </summary>
    /// <exception cref="FormatException">Not an ABI type.</exception>
    public static AbiType Parse(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var text = type.Trim();
        if (text.EndsWith(']'))
        {
            var open = text.LastIndexOf('[');
            if (open < 0)
            {
                throw new FormatException($"'{type}' is not an ABI type: unbalanced ']'.");
            }
            var inner = Parse(text[..open]);
            var digits = text[(open + 1)..^1];
            if (digits.Length == 0)
            {
                return Array(inner);
            }
            return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length > 0
                ? Array(inner, length)
                : throw new FormatException($"'{type}' is not an ABI type: '[{digits}]' is not an array length.");
        }
        if (text.StartsWith('('))
        {
            if (!text.EndsWith(')'))
            {
                throw new FormatException($"'{type}' is not an ABI type: unbalanced '('.");
            }
            var members = SplitTopLevel(text[1..^1], type);
            return Tuple(members.Select(ParseMember));
        }
        return ParseElementary(text) ?? throw new FormatException($"'{type}' is not an ABI type.");
    }

    /// <summary>
    /// A type from a JSON ABI parameter object: {"type": "tuple[]", "components": [...]} or {"type": "uint256"}.
    /// </summary>
    public static AbiType FromJson(JsonObject parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var type = parameter["type"]?.GetValue<string>() ?? throw new FormatException("An ABI parameter has no \"type\".");
        if (!type.StartsWith("tuple", StringComparison.Ordinal))
        {
            return Parse(type);
        }
        var components = parameter["components"] as JsonArray ?? throw new FormatException($"The tuple parameter '{parameter["name"]}' has no \"components\".");
        var tuple = Tuple(components.Select(c => ParameterFromJson(c as JsonObject ?? throw new FormatException("A tuple component is not an object."))));
        // "tuple[2][]": the suffixes apply to the tuple, innermost first.
        var result = tuple;
        var suffix = type["tuple".Length..];
        while (suffix.Length > 0)
        {
            var close = suffix.IndexOf(']', StringComparison.Ordinal);
            if (suffix[0] != '[' || close < 0)
            {
                throw new FormatException($"'{type}' is not an ABI type.");
            }
            var digits = suffix[1..close];
            result = digits.Length == 0
                ? Array(result)
                : int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length > 0
                    ? Array(result, length)
                    : throw new FormatException($"'{type}' is not an ABI type: '[{digits}]' is not an array length.");
            suffix = suffix[(close + 1)..];
        }
        return result;
    }

    /// <summary>A parameter (name, type, indexed) from a JSON ABI parameter object.</summary>
    public static AbiParameter ParameterFromJson(JsonObject parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return new AbiParameter(
            parameter["name"]?.GetValue<string>() ?? "",
            FromJson(parameter),
            parameter["indexed"]?.GetValue<bool>() ?? false);
    }

    public override string ToString() => CanonicalName;

    public override bool Equals(object? obj) => obj is AbiType other && other.CanonicalName == CanonicalName;

    public override int GetHashCode() => CanonicalName.GetHashCode(StringComparison.Ordinal);

    private static AbiParameter ParseMember(string member)
    {
        var text = member.Trim();
        // A trailing name ("address to") is split off at the last space outside parentheses and brackets.
        var space = text.LastIndexOf(' ');
        if (space > 0 && text.LastIndexOf(')') < space && text.LastIndexOf(']') < space)
        {
            return new AbiParameter(text[(space + 1)..], Parse(text[..space]));
        }
        return new AbiParameter("", Parse(text));
    }

    private static List<string> SplitTopLevel(string members, string whole)
    {
        var result = new List<string>();
        if (members.Trim().Length == 0)
        {
            return result;
        }
        var depth = 0;
        var start = 0;
        for (var i = 0; i < members.Length; i++)
        {
            switch (members[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    result.Add(members[start..i]);
                    start = i + 1;
                    break;
            }
            if (depth < 0)
            {
                throw new FormatException($"'{whole}' is not an ABI type: unbalanced ')'.");
            }
        }
        if (depth != 0)
        {
            throw new FormatException($"'{whole}' is not an ABI type: unbalanced '('.");
        }
        result.Add(members[start..]);
        return result;
    }

    private static AbiType? ParseElementary(string text)
    {
        switch (text)
        {
            case "address":
                return Address;
            case "bool":
                return Bool;
            case "string":
                return String;
            case "bytes":
                return Bytes;
            case "uint":
                return UInt256;
            case "int":
                return Int(256);
        }
        if (text.StartsWith("uint", StringComparison.Ordinal) && TryBits(text[4..], out var uintBits))
        {
            return UInt(uintBits);
        }
        if (text.StartsWith("int", StringComparison.Ordinal) && TryBits(text[3..], out var intBits))
        {
            return Int(intBits);
        }
        if (text.StartsWith("bytes", StringComparison.Ordinal)
            && int.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            && size is >= 1 and <= 32 && text[5] != '0')
        {
            return FixedBytes(size);
        }
        return null;
    }

    private static bool TryBits(string digits, out int bits)
        => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out bits)
           && digits[0] != '0' && bits is >= 8 and <= 256 && bits % 8 == 0;

    private static int CheckBits(int bits)
        => bits is >= 8 and <= 256 && bits % 8 == 0 ? bits : throw new FormatException($"{bits} bits is not an ABI integer size: it must be a multiple of 8 from 8 to 256.");
}
