using System.Text.Json.Nodes;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Tests.Vectors;
using Heurist.Contracts.Transactions;

namespace Heurist.Contracts.Tests.Transactions;

public sealed class Eip1559TransactionTests
{
    public static TheoryData<int, string> Cases => Vectors.Vectors.Indexes("transactions");

    private static Eip1559Transaction FromVector(JsonNode tx) => new()
    {
        ChainId = (ulong)tx["chainId"].Number(),
        Nonce = (ulong)tx["nonce"].Number(),
        MaxPriorityFeePerGas = tx["maxPriorityFeePerGas"].Number(),
        MaxFeePerGas = tx["maxFeePerGas"].Number(),
        GasLimit = (ulong)tx["gas"].Number(),
        To = tx["to"] is { } to ? EthereumAddress.Parse(to.Text()) : null,
        Value = tx["value"].Number(),
        Data = tx["data"].Bytes(),
        AccessList = ((JsonArray)tx["accessList"]!)
            .Select(e => new AccessListEntry(EthereumAddress.Parse(e!["address"].Text()), ((JsonArray)e["storageKeys"]!).Select(k => k.Bytes()).ToList()))
            .ToList(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signed_transactions_match_viem_and_ethers_byte_for_byte(int index, string label)
    {
        var vector = Vectors.Vectors.Case("transactions", index);
        var transaction = FromVector(vector["tx"]!);

        var signed = transaction.Sign(EthereumKey.FromHex(vector["privateKey"].Text()));

        Assert.Equal(vector["signingHash"].Text(), Hex.Encode(transaction.SigningHash()));
        Assert.Equal(vector["raw"].Text(), Hex.Encode(signed.Raw));
        Assert.Equal(vector["hash"].Text(), Hex.Encode(signed.Hash));
        _ = label;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decoding_a_viem_transaction_gives_its_fields_and_sender(int index, string label)
    {
        var vector = Vectors.Vectors.Case("transactions", index);
        var expected = FromVector(vector["tx"]!);

        var decoded = Eip1559Transaction.DecodeSigned(vector["raw"].Bytes());

        Assert.Equal(vector["sender"].Text(), decoded.Sender.ToString());
        var actual = decoded.Transaction;
        Assert.Equal(expected.ChainId, actual.ChainId);
        Assert.Equal(expected.Nonce, actual.Nonce);
        Assert.Equal(expected.MaxPriorityFeePerGas, actual.MaxPriorityFeePerGas);
        Assert.Equal(expected.MaxFeePerGas, actual.MaxFeePerGas);
        Assert.Equal(expected.GasLimit, actual.GasLimit);
        Assert.Equal(expected.To, actual.To);
        Assert.Equal(expected.Value, actual.Value);
        Assert.Equal(expected.Data, actual.Data);
        Assert.Equal(expected.AccessList.Count, actual.AccessList.Count);
        for (var i = 0; i < expected.AccessList.Count; i++)
        {
            Assert.Equal(expected.AccessList[i].Address, actual.AccessList[i].Address);
            Assert.Equal(expected.AccessList[i].StorageKeys, actual.AccessList[i].StorageKeys);
        }
        Assert.Equal(vector["signingHash"].Text(), Hex.Encode(actual.SigningHash()));
        _ = label;
    }

    [Fact]
    public void A_tampered_transaction_recovers_another_sender()
    {
        var vector = Vectors.Vectors.Case("transactions", 0);
        var raw = vector["raw"].Bytes();
        // The value field's last byte sits well before the signature; changing it changes the signing hash.
        var tampered = Eip1559Transaction.DecodeSigned(raw).Transaction with { Value = 2 };
        var signature = Eip1559Transaction.DecodeSigned(raw).Signature;

        var decoded = Eip1559Transaction.DecodeSigned(tampered.WithSignature(signature).Raw);

        Assert.NotEqual(vector["sender"].Text(), decoded.Sender.ToString());
    }

    [Theory]
    [InlineData("0x", "first byte must be 0x02")]
    [InlineData("0x01c0", "first byte must be 0x02")]
    [InlineData("0x02c0", "12 fields, got 0")]
    [InlineData("0x02c180", "12 fields, got 1")]
    public void Malformed_envelopes_are_refused(string hex, string reason)
    {
        var error = Assert.Throws<TransactionFormatException>(() => Eip1559Transaction.DecodeSigned(Hex.Decode(hex)));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_bytes_after_a_signed_transaction_are_refused()
    {
        byte[] raw = [.. Vectors.Vectors.Case("transactions", 0)["raw"].Bytes(), 0x00];

        var error = Assert.Throws<TransactionFormatException>(() => Eip1559Transaction.DecodeSigned(raw));
        Assert.Contains("trailing", error.Message, StringComparison.Ordinal);
    }
}
