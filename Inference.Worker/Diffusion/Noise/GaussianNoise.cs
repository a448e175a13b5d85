namespace Heurist.Inference.Worker.Diffusion.Noise;

/// <summary>
/// Standard normal noise from a 64-bit seed, the same on every machine.
/// </summary>
/// <remarks>
/// <para>Uniforms come from <see cref="Xoshiro256StarStar"/> seeded by SplitMix64. Normals come from the polar form of
/// the Box–Muller transform (Marsaglia and Bray, 1964): draw u, v uniform in [−1, 1) until s = u² + v² lies in (0, 1),
/// then u·√(−2 ln s / s) and v·√(−2 ln s / s) are two independent N(0, 1) values; the first is returned now and the
/// second on the next draw. The polar form needs no sine or cosine, the logarithm is <see cref="PortableMath.Log"/>
/// and the square root is IEEE's correctly rounded one, so no C-runtime function that may differ between operating
/// systems is involved. Each double is rounded to the nearest float when a span is filled.</para>
/// <para><c>tests/Inference.Worker.Tests/Diffusion/reference/noise.py</c> is an independent Python implementation of
/// the same algorithm; the tests compare the first values bit for bit.</para>
/// </remarks>
public sealed class GaussianNoise
{
    private readonly Xoshiro256StarStar _generator;
    private double? _spare;
    private (int Step, Xoshiro256StarStar Generator)? _lastStep;

    /// <summary>The stream that the seed starts: the one for the initial latents.</summary>
    public GaussianNoise(ulong seed)
        : this(seed, new Xoshiro256StarStar(seed))
    {
    }

    private GaussianNoise(ulong seed, Xoshiro256StarStar generator)
    {
        Seed = seed;
        _generator = generator;
    }

    public ulong Seed { get; }

    /// <summary>
    /// The independent stream for denoising step <paramref name="step"/> (0-based): the seed's generator advanced by
    /// (step + 1) · 2^128 outputs with xoshiro's jump function, so it never overlaps the initial-latent stream or
    /// another step's stream. It depends only on the seed and the step, not on what was drawn before.
    /// </summary>
    public GaussianNoise ForStep(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        // A pipeline asks for step 0, 1, 2… in order: start from the last step's jumped state rather than jumping
        // step + 1 times from the seed again (the same state either way).
        var (generator, jumped) = _lastStep is { } last && last.Step <= step
            ? (last.Generator.Clone(), last.Step + 1)
            : (new Xoshiro256StarStar(Seed), 0);
        for (var i = jumped; i <= step; i++)
        {
            generator.Jump();
        }
        _lastStep = (step, generator.Clone());
        return new GaussianNoise(Seed, generator);
    }

    /// <summary>The next N(0, 1) value.</summary>
    public double NextGaussian()
    {
        if (_spare is { } spare)
        {
            _spare = null;
            return spare;
        }
        var (u, v, s) = NextPolarPoint();
        var factor = Math.Sqrt(-2.0 * PortableMath.Log(s) / s);
        _spare = v * factor;
        return u * factor;
    }

    /// <summary>A point drawn uniformly in the unit disc, without its centre, and its squared radius.</summary>
    private (double U, double V, double S) NextPolarPoint()
    {
        double u, v, s;
        do
        {
            u = 2.0 * _generator.NextDouble() - 1.0;
            v = 2.0 * _generator.NextDouble() - 1.0;
            s = u * u + v * v;
        }
        while (s >= 1.0 || s == 0.0);
        return (u, v, s);
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with N(0, 1) values, in order: the values <see cref="NextGaussian"/> would
    /// give one by one, bit for bit, with the logarithms of a batch of points taken together in SIMD lanes
    /// (<see cref="PortableMath.BoxMullerFactors"/>), which the initial latents of a large image spend most of their
    /// time on.
    /// </summary>
    public void Fill(Span<float> destination)
    {
        var i = 0;
        if (_spare is { } spare && destination.Length > 0)
        {
            destination[i++] = (float)spare;
            _spare = null;
        }
        Span<double> u = stackalloc double[Batch];
        Span<double> v = stackalloc double[Batch];
        Span<double> s = stackalloc double[Batch];
        Span<double> factors = stackalloc double[Batch];
        while (i < destination.Length)
        {
            var pairs = Math.Min(Batch, (destination.Length - i + 1) / 2);
            for (var p = 0; p < pairs; p++)
            {
                (u[p], v[p], s[p]) = NextPolarPoint();
            }
            PortableMath.BoxMullerFactors(s[..pairs], factors[..pairs]);
            for (var p = 0; p < pairs; p++)
            {
                destination[i++] = (float)(u[p] * factors[p]);
                if (i < destination.Length)
                {
                    destination[i++] = (float)(v[p] * factors[p]);
                }
                else
                {
                    _spare = v[p] * factors[p];
                }
            }
        }
    }

    private const int Batch = 64;

    /// <summary>A new array of <paramref name="count"/> N(0, 1) values.</summary>
    public float[] Sample(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var values = new float[count];
        Fill(values);
        return values;
    }
}
