using System.Numerics;
using System.Text.Json.Nodes;
using Nethereum.Model;

namespace Heurist.Contracts.Tests.Transactions;

/// <summary>EIP-1559 signing as Nethereum's transaction manager does it for every transaction we send, against viem and ethers.</summary>
public sealed class Eip1559TransactionTests
{
    public static TheoryData<int, string> Cases => Vectors.Vectors.Indexes("transactions");

    private static Transaction1559 FromVector(JsonNode tx) => new(
        tx["chainId"].Number(),
        tx["nonce"].Number(),
        tx["maxPriorityFeePerGas"].Number(),
        tx["maxFeePerGas"].Number(),
        tx["gas"].Number(),
        tx["to"]?.Text(),
        tx["value"].Number(),
        tx["data"].Text(),
        [.. ((JsonArray)tx["accessList"]!).Select(e => new AccessListItem(e!["address"].Text(), [.. ((JsonArray)e["storageKeys"]!).Select(k => k.Bytes())]))]);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signed_transactions_match_viem_and_ethers_byte_for_byte(int index, string label)
    {
        var vector = Vectors.Vectors.Case("transactions", index);
        var transaction = FromVector(vector["tx"]!);

        var raw = new Transaction1559Signer().SignTransaction(new EthECKey(vector["privateKey"].Text()), transaction);

        Assert.Equal(vector["signingHash"].Text(), transaction.RawHash.ToHex(true));
        Assert.Equal(vector["raw"].Text(), "0x" + raw);
        Assert.Equal(vector["hash"].Text(), transaction.Hash.ToHex(true));
        _ = label;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decoding_a_viem_transaction_gives_its_fields_and_sender(int index, string label)
    {
        var vector = Vectors.Vectors.Case("transactions", index);
        var expected = FromVector(vector["tx"]!);

        var decoded = Assert.IsType<Transaction1559>(TransactionFactory.CreateTransaction(vector["raw"].Text()));

        Assert.Equal(vector["sender"].Text(), decoded.GetSenderAddress(), ignoreCase: true);
        Assert.Equal(expected.ChainId, decoded.ChainId);
        Assert.Equal(expected.Nonce ?? 0, decoded.Nonce ?? 0);
        Assert.Equal(expected.MaxPriorityFeePerGas ?? 0, decoded.MaxPriorityFeePerGas ?? 0);
        Assert.Equal(expected.MaxFeePerGas ?? 0, decoded.MaxFeePerGas ?? 0);
        Assert.Equal(expected.GasLimit ?? 0, decoded.GasLimit ?? 0);
        Assert.Equal(expected.ReceiverAddress?.ToLowerInvariant(), string.IsNullOrEmpty(decoded.ReceiverAddress) ? null : decoded.ReceiverAddress.ToLowerInvariant());
        Assert.Equal(expected.Amount ?? 0, decoded.Amount ?? 0);
        Assert.Equal(expected.Data.HexToByteArray(), (decoded.Data ?? "0x").HexToByteArray());
        Assert.Equal(expected.AccessList.Count, decoded.AccessList?.Count ?? 0);
        Assert.Equal(vector["signingHash"].Text(), decoded.RawHash.ToHex(true));
        _ = label;
    }

    [Fact]
    public void A_tampered_transaction_recovers_another_sender()
    {
        var vector = Vectors.Vectors.Case("transactions", 0);
        var original = Assert.IsType<Transaction1559>(TransactionFactory.CreateTransaction(vector["raw"].Text()));
        var tampered = new Transaction1559(original.ChainId, original.Nonce ?? 0, original.MaxPriorityFeePerGas ?? 0, original.MaxFeePerGas ?? 0,
            original.GasLimit ?? 0, original.ReceiverAddress, BigInteger.One * 2, original.Data, original.AccessList, (Signature)original.Signature);

        Assert.NotEqual(vector["sender"].Text().ToLowerInvariant(), tampered.GetSenderAddress().ToLowerInvariant());
    }
}
