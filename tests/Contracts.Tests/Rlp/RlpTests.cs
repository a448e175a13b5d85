using System.Text.Json.Nodes;
using Nethereum.RLP;

namespace Heurist.Contracts.Tests.Rlp;

/// <summary>Nethereum's RLP, which signs our transactions, against viem and ethers.</summary>
public sealed class RlpTests
{
    public static TheoryData<int, string> Cases => Vectors.Vectors.Indexes("rlp");
    public static TheoryData<int, string> IntegerCases => Vectors.Vectors.Indexes("rlpIntegers");

    private static byte[] Encode(JsonNode? node)
        => node is JsonArray list ? RLP.EncodeList([.. list.Select(Encode)]) : RLP.EncodeElement(node.Bytes());

    private static JsonNode ToJson(IRLPElement element)
        => element is RLPCollection list ? new JsonArray([.. list.Select(ToJson)]) : (element.RLPData ?? []).ToHex(true);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encoding_matches_viem_and_ethers(int index, string label)
    {
        var vector = Vectors.Vectors.Case("rlp", index);

        Assert.Equal(vector["encoded"].Text(), Encode(vector["value"]).ToHex(true));
        _ = label;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decoding_gives_back_the_nested_structure(int index, string label)
    {
        var vector = Vectors.Vectors.Case("rlp", index);

        var decoded = ToJson(RLP.Decode(vector["encoded"].Bytes()));

        Assert.True(JsonNode.DeepEquals(vector["value"], decoded), decoded.ToJsonString());
        _ = label;
    }

    [Theory]
    [MemberData(nameof(IntegerCases))]
    public void Integers_encode_canonically_and_decode_back(int index, string label)
    {
        var vector = Vectors.Vectors.Case("rlpIntegers", index);
        var value = vector["value"].Number();

        var encoded = RLP.EncodeElement(value.ToBytesForRLPEncoding());

        Assert.Equal(vector["encoded"].Text(), encoded.ToHex(true));
        Assert.Equal(value, (RLP.Decode(encoded).RLPData ?? []).ToBigIntegerFromRLPDecoded());
        _ = label;
    }

    [Theory]
    [InlineData("0x83aabb")]
    [InlineData("0xc3aabb")]
    [InlineData("0xb9")]
    [InlineData("0xc283aabbcc")]
    public void Input_that_runs_past_its_end_is_refused(string hex)
        => Assert.ThrowsAny<Exception>(() => RLP.Decode(hex.HexToByteArray()));
}
