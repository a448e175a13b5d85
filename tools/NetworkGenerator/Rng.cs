namespace Heurist.NetworkGenerator;

/// <summary>
/// Seeded randomness with the distributions the generator needs. Each miner gets streams of its own, derived from
/// the seed and the miner's index, so one miner's data does not depend on how many draws another took.
/// </summary>
#pragma warning disable CA5394 // Synthetic test data: reproducible from a seed, nothing secret.
internal sealed class Rng(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>A seed for stream <paramref name="stream"/> of item <paramref name="index"/>, well mixed (SplitMix64).</summary>
    public static int Derive(int seed, int stream, long index)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)stream * 0xBF58476D1CE4E5B9UL + (ulong)index * 0x94D049BB133111EBUL);
        x ^= x >> 30;
        x = unchecked(x * 0xBF58476D1CE4E5B9UL);
        x ^= x >> 27;
        x = unchecked(x * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return unchecked((int)x);
    }

    public static Rng For(int seed, int stream, long index) => new(Derive(seed, stream, index));

    /// <summary>Uniform in [0, 1).</summary>
    public double Next() => _random.NextDouble();

    public bool Chance(double probability) => _random.NextDouble() < probability;

    public int Int(int maxExclusive) => _random.Next(maxExclusive);

    public int Int(int min, int maxInclusive) => _random.Next(min, maxInclusive + 1);

    public long Long(long min, long maxExclusive) => _random.NextInt64(min, maxExclusive);

    public double Uniform(double min, double max) => min + (max - min) * _random.NextDouble();

    /// <summary>Uniform on a log scale: as likely to be between 1 and 10 as between 10 and 100.</summary>
    public double LogUniform(double min, double max) => Math.Exp(Uniform(Math.Log(min), Math.Log(max)));

    public double Normal()
    {
        // Box–Muller; 1 − u keeps the logarithm finite.
        var u = 1 - _random.NextDouble();
        var v = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <summary>Log-normal with the given median and the standard deviation of its logarithm.</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * Normal());

    public double Exponential(double mean) => -mean * Math.Log(1 - _random.NextDouble());

    /// <summary>Pareto with minimum 1 and tail index <paramref name="alpha"/>: a few very large values.</summary>
    public double Pareto(double alpha) => Math.Pow(1 - _random.NextDouble(), -1 / alpha);

    public int Poisson(double mean)
    {
        // Knuth's method; the means used here are small.
        var limit = Math.Exp(-mean);
        var (count, product) = (0, _random.NextDouble());
        while (product > limit)
        {
            count++;
            product *= _random.NextDouble();
        }
        return count;
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>An index drawn with probability proportional to its weight.</summary>
    public int Weighted(IReadOnlyList<double> weights)
    {
        var total = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            total += weights[i];
        }
        var target = _random.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            target -= weights[i];
            if (target < 0)
            {
                return i;
            }
        }
        return weights.Count - 1;
    }

    public void Fill(Span<byte> bytes) => _random.NextBytes(bytes);

    /// <summary>Lowercase hex of <paramref name="byteCount"/> random bytes.</summary>
    public string Hex(int byteCount)
    {
        Span<byte> bytes = stackalloc byte[byteCount];
        _random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>A random (version 4) GUID, reproducible from the seed.</summary>
    public Guid Guid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
#pragma warning restore CA5394
