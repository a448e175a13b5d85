using System.Numerics;

namespace Heurist.Inference.Worker.Diffusion.Noise;

/// <summary>
/// xoshiro256** 1.0 (Blackman and Vigna, "Scrambled linear pseudorandom number generators", 2018), seeded with four
/// successive outputs of SplitMix64 (Steele, Lea and Flood, 2014) as its authors recommend. Only integer operations,
/// so every machine produces the same sequence for the same seed.
/// </summary>
public sealed class Xoshiro256StarStar
{
    // The published jump polynomial: one Jump() advances the state by 2^128 outputs.
    private static readonly ulong[] JumpPolynomial =
        [0x180ec6d33cfd0abaUL, 0xd5a61266f0c9392cUL, 0xa9582618e03fc9aaUL, 0x39abdc4529b1661cUL];

    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public Xoshiro256StarStar(ulong seed)
    {
        var splitMix = seed;
        _s0 = SplitMix64(ref splitMix);
        _s1 = SplitMix64(ref splitMix);
        _s2 = SplitMix64(ref splitMix);
        _s3 = SplitMix64(ref splitMix);
    }

    private Xoshiro256StarStar(Xoshiro256StarStar other)
        => (_s0, _s1, _s2, _s3) = (other._s0, other._s1, other._s2, other._s3);

    /// <summary>A generator in the same state, which then goes on independently.</summary>
    public Xoshiro256StarStar Clone() => new(this);

    /// <summary>SplitMix64: adds the golden-ratio increment to <paramref name="state"/> and returns the mixed value.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        unchecked
        {
            state += 0x9e3779b97f4a7c15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
            return z ^ (z >> 31);
        }
    }

    public ulong NextUInt64()
    {
        unchecked
        {
            var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
            var t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = BitOperations.RotateLeft(_s3, 45);
            return result;
        }
    }

    /// <summary>A double in [0, 1): the top 53 bits times 2^-53, which is exact.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Advances the state by 2^128 outputs, giving a subsequence that does not overlap the one before it.</summary>
    public void Jump()
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        foreach (var word in JumpPolynomial)
        {
            for (var bit = 0; bit < 64; bit++)
            {
                if ((word & (1UL << bit)) != 0)
                {
                    t0 ^= _s0;
                    t1 ^= _s1;
                    t2 ^= _s2;
                    t3 ^= _s3;
                }
                NextUInt64();
            }
        }
        (_s0, _s1, _s2, _s3) = (t0, t1, t2, t3);
    }
}
