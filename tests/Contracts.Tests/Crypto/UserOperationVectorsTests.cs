using System.Globalization;
using System.Numerics;
using Heurist.Contracts.AccountAbstraction;
using Heurist.Contracts.Bindings;

namespace Heurist.Contracts.Tests.Crypto;

/// <summary>
/// v0.8 user operations against viem: getUserOperationHash (the userOpHash the wallet signs and the bundler answers),
/// the paymaster's sponsor hash, and the JSON-RPC form a bundler takes.
/// </summary>
public sealed class UserOperationVectorsTests
{
    private const string EntryPoint = "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108";

    public static TheoryData<int, string> Cases => Vectors.Vectors.Indexes("userOperations");

    private static PackedUserOperation Packed(int index)
    {
        var packed = Vectors.Vectors.Case("userOperations", index)["packed"]!;
        return new PackedUserOperation
        {
            Sender = packed["sender"].Text(),
            Nonce = BigInteger.Parse(packed["nonce"].Text(), CultureInfo.InvariantCulture),
            InitCode = packed["initCode"].Bytes(),
            CallData = packed["callData"].Bytes(),
            AccountGasLimits = packed["accountGasLimits"].Bytes(),
            PreVerificationGas = BigInteger.Parse(packed["preVerificationGas"].Text(), CultureInfo.InvariantCulture),
            GasFees = packed["gasFees"].Bytes(),
            PaymasterAndData = packed["paymasterAndData"].Bytes(),
            Signature = packed["signature"].Bytes(),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_user_operation_hash_is_viems_getUserOperationHash_for_v08(int index, string name)
    {
        var vector = Vectors.Vectors.Case("userOperations", index);
        Assert.Equal(vector["hash"].Text(), UserOperations.Hash(Packed(index), EntryPoint, 31337).ToHex(true));
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_sponsor_hash_is_the_abi_encoding_the_paymaster_hashes(int index, string name)
    {
        var vector = Vectors.Vectors.Case("userOperations", index);
        var paymaster = vector["rpc"]!["paymaster"].Text();
        var hash = PaymasterSponsorship.Hash(Packed(index), 31337, paymaster,
            ulong.Parse(vector["validUntil"].Text(), CultureInfo.InvariantCulture), ulong.Parse(vector["validAfter"].Text(), CultureInfo.InvariantCulture));
        Assert.Equal(vector["paymasterHash"].Text(), hash.ToHex(true));
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_rpc_form_spreads_the_packed_fields_as_viem_does(int index, string name)
    {
        var expected = Vectors.Vectors.Case("userOperations", index)["rpc"]!.AsObject();
        var actual = UserOperationRpc.ToJson(Packed(index));

        Assert.Equal(expected.Select(p => p.Key).Order(StringComparer.Ordinal), actual.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var (key, value) in expected)
        {
            Assert.True(string.Equals(value.Text(), actual[key].Text(), StringComparison.OrdinalIgnoreCase), $"{name}: {key} is {actual[key]}, viem says {value}");
        }
    }

    [Fact]
    public void A_quantity_is_minimal_hex_and_reads_back()
    {
        Assert.Equal("0x0", UserOperationRpc.Quantity(BigInteger.Zero));
        Assert.Equal("0x1", UserOperationRpc.Quantity(BigInteger.One));
        Assert.Equal("0x100", UserOperationRpc.Quantity(256));
        Assert.Equal(new BigInteger(0xabcdef), UserOperationRpc.ParseQuantity(System.Text.Json.Nodes.JsonValue.Create("0xABCDEF"), "x"));
        Assert.Throws<FormatException>(() => UserOperationRpc.ParseQuantity(System.Text.Json.Nodes.JsonValue.Create("12"), "callGasLimit"));
        Assert.Throws<FormatException>(() => UserOperationRpc.ParseQuantity(null, "callGasLimit"));
    }
}
