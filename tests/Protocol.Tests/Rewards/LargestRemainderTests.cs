using System.Numerics;
using Heurist.Protocol.Rewards;

namespace Heurist.Protocol.Tests.Rewards;

public sealed class LargestRemainderTests
{
    private static BigInteger[] Split(long amount, long[] weights, string[] keys)
        => LargestRemainder.Split(amount, weights.Select(w => new BigInteger(w)).ToArray(), keys);

    [Fact]
    public void An_exact_split_has_no_units_left_over()
        => Assert.Equal([60, 30, 10], Split(100, [6, 3, 1], ["a", "b", "c"]).Select(p => (long)p));

    [Fact]
    public void Units_left_over_go_to_the_largest_remainders()
    {
        // 10 over 1:2:4 (W = 7): 10/7 = 1.43, 20/7 = 2.86, 40/7 = 5.71; floors 1 + 2 + 5 = 8, so 2 units are left.
        // Remainders 3, 6, 5 (of 7): the second and third parties get one each.
        Assert.Equal([1, 3, 6], Split(10, [1, 2, 4], ["a", "b", "c"]).Select(p => (long)p));
    }

    [Fact]
    public void Equal_remainders_are_broken_by_the_lowercased_key_not_by_position()
    {
        // 1 over 1:1: both remainders are 1 (of 2); "a" sorts before "b" whatever the order or case of the input.
        Assert.Equal([0, 1], Split(1, [1, 1], ["b", "A"]).Select(p => (long)p));
        Assert.Equal([1, 0], Split(1, [1, 1], ["A", "b"]).Select(p => (long)p));
        // Ordinal, not culture: "B" (lowercased "b") sorts after "a" but "_" (0x5F) before "a" (0x61).
        Assert.Equal([0, 1, 1], Split(2, [1, 1, 1], ["B", "a", "_"]).Select(p => (long)p));
    }

    [Fact]
    public void A_party_with_weight_zero_gets_nothing_even_when_units_are_left()
        => Assert.Equal([0, 2, 1], Split(3, [0, 1, 1], ["a", "b", "c"]).Select(p => (long)p));

    [Fact]
    public void Nothing_to_split_gives_zeros_even_without_weight()
        => Assert.Equal([0, 0], Split(0, [0, 0], ["a", "b"]).Select(p => (long)p));

    [Fact]
    public void An_amount_cannot_be_split_over_weights_that_sum_to_zero()
        => Assert.Equal("weights", Assert.Throws<ArgumentException>(() => Split(5, [0, 0], ["a", "b"])).ParamName);

    [Fact]
    public void Keys_that_differ_only_in_case_are_refused()
        => Assert.Equal("keys", Assert.Throws<ArgumentException>(() => Split(5, [1, 1], ["0xAB", "0xab"])).ParamName);

    [Fact]
    public void Negative_amounts_and_weights_are_refused()
    {
        Assert.Equal("amount", Assert.Throws<ArgumentOutOfRangeException>(() => Split(-1, [1], ["a"])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentOutOfRangeException>(() => Split(1, [2, -1], ["a", "b"])).ParamName);
    }
}
