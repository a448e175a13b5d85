using System.Numerics;
using Heurist.Portal.Client.Features.Wallet;

namespace Heurist.Portal.Client.Tests.Features.Wallet;

public sealed class ChainReadsTests
{
    [Fact]
    public void Balance_of_call_data_is_the_selector_and_the_owner_padded_to_32_bytes()
    {
        var data = ChainReads.BalanceOfCallData("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");

        Assert.Equal("0x70a08231000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266", data);
        Assert.Equal(2 + 8 + 64, data.Length);
    }

    [Fact]
    public void Balance_of_refuses_what_is_not_an_address()
        => Assert.Throws<ArgumentException>(() => ChainReads.BalanceOfCallData("0x1234"));

    [Theory]
    [InlineData("0x0", "0")]
    [InlineData("0x14d1120d7b160000", "1500000000000000000")]
    [InlineData("0x00000000000000000000000000000000000000000000000014d1120d7b160000", "1500000000000000000")]
    // The top bit set is still a uint256, not a negative number.
    [InlineData("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "115792089237316195423570985008687907853269984665640564039457584007913129639935")]
    public void Quantities_and_uint256_results_are_read_as_unsigned(string hex, string expected)
        => Assert.Equal(BigInteger.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ChainReads.ParseUint(hex));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("14d1")]
    [InlineData("0xzz")]
    public void Anything_else_is_no_number(string? hex) => Assert.Null(ChainReads.ParseUint(hex));

    [Theory]
    [InlineData("0x7a69", 31337UL)]
    [InlineData("0x1", 1UL)]
    public void Chain_ids_are_read_from_their_hex(string hex, ulong expected) => Assert.Equal(expected, ChainReads.ParseChainId(hex));

    [Fact]
    public void A_chain_id_beyond_64_bits_is_no_chain_id() => Assert.Null(ChainReads.ParseChainId("0x10000000000000000"));
}
