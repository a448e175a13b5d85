using Heurist.Protocol.Points;

namespace Heurist.Protocol.Tests.Points;

public sealed class WaifuPointsTests
{
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    // One SD 1.5 image of 512×512 at 20 steps is one point before the 0.3 multiplier.
    [InlineData(512, 512, 20, "0.3", "0.3")]
    [InlineData(512, 512, 20, "1", "1")]
    // 1024² is 6 times 512² (the calibrated multiplier, not 4).
    [InlineData(1024, 1024, 20, "1", "6")]
    // Linear in pixels between: 768² = 589,824 px → 1 + 5 × 327,680 / 786,432.
    [InlineData(768, 768, 20, "1", "3.0833333333333333333333333333")]
    // And past 1024²: 2048² → 1 + 5 × 3,932,160 / 786,432 = 26.
    [InlineData(2048, 2048, 20, "1", "26")]
    // Linear in steps: 40 steps pay double.
    [InlineData(1024, 1024, 40, "10", "120")]
    [InlineData(512, 512, 50, "1.2", "3")]
    public void Points_follow_pixels_steps_and_the_multiplier(int width, int height, int steps, string multiplier, string expected)
        => Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            WaifuPoints.For(width, height, steps, decimal.Parse(multiplier, System.Globalization.CultureInfo.InvariantCulture), Fast, Deadline));

    [Theory]
    [InlineData(512, 512, 19)]
    [InlineData(504, 512, 30)]
    [InlineData(64, 64, 50)]
    [InlineData(1016, 256, 30)]
    public void Fewer_than_20_steps_or_fewer_pixels_than_512_squared_earn_nothing(int width, int height, int steps)
        => Assert.Equal(0m, WaifuPoints.For(width, height, steps, 1m, Fast, Deadline));

    [Fact]
    public void The_pixel_floor_is_the_pixel_count_not_each_side()
        => Assert.Equal(1.5m, WaifuPoints.For(1024, 256, 30, 1m, Fast, Deadline));

    [Fact]
    public void A_job_slower_than_its_deadline_earns_nothing_and_one_on_the_deadline_earns()
    {
        Assert.Equal(0m, WaifuPoints.For(1024, 1024, 30, 1m, Deadline + TimeSpan.FromMilliseconds(1), Deadline));
        Assert.Equal(9m, WaifuPoints.For(1024, 1024, 30, 1m, Deadline, Deadline));
    }
}

public sealed class LlamaPointsTests
{
    [Theory]
    [InlineData(600, 400, "1", "1")]
    [InlineData(500, 500, "0.24", "0.24")]
    [InlineData(2000, 3000, "0.2", "1")]
    [InlineData(0, 0, "1", "0")]
    [InlineData(1, 0, "1", "0.001")]
    public void One_point_is_a_thousand_tokens_in_and_out_times_the_multiplier(long input, long output, string multiplier, string expected)
        => Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            LlamaPoints.For(input, output, decimal.Parse(multiplier, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Negative_token_counts_are_refused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => LlamaPoints.For(-1, 10, 1m));
}

public sealed class StakeEfficiencyTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("9999.999999", "0")]
    [InlineData("10000", "0.1")]
    [InlineData("25000", "0.25")]
    [InlineData("99999", "0.99999")]
    [InlineData("100000", "1")]
    [InlineData("5000000", "1")]
    public void Efficiency_is_zero_below_10k_then_stake_over_100k_up_to_one(string stake, string expected)
        => Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            StakeEfficiency.For(decimal.Parse(stake, System.Globalization.CultureInfo.InvariantCulture)));
}
