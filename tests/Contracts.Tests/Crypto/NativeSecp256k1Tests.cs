namespace Heurist.Contracts.Tests.Crypto;

/// <summary>
/// libsecp256k1 through <see cref="NativeSecp256k1"/> beside the C# code it replaces on the hot path: Nethereum's
/// signer and NBitcoin.Secp256k1's recovery must give the same bytes for the same inputs.
/// </summary>
public sealed class NativeSecp256k1Tests
{
    [Fact]
    public void The_library_is_on_this_machine()
    {
        // test.sh installs Debian's libsecp256k1-1; without it every other test here would prove nothing.
        Assert.True(NativeSecp256k1.IsAvailable, NativeSecp256k1.UnavailableReason);
    }

    [Fact]
    public void Signatures_and_recoveries_agree_with_the_csharp_code_for_many_keys_and_hashes()
    {
        var random = new Random(4361);
        for (var i = 0; i < 200; i++)
        {
            var key = RandomKey(random);
            var hash = new byte[32];
            random.NextBytes(hash);

            var native = new byte[64];
            Assert.True(NativeSecp256k1.TrySign(hash, key.GetPrivateKeyAsBytes().PadTo32(), native, out var recoveryId));
            var managed = key.SignAndCalculateV(hash);
            Assert.Equal(managed.R.PadTo32().Concat(managed.S.PadTo32()).ToArray(), native);
            Assert.Equal(managed.V[0] - 27, recoveryId);

            var fromNative = new byte[65];
            var fromManaged = new byte[65];
            Assert.True(NativeSecp256k1.TryRecover(hash, native, recoveryId, fromNative));
            Assert.True(Signatures.TryRecoverManaged(hash, native, recoveryId, fromManaged));
            Assert.Equal(fromManaged, fromNative);
            Assert.Equal(key.GetPubKey(), fromNative);
        }
    }

    [Fact]
    public void Both_refuse_an_r_that_is_no_curve_point_and_the_native_one_a_recovery_id_past_three()
    {
        var hash = Sha3Keccack.Current.CalculateHash("no point"u8.ToArray());
        var compact = new byte[64];
        compact[63] = 1;
        var publicKey = new byte[65];
        // About half of all x have no point on the curve: walk r = 1, 2, … to the first one the C# port refuses.
        byte r = 0;
        do
        {
            compact[31] = ++r;
        }
        while (Signatures.TryRecoverManaged(hash, compact, 0, publicKey));

        Assert.False(NativeSecp256k1.TryRecover(hash, compact, 0, publicKey));
        compact[31] = 1;
        Assert.False(NativeSecp256k1.TryRecover(hash, compact, 4, publicKey));
    }

    [Fact]
    public void Wrong_lengths_are_argument_errors_that_name_the_parameter()
    {
        var error = Assert.Throws<ArgumentException>(() => NativeSecp256k1.TryRecover(new byte[31], new byte[64], 0, new byte[65]));
        Assert.Equal("hash32", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => NativeSecp256k1.TrySign(new byte[32], new byte[33], new byte[64], out _));
        Assert.Equal("privateKey32", error.ParamName);
    }

    private static EthECKey RandomKey(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        // Keep it below the curve order and non-zero: clear the top bit, set the lowest.
        bytes[0] &= 0x7f;
        bytes[31] |= 1;
        return new EthECKey(bytes, true);
    }
}

internal static class Padding
{
    public static byte[] PadTo32(this byte[] value)
    {
        var word = new byte[32];
        value.CopyTo(word, 32 - value.Length);
        return word;
    }
}
