namespace Heurist.Contracts;

/// <summary>0x-prefixed hex, as Ethereum's JSON interfaces write bytes.</summary>
public static class Hex
{
    /// <summary>Lowercase hex with a 0x prefix; "0x" for no bytes.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    /// <summary>Decodes hex with or without a 0x prefix. Throws <see cref="FormatException"/> for an odd length or a non-hex digit.</summary>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return TryDecode(hex, out var bytes)
            ? bytes
            : throw new FormatException($"'{Shorten(hex)}' is not hex: expected an even number of hex digits after an optional 0x.");
    }

    /// <summary>Decodes hex with or without a 0x prefix; false for an odd length or a non-hex digit.</summary>
    public static bool TryDecode(string? hex, out byte[] bytes)
    {
        bytes = [];
        if (hex is null)
        {
            return false;
        }
        var digits = HasPrefix(hex) ? hex.AsSpan(2) : hex.AsSpan();
        if (digits.Length % 2 != 0)
        {
            return false;
        }
        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }
        bytes = Convert.FromHexString(digits);
        return true;
    }

    internal static bool HasPrefix(string text) => text.StartsWith("0x", StringComparison.Ordinal) || text.StartsWith("0X", StringComparison.Ordinal);

    internal static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}
