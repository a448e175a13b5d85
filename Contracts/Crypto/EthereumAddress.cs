using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Heurist.Contracts.Crypto;

/// <summary>
/// A 20-byte Ethereum account or contract address. Equal when the bytes are equal; prints in its EIP-55 checksummed form.
/// The default value is the zero address.
/// </summary>
public readonly record struct EthereumAddress
{
    /// <summary>The length of an address in bytes.</summary>
    public const int Length = 20;

    private readonly byte[]? _bytes;

    /// <summary>An address from exactly 20 bytes.</summary>
    public EthereumAddress(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new InvalidAddressException($"An address has {Length} bytes, got {bytes.Length}.");
        }
        _bytes = bytes.ToArray();
    }

    /// <summary>0x0000000000000000000000000000000000000000.</summary>
    public static EthereumAddress Zero => default;

    /// <summary>The address's 20 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? new byte[Length];

    /// <summary>A copy of the address's 20 bytes.</summary>
    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>
    /// Parses 0x followed by 40 hex digits. All-lowercase and all-uppercase digits are accepted as they are;
    /// mixed case must match the EIP-55 checksum.
    /// </summary>
    /// <exception cref="InvalidAddressException">The text is not an address; the message says why.</exception>
    public static EthereumAddress Parse(string text)
    {
        var error = TryParseCore(text, out var address);
        return error is null ? address : throw new InvalidAddressException(error);
    }

    /// <summary>Like <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out EthereumAddress address)
        => TryParseCore(text, out address) is null;

    /// <summary>The address of an uncompressed secp256k1 public key: 65 bytes starting with 0x04, or the 64 bytes of X and Y.</summary>
    public static EthereumAddress FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        var xy = publicKey.Length switch
        {
            65 when publicKey[0] == 0x04 => publicKey[1..],
            64 => publicKey,
            _ => throw new ArgumentException(
                $"An uncompressed public key has 65 bytes starting with 0x04, or 64 bytes; got {publicKey.Length}.", nameof(publicKey)),
        };
        return new EthereumAddress(Keccak256.Hash(xy).AsSpan(12));
    }

    /// <summary>The EIP-55 checksummed form, e.g. 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed.</summary>
    public override string ToString() => Checksum(Convert.ToHexStringLower(Bytes));

    /// <summary>The all-lowercase hex form, as JSON-RPC parameters are usually written.</summary>
    public string ToLowerHex() => "0x" + Convert.ToHexStringLower(Bytes);

    public bool Equals(EthereumAddress other) => Bytes.SequenceEqual(other.Bytes);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    private static string? TryParseCore(string? text, out EthereumAddress address)
    {
        address = default;
        if (text is null)
        {
            return "An address is required, got null.";
        }
        var shown = Hex.Shorten(text);
        if (!text.StartsWith("0x", StringComparison.Ordinal))
        {
            return $"'{shown}' is not an address: it must start with 0x.";
        }
        var digits = text.AsSpan(2);
        if (digits.Length != 2 * Length)
        {
            return $"'{shown}' is not an address: expected 40 hex digits after 0x, got {digits.Length}.";
        }
        bool anyLower = false, anyUpper = false;
        for (var i = 0; i < digits.Length; i++)
        {
            var c = digits[i];
            if (!char.IsAsciiHexDigit(c))
            {
                return $"'{shown}' is not an address: '{c}' at position {i + 2} is not a hex digit.";
            }
            anyLower |= char.IsAsciiLetterLower(c);
            anyUpper |= char.IsAsciiLetterUpper(c);
        }
        address = new EthereumAddress(Convert.FromHexString(digits));
        if (anyLower && anyUpper)
        {
            var expected = address.ToString();
            if (!string.Equals(expected, text, StringComparison.Ordinal))
            {
                address = default;
                return $"'{text}' has mixed-case hex that does not match its EIP-55 checksum (expected {expected}); a typo is likely.";
            }
        }
        return null;
    }

    private static string Checksum(string lowerHex)
    {
        var hash = Keccak256.Hash(Encoding.ASCII.GetBytes(lowerHex));
        var result = new StringBuilder("0x", 42);
        for (var i = 0; i < lowerHex.Length; i++)
        {
            var nibble = (i % 2 == 0 ? hash[i / 2] >> 4 : hash[i / 2]) & 0x0f;
            result.Append(nibble >= 8 ? char.ToUpperInvariant(lowerHex[i]) : lowerHex[i]);
        }
        return result.ToString();
    }
}
