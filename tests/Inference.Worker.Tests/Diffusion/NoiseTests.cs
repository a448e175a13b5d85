using Heurist.Inference.Worker.Diffusion.Noise;

namespace Heurist.Inference.Worker.Tests.Diffusion;

public sealed class NoiseTests
{
    // reference/noise.py implements SplitMix64, xoshiro256**, the polar Box–Muller method and the portable ln
    // from the papers, independently of the C#; its output is committed as reference/noise.json.
    private static readonly System.Text.Json.Nodes.JsonObject Reference = ReferenceData.Load("noise.json");

    public static TheoryData<int> Cases() => [0, 1, 2];

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_generator_gives_the_reference_uint64_values_for_a_seed(int index)
    {
        var item = Reference["cases"]![index]!;
        var generator = new Xoshiro256StarStar(ulong.Parse(item["seed"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));

        var expected = item["uint64"]!.AsArray().Select(n => n.Hex64()).ToArray();
        var actual = Enumerable.Range(0, expected.Length).Select(_ => generator.NextUInt64()).ToArray();

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_noise_gives_the_reference_floats_bit_for_bit_for_a_seed(int index)
    {
        var item = Reference["cases"]![index]!;
        var seed = ulong.Parse(item["seed"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(Bits(item["normals_float32_bits"]), Bits(new GaussianNoise(seed).Sample(9)));
        Assert.Equal(Bits(item["step0_float32_bits"]), Bits(new GaussianNoise(seed).ForStep(0).Sample(4)));
        Assert.Equal(Bits(item["step3_float32_bits"]), Bits(new GaussianNoise(seed).ForStep(3).Sample(4)));
    }

    [Fact]
    public void The_first_value_of_seed_zero_is_the_splitmix_seeded_xoshiro_output()
    {
        // SplitMix64 from 0 gives e220a8397b1dcdaf, 6e789e6aa1b965f4, 06c45d188009454f, f88bb8a8724c81ec (Vigna's
        // splitmix64.c), and xoshiro256**'s first output is rotl(s1·5, 7)·9.
        ulong state = 0;
        Assert.Equal(0xe220a8397b1dcdafUL, Xoshiro256StarStar.SplitMix64(ref state));
        Assert.Equal(0x6e789e6aa1b965f4UL, Xoshiro256StarStar.SplitMix64(ref state));
        var expected = unchecked(System.Numerics.BitOperations.RotateLeft(0x6e789e6aa1b965f4UL * 5, 7) * 9);
        Assert.Equal(expected, new Xoshiro256StarStar(0).NextUInt64());
    }

    [Fact]
    public void The_portable_logarithm_gives_the_reference_bits()
    {
        foreach (var item in Reference["log"]!.AsArray())
        {
            var x = item!["x"]!.GetValue<double>();
            Assert.Equal(item["ln_bits"].Hex64(), (ulong)BitConverter.DoubleToInt64Bits(PortableMath.Log(x)));
            Assert.Equal(Math.Log(x), PortableMath.Log(x), Math.Abs(Math.Log(x)) * 1e-15 + 1e-300);
        }
    }

    [Fact]
    public void A_hundred_thousand_samples_have_mean_zero_and_variance_one()
    {
        var values = new GaussianNoise(2024).Sample(100_000);
        var mean = values.Average(v => (double)v);
        var variance = values.Average(v => (v - mean) * (v - mean));

        // The standard error of the mean is 1/√n ≈ 0.0032 and of the variance √(2/n) ≈ 0.0045; allow 4 of them.
        Assert.InRange(mean, -0.013, 0.013);
        Assert.InRange(variance, 1 - 0.018, 1 + 0.018);
        // About 68.27 % of a normal lies within one standard deviation.
        Assert.InRange(values.Count(v => Math.Abs(v) < 1) / 100_000.0, 0.6827 - 0.006, 0.6827 + 0.006);
    }

    [Fact]
    public void The_same_seed_gives_the_same_noise_and_different_seeds_differ()
    {
        Assert.Equal(new GaussianNoise(7).Sample(64), new GaussianNoise(7).Sample(64));
        Assert.NotEqual(new GaussianNoise(7).Sample(64), new GaussianNoise(8).Sample(64));
    }

    [Fact]
    public void Step_streams_depend_only_on_seed_and_step_and_differ_from_each_other()
    {
        var root = new GaussianNoise(99);
        var before = root.ForStep(2).Sample(16);
        root.Sample(1000);

        Assert.Equal(before, root.ForStep(2).Sample(16));
        Assert.NotEqual(root.ForStep(1).Sample(16), root.ForStep(2).Sample(16));
        Assert.NotEqual(new GaussianNoise(99).Sample(16), new GaussianNoise(99).ForStep(0).Sample(16));
        Assert.Throws<ArgumentOutOfRangeException>(() => root.ForStep(-1));
    }

    [Fact]
    public void Step_streams_are_the_same_whatever_order_the_steps_are_asked_in()
    {
        var fresh = Enumerable.Range(0, 6).Select(step => new GaussianNoise(5).ForStep(step).Sample(8)).ToList();
        var inOrder = new GaussianNoise(5);
        var backwards = new GaussianNoise(5);
        var skipping = new GaussianNoise(5);

        Assert.Equal(fresh, Enumerable.Range(0, 6).Select(step => inOrder.ForStep(step).Sample(8)));
        Assert.Equal(fresh, Enumerable.Range(0, 6).Reverse().Select(step => backwards.ForStep(step).Sample(8)).Reverse());
        Assert.Equal([fresh[4], fresh[1], fresh[5], fresh[5]], new[] { 4, 1, 5, 5 }.Select(step => skipping.ForStep(step).Sample(8)));
    }

    [Fact]
    public void Filling_in_two_parts_continues_the_same_sequence()
    {
        var whole = new GaussianNoise(5).Sample(11);
        var noise = new GaussianNoise(5);
        var parts = noise.Sample(3).Concat(noise.Sample(8)).ToArray();

        Assert.Equal(whole, parts);
    }

    [Theory]
    [InlineData(1L, new[] { 16_384 })]
    [InlineData(2L, new[] { 1, 1, 1, 130, 7, 129 })]
    [InlineData(3L, new[] { 0, 3, 0, 255, 2, 1_000 })]
    [InlineData(4L, new[] { 65_536 })]
    public void Filling_spans_gives_the_one_by_one_values_bit_for_bit_whatever_the_lengths(long seed, int[] lengths)
    {
        // Fill takes the logarithms of a batch of points in SIMD lanes; the values must be NextGaussian's, in order,
        // including across an odd length (the pair's second value kept for the next call).
        var filled = new GaussianNoise((ulong)seed);
        var oneByOne = new GaussianNoise((ulong)seed);
        foreach (var length in lengths)
        {
            var values = new float[length];
            filled.Fill(values);
            var expected = Enumerable.Range(0, length).Select(_ => (float)oneByOne.NextGaussian()).ToArray();
            Assert.Equal(Bits(expected), Bits(values));
        }
        Assert.Equal(oneByOne.NextGaussian(), filled.NextGaussian());
    }

    [Fact]
    public void The_simd_box_muller_factors_equal_the_scalar_ones_for_extreme_radii()
    {
        double[] radii = [double.Epsilon, 1e-300, 2.2250738585072014E-308, 1e-10, 0.5, Math.BitDecrement(1.0), 0.7071067811865476, 0.7071067811865475, 0.25, 1e-5, 0.999, 0.123456789];
        var factors = new double[radii.Length];

        PortableMath.BoxMullerFactors(radii, factors);

        Assert.Equal(radii.Select(s => BitConverter.DoubleToInt64Bits(Math.Sqrt(-2.0 * PortableMath.Log(s) / s))), factors.Select(BitConverter.DoubleToInt64Bits));
    }

    private static uint[] Bits(System.Text.Json.Nodes.JsonNode? node) => node!.AsArray().Select(n => n.Hex32()).ToArray();

    private static uint[] Bits(float[] values) => values.Select(BitConverter.SingleToUInt32Bits).ToArray();
}
