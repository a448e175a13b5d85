using System.Globalization;
using System.Numerics;

namespace Heurist.Protocol.Chain;

/// <summary>
/// What a person types into an amount field, read into wei (18 decimals) exactly, with a sentence that names the
/// field when it cannot be sent: empty, not a number, zero or negative, more than 18 decimals, or above what is there.
/// </summary>
public static class TokenAmountInput
{
    public const int Decimals = 18;

    /// <summary>The amount in wei, or null with <paramref name="error"/> saying why (using <paramref name="field"/> as the field's name).</summary>
    /// <param name="text">The field's text: digits with an optional '.' and fraction; ',' and '_' group thousands.</param>
    /// <param name="field">The field's label, as the sentence starts with it ("Amount").</param>
    /// <param name="available">The most the amount may be (a balance, a stake); null for no bound.</param>
    /// <param name="availableWhat">What <paramref name="available"/> is, for the sentence ("your HEU balance").</param>
    /// <param name="error">Why the text is not an amount that can be sent; null when it is.</param>
    public static BigInteger? TryParse(string? text, string field, BigInteger? available, string availableWhat, out string? error)
    {
        error = null;
        var trimmed = (text ?? "").Trim().Replace(",", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (trimmed.Length == 0)
        {
            error = $"{field}: enter an amount.";
            return null;
        }
        var negative = trimmed.StartsWith('-');
        var unsigned = negative || trimmed.StartsWith('+') ? trimmed[1..] : trimmed;
        var point = unsigned.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? unsigned : unsigned[..point];
        var fraction = point < 0 ? "" : unsigned[(point + 1)..];
        if ((whole.Length == 0 && fraction.Length == 0) || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit))
        {
            error = $"{field}: '{text?.Trim()}' is not a number.";
            return null;
        }
        if (fraction.Length > Decimals)
        {
            error = $"{field} has more than {Decimals} decimals; the token has {Decimals}.";
            return null;
        }
        var wei = BigInteger.Parse("0" + whole + fraction.PadRight(Decimals, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        if (negative && !wei.IsZero)
        {
            error = $"{field} cannot be negative.";
            return null;
        }
        if (wei.IsZero)
        {
            error = $"{field} must be more than zero.";
            return null;
        }
        if (available is { } most && wei > most)
        {
            error = $"{field} is more than {availableWhat} ({TokenAmounts.Format(most)}).";
            return null;
        }
        return wei;
    }

    /// <summary>Wei as a plain decimal number that <see cref="TryParse"/> reads back exactly: no separators, no trailing zeros ("1.5").</summary>
    public static string ToText(BigInteger wei)
    {
        var whole = BigInteger.DivRem(BigInteger.Abs(wei), BigInteger.Pow(10, Decimals), out var fraction);
        var digits = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(Decimals, '0').TrimEnd('0');
        var text = (wei.Sign < 0 ? "-" : "") + whole.ToString(CultureInfo.InvariantCulture);
        return digits.Length == 0 ? text : $"{text}.{digits}";
    }
}
