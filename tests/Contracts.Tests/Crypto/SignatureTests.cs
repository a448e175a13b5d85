using System.Globalization;
using System.Numerics;
using Heurist.Contracts.LocalChain;

namespace Heurist.Contracts.Tests.Crypto;

/// <summary>Signing through our entry point and checking signatures from outside: Nethereum's secp256k1, with our EIP-2 and length guards.</summary>
public sealed class SignatureTests
{
    private static readonly BigInteger N = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static TheoryData<int, string> SignatureCases => Vectors.Vectors.Indexes("signatures");
    public static TheoryData<int, string> MessageCases => Vectors.Vectors.Indexes("eip191");

    private static byte[] Keccak(ReadOnlySpan<byte> data) => Sha3Keccack.Current.CalculateHash(data.ToArray());

    [Theory]
    [MemberData(nameof(SignatureCases))]
    public void Signing_is_deterministic_and_matches_viem_byte_for_byte(int index, string label)
    {
        var vector = Vectors.Vectors.Case("signatures", index);
        var key = new EthECKey(vector["privateKey"].Text());

        var signature = Signatures.Sign(key, vector["hash"].Bytes());

        Assert.Equal(vector["signature"].Text(), signature.ToHex(true));
        Assert.Equal(vector["v"]!.GetValue<int>(), signature[64]);
        Assert.True(new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true) <= N / 2);
        _ = label;
    }

    [Theory]
    [MemberData(nameof(SignatureCases))]
    public void Recovery_of_a_viem_signature_gives_the_signing_key_address(int index, string label)
    {
        var vector = Vectors.Vectors.Case("signatures", index);
        var key = new EthECKey(vector["privateKey"].Text());

        var recovered = Signatures.Recover(vector["hash"].Bytes(), vector["signature"].Bytes());

        Assert.Equal(key.Address, recovered);
        _ = label;
    }

    [Fact]
    public void A_signature_recovers_the_key_that_made_it_and_not_another()
    {
        var alice = AnvilAccounts.Key(1);
        var bob = AnvilAccounts.Key(2);
        var hash = Keccak("heurist"u8);

        var signature = Signatures.Sign(alice, hash);

        Assert.Equal(alice.Address, Signatures.Recover(hash, signature));
        Assert.NotEqual(bob.Address, Signatures.Recover(hash, signature));
        Assert.True(Signatures.Verify(hash, signature, alice.Address));
        Assert.False(Signatures.Verify(hash, signature, bob.Address));
        Assert.False(Signatures.Verify(Keccak("tampered"u8), signature, alice.Address));
    }

    [Fact]
    public void A_high_s_signature_that_Nethereum_recovers_is_refused_as_not_canonical()
    {
        var vector = Vectors.Vectors.Case("signatures", 0);
        var hash = vector["hash"].Bytes();
        var low = vector["signature"].Bytes();
        // The same signature's twin: s' = n - s with the other recovery id is also valid ECDSA (EIP-2 outlaws it).
        var s = new BigInteger(low.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var high = (byte[])low.Clone();
        Word(high, 32, N - s);
        high[64] = (byte)(low[64] == 27 ? 28 : 27);

        var nethereum = EthECKey.RecoverFromSignature(EthECDSASignatureFactory.FromComponents(high[..32], high[32..64], high[64]), hash).GetPublicAddress();

        Assert.Equal(new EthECKey(vector["privateKey"].Text()).Address, nethereum);
        var error = Assert.Throws<InvalidSignatureException>(() => Signatures.Recover(hash, high));
        Assert.Contains("upper half", error.Message, StringComparison.Ordinal);
        Assert.False(Signatures.Verify(hash, high, nethereum));
    }

    [Fact]
    public void HasHighS_tells_the_malleable_twin_from_its_low_s_original_and_from_other_malformed_signatures()
    {
        var low = Vectors.Vectors.Case("signatures", 0)["signature"].Bytes();
        var s = new BigInteger(low.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var high = (byte[])low.Clone();
        Word(high, 32, N - s);
        var halfN = (byte[])low.Clone();
        Word(halfN, 32, N / 2);
        var halfNPlusOne = (byte[])low.Clone();
        Word(halfNPlusOne, 32, (N / 2) + 1);
        var sIsN = (byte[])low.Clone();
        Word(sIsN, 32, N);

        Assert.True(Signatures.HasHighS(high));
        Assert.True(Signatures.HasHighS(halfNPlusOne));
        Assert.False(Signatures.HasHighS(low));
        Assert.False(Signatures.HasHighS(halfN));
        Assert.False(Signatures.HasHighS(sIsN));
        Assert.False(Signatures.HasHighS(high.AsSpan(0, 64)));
    }

    [Fact]
    public void Parsing_accepts_v_as_0_or_1_and_normalizes_it_to_27_or_28()
    {
        var bytes = Vectors.Vectors.Case("signatures", 0)["signature"].Bytes();
        var expectedV = bytes[64];
        bytes[64] = (byte)(expectedV - 27);

        var parsed = Signatures.Parse(bytes);

        Assert.Equal([expectedV], parsed.V);
        Assert.Equal(Vectors.Vectors.Case("signatures", 0)["signature"].Text(), EthECDSASignature.CreateStringSignature(parsed));
        Assert.Equal(Signatures.Recover(Vectors.Vectors.Case("signatures", 0)["hash"].Bytes(), Vectors.Vectors.Case("signatures", 0)["signature"].Bytes()),
            Signatures.Recover(Vectors.Vectors.Case("signatures", 0)["hash"].Bytes(), bytes));
    }

    private static void Word(byte[] target, int offset, BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        Array.Clear(target, offset, 32);
        bytes.CopyTo(target, offset + 32 - bytes.Length);
    }

    public static TheoryData<string, string> MalformedSignatures()
    {
        var valid = Vectors.Vectors.Case("signatures", 0)["signature"].Bytes();
        string With(Action<byte[]> change)
        {
            var copy = (byte[])valid.Clone();
            change(copy);
            return copy.ToHex(true);
        }
        var s = new BigInteger(valid.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        return new TheoryData<string, string>
        {
            { valid.AsSpan(0, 64).ToArray().ToHex(true), "65 bytes" },
            { ((byte[])[.. valid, 0]).ToHex(true), "65 bytes" },
            { With(b => b[64] = 2), "v must be" },
            { With(b => b[64] = 26), "v must be" },
            { With(b => b[64] = 29), "v must be" },
            { With(b => Word(b, 0, 0)), "r is zero" },
            { With(b => Word(b, 32, 0)), "s is zero" },
            { With(b => Word(b, 0, N)), "r is zero or not below" },
            { With(b => Word(b, 32, N)), "s is zero or not below" },
            { With(b => Word(b, 32, N - s)), "upper half" },
            { "0xzz" + valid.ToHex(), "must be hex" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedSignatures))]
    public void Malformed_signatures_are_refused_with_the_reason(string hex, string reason)
    {
        var error = Assert.Throws<InvalidSignatureException>(() => Signatures.Parse(hex));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_whose_r_is_not_on_the_curve_cannot_be_recovered()
    {
        var hash = Keccak("heurist"u8);
        var recoverable = 0;
        var refused = 0;
        // About half of all x coordinates have no point on secp256k1; both kinds occur among the first few.
        for (var r = 1; r <= 16; r++)
        {
            var signature = new byte[65];
            signature[31] = (byte)r;
            signature[63] = 1;
            signature[64] = 27;
            try
            {
                Signatures.Recover(hash, signature);
                recoverable++;
            }
            catch (InvalidSignatureException ex)
            {
                Assert.Contains("not the x coordinate", ex.Message, StringComparison.Ordinal);
                refused++;
            }
        }
        Assert.True(refused > 0, "no r in 1..16 was refused");
        Assert.True(recoverable > 0, "no r in 1..16 was recoverable");
    }

    [Fact]
    public void Recovery_refuses_the_empty_signature()
        => Assert.Throws<InvalidSignatureException>(() => Signatures.Recover(new byte[32], new byte[65]));

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void Only_32_byte_hashes_are_signed_though_Nethereum_signs_any_length(int length)
    {
        var key = EthECKey.GenerateKey();
        var bytes = new byte[length];
        Assert.NotNull(key.SignAndCalculateV(bytes));

        var error = Assert.Throws<ArgumentException>(() => Signatures.Sign(key, bytes));

        Assert.Contains($"got {length} bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(MessageCases))]
    public void Eip191_message_hashes_match_viem(int index, string label)
    {
        var vector = Vectors.Vectors.Case("eip191", index);
        var message = vector["text"] is { } text ? System.Text.Encoding.UTF8.GetBytes(text.Text()) : vector["bytes"].Bytes();

        var hash = new EthereumMessageSigner().HashPrefixedMessage(message);

        Assert.Equal(vector["hash"].Text(), hash.ToHex(true));
        _ = label;
    }

    [Fact]
    public void A_personal_sign_signature_recovers_the_signer()
    {
        var key = AnvilAccounts.Owner;
        var hash = new EthereumMessageSigner().HashPrefixedMessage(System.Text.Encoding.UTF8.GetBytes("Sign in to Heurist"));

        Assert.Equal(AnvilAccounts.Address(0), Signatures.Recover(hash, Signatures.Sign(key, hash)));
    }
}
