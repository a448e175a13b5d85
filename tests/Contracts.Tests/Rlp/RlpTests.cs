using System.Numerics;
using System.Text.Json.Nodes;
using Heurist.Contracts.Rlp;
using Heurist.Contracts.Tests.Vectors;

namespace Heurist.Contracts.Tests.Rlp;

public sealed class RlpTests
{
    public static TheoryData<int, string> Cases => Vectors.Vectors.Indexes("rlp");
    public static TheoryData<int, string> IntegerCases => Vectors.Vectors.Indexes("rlpIntegers");
    public static TheoryData<int, string> InvalidCases => Vectors.Vectors.Indexes("rlpInvalid");

    private static RlpItem ToItem(JsonNode? node)
        => node is JsonArray list ? new RlpList(list.Select(ToItem)) : new RlpString(node.Bytes());

    private static JsonNode ToJson(RlpItem item)
        => item is RlpList list ? new JsonArray(list.Items.Select(ToJson).ToArray()) : Hex.Encode(item.AsBytes());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encoding_matches_viem_and_ethers(int index, string label)
    {
        var vector = Vectors.Vectors.Case("rlp", index);

        Assert.Equal(vector["encoded"].Text(), Hex.Encode(RlpCodec.Encode(ToItem(vector["value"]))));
        _ = label;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decoding_gives_back_the_nested_structure(int index, string label)
    {
        var vector = Vectors.Vectors.Case("rlp", index);

        var decoded = RlpCodec.Decode(vector["encoded"].Bytes());

        Assert.True(JsonNode.DeepEquals(vector["value"], ToJson(decoded)), ToJson(decoded).ToJsonString());
        _ = label;
    }

    [Theory]
    [MemberData(nameof(IntegerCases))]
    public void Integers_encode_canonically_and_decode_back(int index, string label)
    {
        var vector = Vectors.Vectors.Case("rlpIntegers", index);
        var value = vector["value"].Number();

        var encoded = RlpCodec.EncodeInteger(value);

        Assert.Equal(vector["encoded"].Text(), Hex.Encode(encoded));
        Assert.Equal(value, RlpCodec.Decode(encoded).AsInteger());
        _ = label;
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Input_that_viem_refuses_is_refused(int index, string label)
    {
        var vector = Vectors.Vectors.Case("rlpInvalid", index);

        Assert.Throws<RlpException>(() => RlpCodec.Decode(vector["encoded"].Bytes()));
        _ = label;
    }

    [Fact]
    public void Empty_input_is_not_an_item()
    {
        var error = Assert.Throws<RlpException>(() => RlpCodec.Decode([]));
        Assert.Contains("ends at offset 0", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x8100", "single byte")]
    [InlineData("0xb80100", "long form")]
    [InlineData("0xb90038", "leading zero")]
    [InlineData("0x0102", "trailing")]
    [InlineData("0x83aabb", "declares 3 byte(s) but only 2 remain")]
    public void Refusals_say_what_is_not_canonical(string hex, string reason)
    {
        var error = Assert.Throws<RlpException>(() => RlpCodec.Decode(Hex.Decode(hex)));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Integers_with_leading_zero_bytes_are_refused()
    {
        var item = RlpCodec.Decode(Hex.Decode("0x820001"));

        Assert.Throws<RlpException>(() => item.AsInteger());
        Assert.Equal(BigInteger.Zero, RlpCodec.Decode([0x80]).AsInteger());
    }

    [Fact]
    public void Reading_a_list_as_a_string_and_back_is_refused()
    {
        Assert.Throws<RlpException>(() => RlpCodec.Decode([0xc0]).AsBytes());
        Assert.Throws<RlpException>(() => RlpCodec.Decode([0x80]).AsList());
    }
}
