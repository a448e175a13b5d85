using Heurist.Protocol.Chain;

namespace Heurist.Protocol.Tests.Chain;

public sealed class TokenAmountsTests
{
    [Theory]
    [InlineData("1500000000000000000", "1.5")]
    [InlineData("0", "0")]
    [InlineData("1000000000000000000", "1")]
    [InlineData("1234567891234567891234567", "1,234,567.8912")]
    // Cut, not rounded: 0.99999 never shows as 1.
    [InlineData("999990000000000000", "0.9999")]
    [InlineData("100000000000000", "0.0001")]
    [InlineData("99999999999999", "< 0.0001")]
    [InlineData("1", "< 0.0001")]
    [InlineData("-2500000000000000000", "-2.5")]
    public void Token_amounts_are_written_in_whole_tokens_of_18_decimals(string wei, string expected)
        => Assert.Equal(expected, TokenAmounts.Format(System.Numerics.BigInteger.Parse(wei, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Token_amounts_follow_the_decimals_given()
    {
        Assert.Equal("1.5", TokenAmounts.Format(1_500_000, decimals: 6));
        Assert.Equal("42", TokenAmounts.Format(42, decimals: 0));
    }
}
