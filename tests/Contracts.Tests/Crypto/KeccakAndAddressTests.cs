
namespace Heurist.Contracts.Tests.Crypto;

/// <summary>Nethereum's Keccak-256, EIP-55 and key derivation, which everything else relies on, against viem.</summary>
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
        Assert.Equal(vector["hash"].Text(), Sha3Keccack.Current.CalculateHash(vector["input"].Bytes()).ToHex(true), ignoreCase: false);
        _ = label;
    }

    [Fact]
    public void Keccak256_is_the_original_keccak_not_sha3()
    {
        // SHA3-256("") is a7ffc6f8…; Ethereum's Keccak-256("") is c5d24601….
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Sha3Keccack.Current.CalculateHash([]).ToHex(true));
    }

    [Theory]
    [MemberData(nameof(AddressCases))]
    public void Addresses_print_their_eip55_checksum(int index, string label)
    {
        var vector = Vectors.Vectors.Case("addresses", index);
        var checksummed = vector["checksummed"].Text();

        Assert.Equal(checksummed, AddressUtil.Current.ConvertToChecksumAddress(vector["input"].Text()));
        Assert.True(AddressUtil.Current.IsChecksumAddress(checksummed));
        Assert.True(AddressUtil.Current.AreAddressesTheSame(checksummed, checksummed.ToLowerInvariant()));
        _ = label;
    }

    [Theory]
    [MemberData(nameof(KeyCases))]
    public void Keys_derive_the_public_key_and_address_that_viem_does(int index, string label)
    {
        var vector = Vectors.Vectors.Case("keys", index);

        var key = new EthECKey(vector["privateKey"].Text());

        Assert.Equal(vector["publicKey"].Text(), key.GetPubKey().ToHex(true));
        Assert.Equal(vector["address"].Text(), key.Address);
        _ = label;
    }

    [Fact]
    public void A_mixed_case_address_with_a_wrong_checksum_is_not_a_checksum_address()
    {
        // The checksummed form is 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed; one letter's case is flipped here.
        Assert.False(AddressUtil.Current.IsChecksumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
        Assert.Equal("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", AddressUtil.Current.ConvertToChecksumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
    }

    [Theory]
    [InlineData("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg")]
    [InlineData("")]
    public void Malformed_addresses_are_not_valid_addresses(string text)
        => Assert.False(AddressUtil.Current.IsValidEthereumAddressHexFormat(text));

    [Fact]
    public void The_zero_address_is_Nethereums_zero_address()
        => Assert.Equal("0x0000000000000000000000000000000000000000", AddressUtil.ZERO_ADDRESS);
}
