using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Bindings.SimpleAccount;
using Heurist.Contracts.Bindings.SimpleAccountFactory;
using Nethereum.ABI.EIP712;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;

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

    /// <summary>initCode that makes the EntryPoint deploy the owner's SimpleAccount: factory address ‖ createAccount(owner, salt).</summary>
    public static byte[] InitCode(string factory, string owner, BigInteger salt)
        => [.. factory.HexToByteArray(), .. new CreateAccountFunction { Owner = owner, Salt = salt }.GetCallData()];

    /// <summary>The callData of a SimpleAccount executing one call: execute(target, value, data).</summary>
    public static byte[] Execute(string target, BigInteger value, byte[] data)
        => new ExecuteFunction { Target = target, Value = value, Data = data }.GetCallData();

    /// <summary>The typed data a wallet signs with eth_signTypedData_v4; its digest is the EntryPoint's getUserOpHash.</summary>
    public static TypedData<Domain> ToTypedData(PackedUserOperation operation, string entryPoint, ulong chainId)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var typedData = new TypedData<Domain>
        {
            Domain = new Domain { Name = DomainName, Version = DomainVersion, ChainId = chainId, VerifyingContract = entryPoint },
            Types = MemberDescriptionFactory.GetTypesMemberDescription(typeof(Domain), typeof(SignedFields)),
            PrimaryType = "PackedUserOperation",
        };
        typedData.SetMessage(new SignedFields(operation));
        return typedData;
    }

    /// <summary>The JSON a wallet signs with eth_signTypedData_v4.</summary>
    public static string ToTypedDataJson(PackedUserOperation operation, string entryPoint, ulong chainId)
        => ToTypedData(operation, entryPoint, chainId).ToJson();

    /// <summary>The userOpHash: what the account's owner signs (SimpleAccount recovers it as a raw hash).</summary>
    public static byte[] Hash(PackedUserOperation operation, string entryPoint, ulong chainId)
        => Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(ToTypedData(operation, entryPoint, chainId));

    private static void Write128(BigInteger value, Span<byte> destination, string name)
    {
        if (value.Sign < 0 || value.GetByteCount(isUnsigned: true) > 16)
        {
            throw new ArgumentOutOfRangeException(name, value, "A packed gas field holds an unsigned 128-bit number.");
        }
        value.TryWriteBytes(destination[(16 - value.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>The EntryPoint's EIP-712 PackedUserOperation: the ABI struct without its signature.</summary>
    [Struct("PackedUserOperation")]
    private sealed class SignedFields(PackedUserOperation operation)
    {
        [Parameter("address", "sender", 1)]
        public string Sender { get; } = operation.Sender;

        [Parameter("uint256", "nonce", 2)]
        public BigInteger Nonce { get; } = operation.Nonce;

        [Parameter("bytes", "initCode", 3)]
        public byte[] InitCode { get; } = operation.InitCode;

        [Parameter("bytes", "callData", 4)]
        public byte[] CallData { get; } = operation.CallData;

        [Parameter("bytes32", "accountGasLimits", 5)]
        public byte[] AccountGasLimits { get; } = operation.AccountGasLimits;

        [Parameter("uint256", "preVerificationGas", 6)]
        public BigInteger PreVerificationGas { get; } = operation.PreVerificationGas;

        [Parameter("bytes32", "gasFees", 7)]
        public byte[] GasFees { get; } = operation.GasFees;

        [Parameter("bytes", "paymasterAndData", 8)]
        public byte[] PaymasterAndData { get; } = operation.PaymasterAndData;
    }
}
