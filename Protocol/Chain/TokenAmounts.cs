using System.Globalization;
using System.Numerics;

namespace Heurist.Protocol.Chain;

/// <summary>Token amounts as people read them; the pages and the revert messages write them the same way.</summary>
public static class TokenAmounts
{
    /// <summary>
    /// A token amount in its smallest unit (wei for 18 decimals) as whole tokens: thousands separators and at most
    /// four decimals, cut rather than rounded so it never shows more than there is ("1.5", "1,234.5678", "0";
    /// "&lt; 0.0001" for a dust amount).
    /// </summary>
    public static string Format(BigInteger amount, int decimals = 18)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        var sign = amount.Sign < 0 ? "-" : "";
        var whole = BigInteger.DivRem(BigInteger.Abs(amount), BigInteger.Pow(10, decimals), out var fraction);
        var digits = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0');
        var shown = digits[..Math.Min(4, decimals)].TrimEnd('0');
        if (whole.IsZero && shown.Length == 0)
        {
            return fraction.IsZero ? "0" : sign.Length == 0 ? "< 0.0001" : "> -0.0001";
        }
        var text = sign + whole.ToString("N0", CultureInfo.InvariantCulture);
        return shown.Length == 0 ? text : $"{text}.{shown}";
    }
}
