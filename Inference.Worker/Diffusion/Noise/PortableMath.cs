namespace Heurist.Inference.Worker.Diffusion.Noise;

/// <summary>
/// A natural logarithm made only of IEEE-754 additions, multiplications, divisions and bit moves, each of which is
/// correctly rounded, so it gives the same bits on every machine. Math.Log calls the C runtime's log (glibc, the
/// Windows UCRT, Apple's libm), and those may differ in the last bit; a seed must give the same noise everywhere.
/// </summary>
internal static class PortableMath
{
    // ln 2 split as fdlibm does: the high part has 21 trailing zero bits, so e · Ln2High is exact for |e| < 2^21.
    private static readonly double Ln2High = BitConverter.Int64BitsToDouble(0x3fe62e42fee00000);
    private static readonly double Ln2Low = BitConverter.Int64BitsToDouble(0x3dea39ef35793c76);
    private const double Sqrt2 = 1.4142135623730951;
    private const int SeriesTerms = 14;

    /// <summary>
    /// ln x for a positive finite x. x = m · 2^e with m in [√½, √2]; ln m = 2 atanh(s) with s = (m − 1)/(m + 1),
    /// |s| ≤ 0.1716, summed as 2s · Σ s^(2k)/(2k+1) for k below 14 (the first term left out is below 10^-21).
    /// Accurate to a few units in the last place; its purpose is reproducibility, not the last bit.
    /// </summary>
    public static double Log(double x)
    {
        if (!(x > 0) || double.IsPositiveInfinity(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "The logarithm is taken of positive finite numbers only.");
        }
        var bits = BitConverter.DoubleToInt64Bits(x);
        var exponentOffset = 0;
        if ((bits >> 52) == 0)
        {
            // A subnormal: scale into the normal range first.
            x *= 18014398509481984.0; // 2^54
            bits = BitConverter.DoubleToInt64Bits(x);
            exponentOffset = -54;
        }
        var e = (int)((bits >> 52) & 0x7ff) - 1023 + exponentOffset;
        var m = BitConverter.Int64BitsToDouble((bits & 0x000f_ffff_ffff_ffffL) | 0x3ff0_0000_0000_0000L);
        if (m > Sqrt2)
        {
            m *= 0.5;
            e += 1;
        }
        var f = m - 1.0;
        var s = f / (2.0 + f);
        var s2 = s * s;
        var series = 1.0 / (2 * (SeriesTerms - 1) + 1);
        for (var k = SeriesTerms - 2; k >= 0; k--)
        {
            series = 1.0 / (2 * k + 1) + s2 * series;
        }
        var logM = 2.0 * s * series;
        return e * Ln2High + (e * Ln2Low + logM);
    }
}
