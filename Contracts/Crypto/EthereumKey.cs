using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Heurist.Contracts.Crypto;

/// <summary>A secp256k1 private key that signs 32-byte hashes the way Ethereum expects.</summary>
public sealed class EthereumKey
{
    private readonly ECPrivateKeyParameters _privateKey;
    private readonly byte[] _publicKey;

    /// <summary>A key from its 32 private-key bytes, which must be in [1, n-1].</summary>
    /// <exception cref="InvalidPrivateKeyException">Not 32 bytes, zero, or not below the curve order.</exception>
    public EthereumKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32)
        {
            throw new InvalidPrivateKeyException($"A private key has 32 bytes, got {privateKey.Length}.");
        }
        var d = Secp256k1.FromBytes(privateKey);
        if (d.SignValue == 0 || d.CompareTo(Secp256k1.N) >= 0)
        {
            throw new InvalidPrivateKeyException("A private key must be between 1 and the curve order n - 1.");
        }
        _privateKey = new ECPrivateKeyParameters(d, Secp256k1.Domain);
        _publicKey = Secp256k1.G.Multiply(d).Normalize().GetEncoded(compressed: false);
        Address = EthereumAddress.FromPublicKey(_publicKey);
    }

    /// <summary>A key from 64 hex digits, with or without 0x.</summary>
    /// <exception cref="InvalidPrivateKeyException">Not 32 bytes of hex, or out of range.</exception>
    public static EthereumKey FromHex(string privateKeyHex)
        => Hex.TryDecode(privateKeyHex, out var bytes)
            ? new EthereumKey(bytes)
            : throw new InvalidPrivateKeyException("A private key must be 64 hex digits after an optional 0x.");

    /// <summary>A new random key.</summary>
    public static EthereumKey Generate()
    {
        Span<byte> bytes = stackalloc byte[32];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            var d = Secp256k1.FromBytes(bytes);
            if (d.SignValue > 0 && d.CompareTo(Secp256k1.N) < 0)
            {
                return new EthereumKey(bytes);
            }
        }
    }

    /// <summary>The address of this key.</summary>
    public EthereumAddress Address { get; }

    /// <summary>The uncompressed public key: 0x04 ‖ X ‖ Y, 65 bytes.</summary>
    public byte[] PublicKey => (byte[])_publicKey.Clone();

    /// <summary>
    /// Signs a 32-byte hash with a deterministic nonce (RFC 6979, HMAC-SHA256), normalizes S to the lower half (EIP-2),
    /// and sets V from the recovery id.
    /// </summary>
    public EthereumSignature Sign(ReadOnlySpan<byte> hash32)
    {
        if (hash32.Length != 32)
        {
            throw new ArgumentException($"Only 32-byte hashes are signed, got {hash32.Length} bytes.", nameof(hash32));
        }
        var hash = hash32.ToArray();
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, _privateKey);
        var rs = signer.GenerateSignature(hash);
        BcBigInteger r = rs[0], s = rs[1];
        if (s.CompareTo(Secp256k1.HalfN) > 0)
        {
            s = Secp256k1.N.Subtract(s);
        }
        var numericR = Secp256k1.ToNumeric(r);
        var numericS = Secp256k1.ToNumeric(s);
        // Which of the two candidate points is ours is cheapest to learn by trying; normalizing S flips it, so it is decided after.
        for (var recoveryId = 0; recoveryId < 2; recoveryId++)
        {
            var recovered = Signer.TryRecoverPublicKey(hash, numericR, numericS, recoveryId);
            if (recovered is not null && recovered.AsSpan().SequenceEqual(_publicKey))
            {
                return new EthereumSignature(numericR, numericS, 27 + recoveryId);
            }
        }
        // Only when r ≥ p - n (probability about 2^-128), which Ethereum's v cannot express.
        throw new CryptographicException("The signature's nonce point has an x coordinate above the curve order; it cannot be expressed with v = 27 or 28.");
    }
}
