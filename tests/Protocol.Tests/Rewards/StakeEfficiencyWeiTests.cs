using System.Globalization;
using System.Numerics;
using CsCheck;
using Heurist.Protocol.Points;
using Heurist.Protocol.Rewards;

namespace Heurist.Protocol.Tests.Rewards;

public sealed class StakeEfficiencyWeiTests
{
    private static readonly BigInteger Token = BigInteger.Pow(10, 18);

    private static BigInteger Wei(string tokens)
    {
        var value = decimal.Parse(tokens, CultureInfo.InvariantCulture);
        return new BigInteger(value * 1_000_000_000_000_000_000m);
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("9999.99", "0")]
    [InlineData("9999.999999999999999999", "0")]
    [InlineData("10000", "0.1")]
    [InlineData("25000", "0.25")]
    [InlineData("99999.999999999999999999", "0.99999999999999999999999")]
    [InlineData("100000", "1")]
    [InlineData("100000.000000000000000001", "1")]
    [InlineData("500000000", "1")]
    public void Efficiency_is_zero_below_10k_tokens_then_stake_over_100k_up_to_one(string tokens, string expected)
    {
        var numerator = StakeEfficiencyWei.Numerator(Wei(tokens));
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), StakeEfficiencyWei.ToDecimal(numerator));
    }

    [Fact]
    public void The_numerator_is_the_stake_itself_between_the_edges()
    {
        Assert.Equal(BigInteger.Zero, StakeEfficiencyWei.Numerator(10_000 * Token - 1));
        Assert.Equal(10_000 * Token, StakeEfficiencyWei.Numerator(10_000 * Token));
        Assert.Equal(100_000 * Token - 1, StakeEfficiencyWei.Numerator(100_000 * Token - 1));
        Assert.Equal(100_000 * Token, StakeEfficiencyWei.Numerator(100_000 * Token));
        Assert.Equal(100_000 * Token, StakeEfficiencyWei.Numerator(BigInteger.Pow(10, 27)));
        Assert.Equal(100_000 * Token, StakeEfficiencyWei.FullStakeWei);
        Assert.Equal(10_000 * Token, StakeEfficiencyWei.MinimumStakeWei);
    }

    [Fact]
    public void A_negative_stake_is_refused()
        => Assert.Equal("totalStakeWei", Assert.Throws<ArgumentOutOfRangeException>(() => StakeEfficiencyWei.Numerator(-1)).ParamName);

    [Fact]
    public void It_agrees_with_the_decimal_rule_on_stakes_in_whole_and_fractional_tokens()
    {
        // Stakes from 0 to 200,000 tokens with up to 6 decimals, and the edges themselves.
        var tokens = Gen.Frequency(
            (4, Gen.Long[0, 200_000_000_000].Select(micro => micro / 1_000_000m)),
            (1, Gen.OneOf(Gen.Const(9_999.999999m), Gen.Const(10_000m), Gen.Const(99_999.999999m), Gen.Const(100_000m))));
        tokens.Sample(stake =>
        {
            var wei = new BigInteger(stake * 1_000_000_000_000_000_000m);
            Assert.Equal(StakeEfficiency.For(stake), StakeEfficiencyWei.ToDecimal(StakeEfficiencyWei.Numerator(wei)));
        }, iter: 5_000);
    }
}
