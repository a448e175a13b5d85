using System.Numerics;
using System.Text;
using Heurist.Protocol.Chain;

namespace Heurist.Protocol.Tests.Chain;

public sealed class RevertReasonsTests
{
    private static string Word(BigInteger value) => value.ToString("x64").PadLeft(64, '0')[^64..];

    private static string Data(string selector, params BigInteger[] words) => selector + string.Concat(words.Select(Word));

    private static readonly BigInteger Wei = BigInteger.Pow(10, 18);

    [Fact]
    public void A_cooldown_that_is_not_over_says_which_request_and_from_when()
    {
        // 2026-12-01 00:00 UTC
        var reason = RevertReasons.Describe(Data("0x8d9979d2", 7, 1_796_083_200));

        Assert.Equal("CooldownNotOver", reason.ErrorName);
        Assert.Equal("Unstake request #7 is still cooling down; it can be withdrawn from 2026-12-01 00:00 UTC.", reason.Message);
    }

    [Fact]
    public void An_allowance_that_is_short_names_the_spender_and_both_amounts_in_tokens()
    {
        var spender = BigInteger.Parse("00a0ee7a142d267c1f36714e4a8f75612f20a79720", System.Globalization.NumberStyles.HexNumber);
        var reason = RevertReasons.Describe(Data("0xfb8f41b2", spender, 1500 * Wei, 12_345 * Wei + (Wei / 2)));

        Assert.Equal("ERC20InsufficientAllowance", reason.ErrorName);
        Assert.Equal("The approval for 0xa0ee7a142d267c1f36714e4a8f75612f20a79720 is 1,500, less than the 12,345.5 needed: approve first.", reason.Message);
    }

    [Fact]
    public void Errors_without_arguments_and_with_a_miner_id_read_as_sentences()
    {
        Assert.Equal("The amount must be more than zero.", RevertReasons.Describe("0x1f2a2005").Message);
        var minerId = BigInteger.Parse("0" + new string('a', 64), System.Globalization.NumberStyles.HexNumber);
        Assert.Equal($"Miner 0x{new string('a', 64)} is not registered for staking.", RevertReasons.Describe(Data("0xe684315d", minerId)).Message);
        Assert.Equal("A bribe of 10001 bps is above the most there is, 10,000 bps (100 %).", RevertReasons.Describe(Data("0x08af1173", 10_001)).Message);
    }

    [Fact]
    public void A_require_string_and_a_panic_are_read_too()
    {
        var text = Encoding.UTF8.GetBytes("not enough");
        var encoded = "0x08c379a0" + Word(32) + Word(text.Length) + Convert.ToHexStringLower(text).PadRight(64, '0');
        Assert.Equal(new RevertReason("Error", "The contract refused: not enough"), RevertReasons.Describe(encoded));
        Assert.Equal(new RevertReason("Panic", "A number in the contract overflowed."), RevertReasons.Describe(Data("0x4e487b71", 0x11)));
    }

    [Theory]
    [InlineData(null, "The contract refused without giving a reason.")]
    [InlineData("0x", "The contract refused without giving a reason.")]
    [InlineData("0xzz", "The contract refused, with a reason that could not be read.")]
    [InlineData("0x123", "The contract refused, with a reason that could not be read.")]
    [InlineData("0xdeadbeef", "The contract refused (error 0xdeadbeef).")]
    // CooldownNotOver with one of its two words missing is not read as that error.
    [InlineData("0x8d9979d20000000000000000000000000000000000000000000000000000000000000007", "The contract refused (error 0x8d9979d2).")]
    // An Error(string) whose length runs past the data.
    [InlineData("0x08c379a000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000000fff", "The contract refused, with a reason that could not be read.")]
    public void What_cannot_be_read_still_gets_a_sentence_and_never_throws(string? data, string message)
    {
        var reason = RevertReasons.Describe(data);
        Assert.Equal(message, reason.Message);
    }
}
