using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Crypto;
using Nethereum.ABI;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;
using Nethereum.Util;

namespace Heurist.Contracts.AccountAbstraction;

/// <summary>The gas the paymaster asks for and the window in which its sponsorship holds.</summary>
public sealed record SponsorshipTerms(BigInteger VerificationGasLimit, BigInteger PostOpGasLimit, ulong ValidUntil, ulong ValidAfter);

/// <summary>
/// Sponsoring a user operation with the HeuristPaymaster: the sponsor signs the paymaster's hash of the operation
/// (EIP-191), and paymasterAndData carries the paymaster, its gas limits, the window and that signature.
/// </summary>
public static class PaymasterSponsorship
{
    /// <summary>paymaster(20) ‖ verificationGasLimit(16) ‖ postOpGasLimit(16) ‖ validUntil(6) ‖ validAfter(6) ‖ signature(65).</summary>
    public const int PaymasterAndDataLength = 20 + 16 + 16 + 6 + 6 + 65;

    /// <summary>The hash HeuristPaymaster.getHash computes: everything the sponsor vouches for.</summary>
    public static byte[] Hash(PackedUserOperation operation, ulong chainId, string paymaster, ulong validUntil, ulong validAfter)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var keccak = Sha3Keccack.Current;
        var encoded = new ABIEncode().GetABIEncoded(
            new ABIValue("address", operation.Sender),
            new ABIValue("uint256", operation.Nonce),
            new ABIValue("bytes32", keccak.CalculateHash(operation.InitCode)),
            new ABIValue("bytes32", keccak.CalculateHash(operation.CallData)),
            new ABIValue("bytes32", operation.AccountGasLimits),
            new ABIValue("uint256", operation.PreVerificationGas),
            new ABIValue("bytes32", operation.GasFees),
            new ABIValue("uint256", chainId),
            new ABIValue("address", paymaster),
            new ABIValue("uint48", validUntil),
            new ABIValue("uint48", validAfter));
        return keccak.CalculateHash(encoded);
    }

    /// <summary>The operation with paymasterAndData filled in and signed by <paramref name="sponsor"/>. Its own signature still has to be made after this.</summary>
    public static PackedUserOperation Sponsor(PackedUserOperation operation, EthECKey sponsor, ulong chainId, string paymaster, SponsorshipTerms terms)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(terms);
        var digest = new EthereumMessageSigner().HashPrefixedMessage(Hash(operation, chainId, paymaster, terms.ValidUntil, terms.ValidAfter));
        return operation with { PaymasterAndData = Encode(paymaster, terms, Signatures.Sign(sponsor, digest)) };
    }

    /// <summary>Lays out paymasterAndData.</summary>
    public static byte[] Encode(string paymaster, SponsorshipTerms terms, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(signature);
        var data = new byte[20 + 16 + 16 + 6 + 6 + signature.Length];
        paymaster.HexToByteArray().CopyTo(data, 0);
        UserOperations.PackUInt128Pair(terms.VerificationGasLimit, terms.PostOpGasLimit).CopyTo(data, 20);
        WriteUInt48(terms.ValidUntil, data.AsSpan(52, 6));
        WriteUInt48(terms.ValidAfter, data.AsSpan(58, 6));
        signature.CopyTo(data, 64);
        return data;
    }

    private static void WriteUInt48(ulong value, Span<byte> destination)
    {
        if (value >= 1UL << 48)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A sponsorship time is a 48-bit unix time.");
        }
        for (var i = 5; i >= 0; i--, value >>= 8)
        {
            destination[i] = (byte)value;
        }
    }
}
