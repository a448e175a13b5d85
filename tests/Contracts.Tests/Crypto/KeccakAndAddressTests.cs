using Heurist.Contracts.Crypto;
using Heurist.Contracts.Tests.Vectors;

namespace Heurist.Contracts.Tests.Crypto;

public sealed class KeccakAndAddressTests
{
    public static TheoryData<int, string> KeccakCases => Vectors.Vectors.Indexes("keccak");
    public static TheoryData<int, string> AddressCases => Vectors.Vectors.Indexes("addresses");
    public static TheoryData<int, string> KeyCases => Vectors.Vectors.Indexes("keys");

    [Theory]
    [MemberData(nameof(KeccakCases))]
    public void Keccak256_matches_viem(int index, string label)
    {
        var vector = Vectors.Vectors.Case("keccak", index);
        Assert.Equal(vector["hash"].Text(), Hex.Encode(Keccak256.Hash(vector["input"].Bytes())), ignoreCase: false);
        _ = label;
    }

    [Fact]
    public void Keccak256_is_the_original_keccak_not_sha3()
    {
        // SHA3-256("") is a7ffc6f8…; Ethereum's Keccak-256("") is c5d24601….
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Hex.Encode(Keccak256.Hash([])));
    }

    [Theory]
    [MemberData(nameof(AddressCases))]
    public void Addresses_print_their_eip55_checksum(int index, string label)
    {
        var vector = Vectors.Vectors.Case("addresses", index);
        var checksummed = vector["checksummed"].Text();

        var parsed = EthereumAddress.Parse(vector["input"].Text());

        Assert.Equal(checksummed, parsed.ToString());
        Assert.Equal(parsed, EthereumAddress.Parse(checksummed));
        Assert.Equal(checksummed.ToLowerInvariant(), parsed.ToLowerHex());
        _ = label;
    }

    [Theory]
    [MemberData(nameof(KeyCases))]
    public void Keys_derive_the_public_key_and_address_that_viem_does(int index, string label)
    {
        var vector = Vectors.Vectors.Case("keys", index);

        var key = EthereumKey.FromHex(vector["privateKey"].Text());

        Assert.Equal(vector["publicKey"].Text(), Hex.Encode(key.PublicKey));
        Assert.Equal(vector["address"].Text(), key.Address.ToString());
        Assert.Equal(key.Address, EthereumAddress.FromPublicKey(key.PublicKey));
        Assert.Equal(key.Address, EthereumAddress.FromPublicKey(key.PublicKey.AsSpan(1)));
        _ = label;
    }

    [Fact]
    public void A_mixed_case_address_with_a_wrong_checksum_is_refused_with_the_expected_form()
    {
        // The checksummed form is 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed; one letter's case is flipped here.
        var error = Assert.Throws<InvalidAddressException>(() => EthereumAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));

        Assert.Contains("EIP-55", error.Message, StringComparison.Ordinal);
        Assert.Contains("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<FormatException>(error);
    }

    [Theory]
    [InlineData("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "must start with 0x")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea", "got 38")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00", "got 42")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg", "'g' at position 41")]
    [InlineData("", "must start with 0x")]
    public void Malformed_addresses_are_refused_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<InvalidAddressException>(() => EthereumAddress.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(EthereumAddress.TryParse(text, out _));
    }

    [Fact]
    public void All_uppercase_and_all_lowercase_addresses_are_accepted_without_a_checksum()
    {
        Assert.True(EthereumAddress.TryParse("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED", out var upper));
        Assert.True(EthereumAddress.TryParse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", out var lower));
        Assert.Equal(upper, lower);
        Assert.Equal(upper.GetHashCode(), lower.GetHashCode());
    }

    [Fact]
    public void The_default_address_is_the_zero_address()
    {
        Assert.Equal(EthereumAddress.Parse("0x0000000000000000000000000000000000000000"), EthereumAddress.Zero);
        Assert.Equal("0x0000000000000000000000000000000000000000", default(EthereumAddress).ToString());
        Assert.NotEqual(EthereumAddress.Parse("0x0000000000000000000000000000000000000001"), EthereumAddress.Zero);
    }
}
