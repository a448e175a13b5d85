using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using NBitcoin.Secp256k1;
using Nethereum.Signer;
using Nethereum.Util;

namespace Heurist.Contracts.Crypto;

/// <summary>
/// Our entry points for signing 32-byte hashes and for checking signatures that come from outside. Nethereum's
/// <see cref="EthECKey"/> signs whatever bytes it is given and recovers from high-s signatures; these refuse both.
/// </summary>
public static class Signatures
{
    /// <summary>The order n of secp256k1.</summary>
    private static readonly BigInteger N = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly BigInteger HalfN = N >> 1;

    /// <summary>The address of a key, EIP-55 checksummed.</summary>
    extension(EthECKey key)
    {
        public string Address => key.GetPublicAddress();
    }

    /// <summary>Signs a 32-byte hash: 65 bytes r ‖ s ‖ v with s in the lower half (EIP-2) and v 27 or 28.</summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes.</exception>
    public static byte[] Sign(EthECKey key, ReadOnlySpan<byte> hash32)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (hash32.Length != 32)
        {
            throw new ArgumentException($"Only 32-byte hashes are signed, got {hash32.Length} bytes.", nameof(hash32));
        }
        if (NativeSecp256k1.IsAvailable)
        {
            var signed = new byte[65];
            if (NativeSecp256k1.TrySign(hash32, Word(key.GetPrivateKeyAsBytes()), signed.AsSpan(0, 64), out var recoveryId))
            {
                signed[64] = (byte)(27 + recoveryId);
                return signed;
            }
        }
        var signature = key.SignAndCalculateV(hash32.ToArray());
        return [.. Word(signature.R), .. Word(signature.S), .. signature.V];
    }

    /// <summary>Parses 65 bytes r ‖ s ‖ v, with v in {0, 1, 27, 28}, refusing what Ethereum does not accept.</summary>
    /// <exception cref="InvalidSignatureException">Wrong length, v out of range, r or s zero or ≥ n, or s in the upper half (EIP-2).</exception>
    public static EthECDSASignature Parse(ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 65)
        {
            throw new InvalidSignatureException($"A signature has 65 bytes (r ‖ s ‖ v), got {signature.Length}.");
        }
        var r = new BigInteger(signature[..32], isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(signature[32..64], isUnsigned: true, isBigEndian: true);
        if (r.IsZero || r >= N)
        {
            throw new InvalidSignatureException("The signature's r is zero or not below the curve order n.");
        }
        if (s.IsZero || s >= N)
        {
            throw new InvalidSignatureException("The signature's s is zero or not below the curve order n.");
        }
        if (s > HalfN)
        {
            throw new InvalidSignatureException("The signature's s is in the upper half of the curve order (not canonical, EIP-2).");
        }
        var v = signature[64] switch
        {
            0 or 27 => (byte)27,
            1 or 28 => (byte)28,
            var other => throw new InvalidSignatureException($"The signature's v must be 0, 1, 27 or 28, got {other}."),
        };
        return EthECDSASignatureFactory.FromComponents(signature[..32].ToArray(), signature[32..64].ToArray(), v);
    }

    /// <summary>
    /// True when <paramref name="signature"/> is 65 bytes whose s lies in the upper half of the curve order: the
    /// malleable twin of a low-s signature, which <see cref="Parse(ReadOnlySpan{byte})"/> refuses (EIP-2). Lets a
    /// caller name that refusal apart from other malformed signatures.
    /// </summary>
    public static bool HasHighS(ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 65)
        {
            return false;
        }
        var s = new BigInteger(signature[32..64], isUnsigned: true, isBigEndian: true);
        return s > HalfN && s < N;
    }

    /// <summary>Parses the hex of 65 bytes r ‖ s ‖ v, with or without 0x; see <see cref="Parse(ReadOnlySpan{byte})"/>.</summary>
    public static EthECDSASignature Parse(string hex)
        => hex is not null && hex.IsHex() ? Parse(hex.HexToByteArray()) : throw new InvalidSignatureException("A signature must be hex: 130 hex digits after an optional 0x.");

    /// <summary>The checksummed address whose key made <paramref name="signature"/> over <paramref name="hash32"/>.</summary>
    /// <exception cref="InvalidSignatureException">The signature is refused by <see cref="Parse(ReadOnlySpan{byte})"/>, or no key can be recovered from it.</exception>
    public static string Recover(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature)
    {
        if (hash32.Length != 32)
        {
            throw new ArgumentException($"Only 32-byte hashes are recovered from, got {hash32.Length} bytes.", nameof(hash32));
        }
        var recoveryId = Parse(signature).V[0] - 27;
        // libsecp256k1 when the machine has it, else NBitcoin.Secp256k1 (its C# port, which Nethereum.Signer ships
        // with); the port already recovers about ten times faster than EthECKey.RecoverFromSignature on BouncyCastle.
        Span<byte> publicKey = stackalloc byte[65];
        var recovered = NativeSecp256k1.IsAvailable
            ? NativeSecp256k1.TryRecover(hash32, signature[..64], recoveryId, publicKey)
            : TryRecoverManaged(hash32, signature[..64], recoveryId, publicKey);
        if (!recovered)
        {
            throw new InvalidSignatureException("No public key can be recovered from this signature: r is not the x coordinate of a curve point.");
        }
        var address = Sha3Keccack.Current.CalculateHash(publicKey[1..].ToArray())[12..];
        return AddressUtil.Current.ConvertToChecksumAddress(address.ToHex());
    }

    /// <summary>True when <paramref name="signature"/> over <paramref name="hash32"/> is valid and made by <paramref name="address"/>'s key.</summary>
    public static bool Verify(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature, string address)
    {
        try
        {
            return string.Equals(Recover(hash32, signature), address, StringComparison.OrdinalIgnoreCase);
        }
        catch (InvalidSignatureException)
        {
            return false;
        }
    }

    /// <summary>The C# port's recovery, for machines without libsecp256k1; public so tests can hold the two side by side.</summary>
    public static bool TryRecoverManaged(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> compact64, int recoveryId, Span<byte> publicKey65)
    {
        if (!SecpRecoverableECDSASignature.TryCreateFromCompact(compact64, recoveryId, out var recoverable)
            || !ECPubKey.TryRecover(Context.Instance, recoverable, hash32, out var key))
        {
            return false;
        }
        key.WriteToSpan(compressed: false, publicKey65, out _);
        return true;
    }

    private static byte[] Word(byte[] value)
    {
        var word = new byte[32];
        value.CopyTo(word, 32 - value.Length);
        return word;
    }
}
