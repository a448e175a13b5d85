using System.Numerics;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Tests.Vectors;

namespace Heurist.Contracts.Tests.Crypto;

public sealed class SignatureTests
{
    private static readonly BigInteger N = BigInteger.Parse("115792089237316195423570985008687907852837564279074904382605163141518161494337");

    public static TheoryData<int, string> SignatureCases => Vectors.Vectors.Indexes("signatures");
    public static TheoryData<int, string> MessageCases => Vectors.Vectors.Indexes("eip191");

    [Theory]
    [MemberData(nameof(SignatureCases))]
    public void Signing_is_deterministic_and_matches_viem_byte_for_byte(int index, string label)
    {
        var vector = Vectors.Vectors.Case("signatures", index);
        var key = EthereumKey.FromHex(vector["privateKey"].Text());

        var signature = key.Sign(vector["hash"].Bytes());

        Assert.Equal(vector["signature"].Text(), Hex.Encode(signature.ToBytes()));
        Assert.Equal((int)vector["v"]!.GetValue<int>(), signature.V);
        Assert.True(signature.S <= N / 2);
        _ = label;
    }

    [Theory]
    [MemberData(nameof(SignatureCases))]
    public void Recovery_of_a_viem_signature_gives_the_signing_key_address(int index, string label)
    {
        var vector = Vectors.Vectors.Case("signatures", index);
        var key = EthereumKey.FromHex(vector["privateKey"].Text());

        var recovered = Signer.Recover(vector["hash"].Bytes(), EthereumSignature.Parse(vector["signature"].Text()));

        Assert.Equal(key.Address, recovered);
        _ = label;
    }

    [Fact]
    public void A_signature_recovers_the_key_that_made_it_and_not_another()
    {
        var alice = EthereumKey.FromHex("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        var bob = EthereumKey.FromHex("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
        var hash = Keccak256.Hash("heurist"u8);

        var signature = alice.Sign(hash);

        Assert.Equal(alice.Address, Signer.Recover(hash, signature));
        Assert.NotEqual(bob.Address, Signer.Recover(hash, signature));
        Assert.True(Signer.Verify(hash, signature, alice.Address));
        Assert.False(Signer.Verify(hash, signature, bob.Address));
        Assert.False(Signer.Verify(Keccak256.Hash("tampered"u8), signature, alice.Address));
    }

    [Fact]
    public void Parsing_accepts_v_as_0_or_1_and_normalizes_it_to_27_or_28()
    {
        var bytes = Vectors.Vectors.Case("signatures", 0)["signature"].Bytes();
        var expectedV = bytes[64];
        bytes[64] = (byte)(expectedV - 27);

        var parsed = EthereumSignature.Parse(bytes);

        Assert.Equal(expectedV, parsed.V);
        Assert.Equal(EthereumSignature.Parse(Vectors.Vectors.Case("signatures", 0)["signature"].Text()), parsed);
        Assert.Equal(parsed, EthereumSignature.Parse(Convert.ToHexString(parsed.ToBytes())));
    }

    public static TheoryData<string, string> MalformedSignatures()
    {
        var valid = Vectors.Vectors.Case("signatures", 0)["signature"].Bytes();
        string With(Action<byte[]> change)
        {
            var copy = (byte[])valid.Clone();
            change(copy);
            return Hex.Encode(copy);
        }
        static void Word(byte[] target, int offset, BigInteger value)
        {
            var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
            Array.Clear(target, offset, 32);
            bytes.CopyTo(target, offset + 32 - bytes.Length);
        }
        var s = new BigInteger(valid.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        return new TheoryData<string, string>
        {
            { Hex.Encode(valid.AsSpan(0, 64)), "65 bytes" },
            { Hex.Encode([.. valid, 0]), "65 bytes" },
            { With(b => b[64] = 2), "v must be" },
            { With(b => b[64] = 26), "v must be" },
            { With(b => b[64] = 29), "v must be" },
            { With(b => Word(b, 0, 0)), "r is zero" },
            { With(b => Word(b, 32, 0)), "s is zero" },
            { With(b => Word(b, 0, N)), "r is zero or not below" },
            { With(b => Word(b, 32, N)), "s is zero or not below" },
            { With(b => Word(b, 32, N - s)), "upper half" },
            { "0xzz" + Hex.Encode(valid)[4..], "must be hex" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedSignatures))]
    public void Malformed_signatures_are_refused_with_the_reason(string hex, string reason)
    {
        var error = Assert.Throws<InvalidSignatureException>(() => EthereumSignature.Parse(hex));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_whose_r_is_not_on_the_curve_cannot_be_recovered()
    {
        var hash = Keccak256.Hash("heurist"u8);
        var recoverable = 0;
        var refused = 0;
        // About half of all x coordinates have no point on secp256k1; both kinds occur among the first few.
        for (var r = 1; r <= 16; r++)
        {
            var signature = new EthereumSignature(r, 1, 27);
            try
            {
                Signer.Recover(hash, signature);
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
    public void Recovery_refuses_the_empty_default_signature()
        => Assert.Throws<InvalidSignatureException>(() => Signer.Recover(new byte[32], default));

    [Theory]
    [InlineData("0x")]
    [InlineData("0x00")]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")]
    [InlineData("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    [InlineData("0x00ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")]
    [InlineData("not hex at all")]
    public void Invalid_private_keys_are_refused_without_echoing_the_key(string hex)
    {
        var error = Assert.Throws<InvalidPrivateKeyException>(() => EthereumKey.FromHex(hex));
        Assert.DoesNotContain(hex.Length > 4 ? hex[4..] : "\0", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Only_32_byte_hashes_are_signed()
        => Assert.Throws<ArgumentException>(() => EthereumKey.Generate().Sign(new byte[31]));

    [Theory]
    [MemberData(nameof(MessageCases))]
    public void Eip191_message_hashes_match_viem(int index, string label)
    {
        var vector = Vectors.Vectors.Case("eip191", index);

        var hash = vector["text"] is { } text ? Eip191.HashMessage(text.Text()) : Eip191.HashMessage(vector["bytes"].Bytes());

        Assert.Equal(vector["hash"].Text(), Hex.Encode(hash));
        _ = label;
    }

    [Fact]
    public void A_personal_sign_signature_recovers_the_signer()
    {
        var key = EthereumKey.FromHex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        var hash = Eip191.HashMessage("Sign in to Heurist: nonce 8f1c");

        Assert.Equal(EthereumAddress.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), Signer.Recover(hash, key.Sign(hash)));
    }
}
