namespace Heurist.TinyModels;

/// <summary>
/// xoshiro256** seeded through SplitMix64: the same seed gives the same numbers on every machine and
/// every .NET version, which <see cref="Random"/> does not promise. Only integer arithmetic and exact
/// scaling are used, so the weights written from a seed are bit-for-bit reproducible.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public DeterministicRandom(long seed)
    {
        var state = unchecked((ulong)seed);
        _s0 = SplitMix64(ref state);
        _s1 = SplitMix64(ref state);
        _s2 = SplitMix64(ref state);
        _s3 = SplitMix64(ref state);
    }

    /// <summary>
    /// An independent stream for one named use of a seed (a model file, say), so that changing one model's
    /// graph leaves every other model's weights as they were.
    /// </summary>
    public static DeterministicRandom ForStream(long seed, string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // FNV-1a over the stream name's UTF-8 bytes.
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(stream))
        {
            hash = (hash ^ b) * 0x100000001B3UL;
        }
        return new DeterministicRandom(unchecked((long)(hash ^ ((ulong)seed * 0x9E3779B97F4A7C15UL))));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A float uniform in [0, 1), from the top 24 bits (every value is exact in float).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>A float uniform in [-bound, bound).</summary>
    public float NextUniform(float bound) => ((NextFloat() * 2f) - 1f) * bound;

    /// <summary>An array of <paramref name="count"/> floats uniform in [-bound, bound).</summary>
    public float[] Uniform(int count, float bound)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = NextUniform(bound);
        }
        return values;
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
