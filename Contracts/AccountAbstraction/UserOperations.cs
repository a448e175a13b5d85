using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Crypto;

namespace Heurist.Contracts.AccountAbstraction;

/// <summary>
/// ERC-4337 v0.8 user operations as the portal builds them: packed gas fields, the init code that deploys a
/// SimpleAccount, and the EIP-712 typed data whose digest is the userOpHash a wallet signs.
/// </summary>
public static class UserOperations
{
    /// <summary>The EIP-712 domain name and version of the v0.8 EntryPoint.</summary>
    public const string DomainName = "ERC4337";

    public const string DomainVersion = "1";

    /// <summary>Two 128-bit numbers in one bytes32, high first: accountGasLimits (verification, call) and gasFees (priority, max).</summary>
    public static byte[] PackUInt128Pair(BigInteger high, BigInteger low)
    {
        var packed = new byte[32];
        Write128(high, packed.AsSpan(0, 16), nameof(high));
        Write128(low, packed.AsSpan(16, 16), nameof(low));
        return packed;
    }

    /// <summary>Reads back the two numbers of <see cref="PackUInt128Pair"/>.</summary>
    public static (BigInteger High, BigInteger Low) UnpackUInt128Pair(ReadOnlySpan<byte> packed)
    {
        if (packed.Length != 32)
        {
            throw new ArgumentException("A packed pair is 32 bytes.", nameof(packed));
        }
        return (new BigInteger(packed[..16], isUnsigned: true, isBigEndian: true), new BigInteger(packed[16..], isUnsigned: true, isBigEndian: true));
    }

    /// <summary>initCode that makes the EntryPoint deploy the owner's SimpleAccount: factory address ‖ createAccount(owner, salt).</summary>
    public static byte[] InitCode(EthereumAddress factory, EthereumAddress owner, BigInteger salt)
        => [.. factory.Bytes, .. SimpleAccountFactoryContract.EncodeCreateAccount(owner, salt)];

    /// <summary>The callData of a SimpleAccount executing one call: execute(target, value, data).</summary>
    public static byte[] Execute(EthereumAddress target, BigInteger value, byte[] data)
        => SimpleAccountContract.EncodeExecute(target, value, data);

    /// <summary>The typed data a wallet signs with eth_signTypedData_v4; its digest is the EntryPoint's getUserOpHash.</summary>
    public static TypedData ToTypedData(PackedUserOperation operation, EthereumAddress entryPoint, ulong chainId)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return new TypedDataBuilder(new Eip712Domain { Name = DomainName, Version = DomainVersion, ChainId = chainId, VerifyingContract = entryPoint })
            .Type("PackedUserOperation",
                ("sender", "address"),
                ("nonce", "uint256"),
                ("initCode", "bytes"),
                ("callData", "bytes"),
                ("accountGasLimits", "bytes32"),
                ("preVerificationGas", "uint256"),
                ("gasFees", "bytes32"),
                ("paymasterAndData", "bytes"))
            .Build("PackedUserOperation", new Dictionary<string, object?>
            {
                ["sender"] = operation.Sender,
                ["nonce"] = operation.Nonce,
                ["initCode"] = operation.InitCode,
                ["callData"] = operation.CallData,
                ["accountGasLimits"] = operation.AccountGasLimits,
                ["preVerificationGas"] = operation.PreVerificationGas,
                ["gasFees"] = operation.GasFees,
                ["paymasterAndData"] = operation.PaymasterAndData,
            });
    }

    /// <summary>The userOpHash: what the account's owner signs (SimpleAccount recovers it as a raw hash).</summary>
    public static byte[] Hash(PackedUserOperation operation, EthereumAddress entryPoint, ulong chainId)
        => ToTypedData(operation, entryPoint, chainId).Hash();

    private static void Write128(BigInteger value, Span<byte> destination, string name)
    {
        if (value.Sign < 0 || value.GetByteCount(isUnsigned: true) > 16)
        {
            throw new ArgumentOutOfRangeException(name, value, "A packed gas field holds an unsigned 128-bit number.");
        }
        value.TryWriteBytes(destination[(16 - value.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
    }
}
