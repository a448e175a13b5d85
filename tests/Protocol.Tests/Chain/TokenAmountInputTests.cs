using System.Globalization;
using System.Numerics;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Chain;

namespace Heurist.Protocol.Tests.Chain;

public sealed class TokenAmountInputTests
{
    private static readonly BigInteger Balance = BigInteger.Parse("100000000000000000000", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("1", "1000000000000000000")]
    [InlineData("1.5", "1500000000000000000")]
    [InlineData(" 0.000000000000000001 ", "1")]
    [InlineData("1,000", "1000000000000000000000")]
    [InlineData(".25", "250000000000000000")]
    [InlineData("100", "100000000000000000000")]
    public void Amounts_are_read_into_exact_wei(string text, string wei)
    {
        var amount = TokenAmountInput.TryParse(text, "Amount", null, "", out var error);

        Assert.Null(error);
        Assert.Equal(BigInteger.Parse(wei, CultureInfo.InvariantCulture), amount);
    }

    [Theory]
    [InlineData("", "Amount: enter an amount.")]
    [InlineData("ten", "Amount: 'ten' is not a number.")]
    [InlineData("1.2.3", "Amount: '1.2.3' is not a number.")]
    [InlineData("1e18", "Amount: '1e18' is not a number.")]
    [InlineData(".", "Amount: '.' is not a number.")]
    [InlineData("0", "Amount must be more than zero.")]
    [InlineData("0.000", "Amount must be more than zero.")]
    [InlineData("-1", "Amount cannot be negative.")]
    [InlineData("0.0000000000000000001", "Amount has more than 18 decimals; the token has 18.")]
    [InlineData("100.000000000000000001", "Amount is more than your HEU balance (100).")]
    public void Bad_amounts_are_refused_with_a_sentence_naming_the_field(string text, string message)
    {
        var amount = TokenAmountInput.TryParse(text, "Amount", Balance, "your HEU balance", out var error);

        Assert.Null(amount);
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("1500000000000000000", "1.5")]
    [InlineData("1", "0.000000000000000001")]
    [InlineData("123456789000000000000000", "123456.789")]
    [InlineData("0", "0")]
    public void Max_writes_wei_as_text_that_reads_back_exactly(string wei, string text)
    {
        var value = BigInteger.Parse(wei, CultureInfo.InvariantCulture);

        Assert.Equal(text, TokenAmountInput.ToText(value));
        if (!value.IsZero)
        {
            Assert.Equal(value, TokenAmountInput.TryParse(text, "Amount", value, "", out _));
        }
    }

    [Fact]
    public void The_leaderboard_search_goes_into_the_api_path_and_is_bounded()
    {
        Assert.EndsWith("&q=rig%204090&page=1&pageSize=25", LeaderboardQueryRules.ToApiPath(new LeaderboardQuery(Search: "rig 4090")), StringComparison.Ordinal);
        Assert.Equal(["q"], LeaderboardQueryRules.Validate(new LeaderboardQuery(Search: new string('x', 101))).Keys);
    }
}
