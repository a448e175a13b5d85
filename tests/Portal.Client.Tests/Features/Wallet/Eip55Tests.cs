using System.Text;
using Heurist.Portal.Client.Features.Wallet;

namespace Heurist.Portal.Client.Tests.Features.Wallet;

public sealed class Eip55Tests
{
    // Digests from js-sha3 0.9 (Contracts/node_modules); 135 and 136 bytes sit on either side of the 136-byte block.
    [Theory]
    [InlineData("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("The quick brown fox jumps over the lazy dog", "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")]
    public void Keccak256_gives_ethereums_digests(string text, string expected)
        => Assert.Equal(expected, Convert.ToHexStringLower(Keccak256.Hash(Encoding.ASCII.GetBytes(text))));

    [Theory]
    [InlineData(135, "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446")]
    [InlineData(136, "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e")]
    [InlineData(300, "5b7e0e47a96f32a88b4f14ca177982790807c40e1a105742ba0fc1babe1ef826")]
    public void Keccak256_pads_and_absorbs_across_blocks(int length, string expected)
        => Assert.Equal(expected, Convert.ToHexStringLower(Keccak256.Hash(Encoding.ASCII.GetBytes(new string('a', length)))));

    [Fact]
    public void The_balance_of_selector_is_the_head_of_its_signatures_hash()
        => Assert.Equal(ChainReads.BalanceOfSelector, "0x" + Convert.ToHexStringLower(Keccak256.Hash(Encoding.ASCII.GetBytes("balanceOf(address)")))[..8]);

    [Theory]
    // EIP-55's own examples, all-caps and all-lowercase included, and anvil's first and third accounts.
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7")]
    [InlineData("0xde709f2102306220921060314715629080e2fb77")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    [InlineData("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")]
    [InlineData("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")]
    public void A_lowercase_address_gets_its_checksum_case(string checksummed)
    {
        Assert.Equal(checksummed, Eip55.Checksum(checksummed.ToLowerInvariant()));
        Assert.Equal(checksummed, Eip55.Checksum("0x" + checksummed[2..].ToUpperInvariant()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x1234")]
    [InlineData("f39fd6e51aad88f6f4ce6ab8827279cfffb92266")]
    [InlineData("0xg39fd6e51aad88f6f4ce6ab8827279cfffb92266")]
    public void Anything_but_an_address_comes_back_unchanged(string text)
    {
        Assert.False(Eip55.IsAddress(text));
        Assert.Equal(text, Eip55.Checksum(text));
    }
}
