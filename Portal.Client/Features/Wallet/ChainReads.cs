using System.Globalization;
using System.Numerics;

namespace Heurist.Portal.Client.Features.Wallet;

/// <summary>The few pieces of the Ethereum ABI and JSON-RPC the browser needs for its reads.</summary>
public static class ChainReads
{
    /// <summary>The selector of ERC-20 balanceOf(address): the first four bytes of its signature's Keccak-256.</summary>
    public const string BalanceOfSelector = "0x70a08231";

    /// <summary>The eth_call data of balanceOf(<paramref name="owner"/>): the selector and the address padded to 32 bytes.</summary>
    public static string BalanceOfCallData(string owner)
    {
        if (!Eip55.IsAddress(owner))
        {
            throw new ArgumentException($"'{owner}' is not a 0x-prefixed, 20-byte address.", nameof(owner));
        }
        return BalanceOfSelector + new string('0', 24) + owner[2..].ToLowerInvariant();
    }

    /// <summary>
    /// A JSON-RPC quantity or a uint256 return value ("0x1bc16d674ec80000", "0x" and 64 digits) as a number; null when
    /// the text is not 0x-prefixed hex with at least one digit (an eth_call to an address without code answers "0x").
    /// </summary>
    public static BigInteger? ParseUint(string? hex)
    {
        if (hex is not { Length: > 2 } || !hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        // A leading zero keeps the number positive whatever its first digit.
        return BigInteger.TryParse("0" + hex[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>An EIP-695 chain id ("0x7a69") as a number; null when it is not one.</summary>
    public static ulong? ParseChainId(string? hex)
        => ParseUint(hex) is { } value && value <= ulong.MaxValue ? (ulong)value : null;
}
