using System.Numerics;

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

    // 1/(2k + 1), each the correctly rounded quotient the series used to divide out on every call: the same bits, and
    // a logarithm without fourteen divisions (the noise for a 512² image takes 8,192 of them).
    private static readonly double[] Reciprocals = [.. Enumerable.Range(0, SeriesTerms).Select(k => 1.0 / (2 * k + 1))];

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
        var series = Reciprocals[SeriesTerms - 1];
        for (var k = SeriesTerms - 2; k >= 0; k--)
        {
            series = Reciprocals[k] + s2 * series;
        }
        var logM = 2.0 * s * series;
        return e * Ln2High + (e * Ln2Low + logM);
    }

    /// <summary>
    /// √(−2 ln s / s) for each s in (0, 1): the polar Box–Muller factor, with <see cref="Log"/>'s exact sequence of
    /// operations done in SIMD lanes (each lane's additions, multiplications, divisions and square roots are IEEE's
    /// correctly rounded ones, and nothing is fused), so every factor has the bits the scalar code gives.
    /// </summary>
    public static void BoxMullerFactors(ReadOnlySpan<double> s, Span<double> factors)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<double>.Count <= s.Length; i += Vector<double>.Count)
            {
                var x = new Vector<double>(s[i..]);
                if (!TryLog(x, out var log))
                {
                    break;
                }
                Vector.SquareRoot(Vector.Multiply(-2.0, log) / x).CopyTo(factors[i..]);
            }
        }
        for (; i < s.Length; i++)
        {
            factors[i] = Math.Sqrt(-2.0 * Log(s[i]) / s[i]);
        }
    }

    /// <summary><see cref="Log"/> in every lane; false when a lane is subnormal (left to the scalar code).</summary>
    private static bool TryLog(Vector<double> x, out Vector<double> log)
    {
        var bits = Vector.AsVectorInt64(x);
        var biased = Vector.ShiftRightLogical(bits, 52) & new Vector<long>(0x7ff);
        if (Vector.EqualsAny(biased, Vector<long>.Zero))
        {
            log = default;
            return false;
        }
        var e = biased - new Vector<long>(1023);
        var m = Vector.AsVectorDouble((bits & new Vector<long>(0x000f_ffff_ffff_ffffL)) | new Vector<long>(0x3ff0_0000_0000_0000L));
        var above = Vector.GreaterThan(m, new Vector<double>(Sqrt2));
        m = Vector.ConditionalSelect(above, m * 0.5, m);
        e -= above; // true lanes are −1: e + 1
        var f = m - Vector<double>.One;
        var t = f / (new Vector<double>(2.0) + f);
        var t2 = t * t;
        var series = new Vector<double>(Reciprocals[SeriesTerms - 1]);
        for (var k = SeriesTerms - 2; k >= 0; k--)
        {
            series = new Vector<double>(Reciprocals[k]) + t2 * series;
        }
        var logM = Vector.Multiply(2.0, t) * series;
        var exponent = Vector.ConvertToDouble(e);
        log = exponent * Ln2High + (exponent * Ln2Low + logM);
        return true;
    }
}
