using System.Numerics;
using System.Text.Json.Nodes;
using Heurist.Contracts.Abi;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Tests.Vectors;

namespace Heurist.Contracts.Tests.Abi;

public sealed class AbiCodecTests
{
    public static TheoryData<int, string> Cases => Vectors.Vectors.Indexes("abi");
    public static TheoryData<int, string> PackedCases => Vectors.Vectors.Indexes("abiPacked");

    private static (List<AbiType> Types, JsonArray Values, string Encoded) Load(string section, int index)
    {
        var vector = Vectors.Vectors.Case(section, index);
        var types = ((JsonArray)vector["types"]!).Select(t => AbiType.Parse(t.Text())).ToList();
        return (types, (JsonArray)vector["values"]!, vector["encoded"].Text());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encoding_matches_viem_and_ethers_byte_for_byte(int index, string label)
    {
        var (types, values, encoded) = Load("abi", index);

        Assert.Equal(encoded, Hex.Encode(AbiEncoder.Encode(types, AbiJson.ToValues(types, values))));
        _ = label;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decoding_viem_output_gives_back_the_values(int index, string label)
    {
        var (types, values, encoded) = Load("abi", index);

        var decoded = AbiDecoder.Decode(types, Hex.Decode(encoded));

        Assert.Equal(types.Count, decoded.Length);
        for (var i = 0; i < types.Count; i++)
        {
            AbiJson.AssertEqual(types[i], values[i], decoded[i]);
        }
        _ = label;
    }

    [Theory]
    [MemberData(nameof(PackedCases))]
    public void Packed_encoding_matches_viem_and_ethers(int index, string label)
    {
        var (types, values, encoded) = Load("abiPacked", index);

        Assert.Equal(encoded, Hex.Encode(AbiEncoder.EncodePacked(types, AbiJson.ToValues(types, values))));
        _ = label;
    }

    [Theory]
    [InlineData("uint256", "uint256", false, 32)]
    [InlineData("uint", "uint256", false, 32)]
    [InlineData("int", "int256", false, 32)]
    [InlineData("int24", "int24", false, 32)]
    [InlineData("bytes32[3]", "bytes32[3]", false, 96)]
    [InlineData("uint8[]", "uint8[]", true, 32)]
    [InlineData("(address,uint256)[]", "(address,uint256)[]", true, 32)]
    [InlineData("(address to, uint256 amount)", "(address,uint256)", false, 64)]
    [InlineData("(string,uint256)[2]", "(string,uint256)[2]", true, 32)]
    [InlineData("((uint8,bool)[2],bytes4)", "((uint8,bool)[2],bytes4)", false, 160)]
    [InlineData("string[2][]", "string[2][]", true, 32)]
    public void Types_parse_to_their_canonical_form(string text, string canonical, bool dynamic, int headSize)
    {
        var type = AbiType.Parse(text);

        Assert.Equal(canonical, type.CanonicalName);
        Assert.Equal(dynamic, type.IsDynamic);
        Assert.Equal(headSize, type.HeadSize);
    }

    [Theory]
    [InlineData("uint7")]
    [InlineData("uint264")]
    [InlineData("int0")]
    [InlineData("bytes0")]
    [InlineData("bytes33")]
    [InlineData("uint08")]
    [InlineData("address[0]")]
    [InlineData("address[")]
    [InlineData("(uint256")]
    [InlineData("float")]
    public void Strings_that_are_no_abi_type_are_refused(string text)
        => Assert.Throws<FormatException>(() => AbiType.Parse(text));

    [Fact]
    public void Tuple_types_come_from_json_components_with_array_suffixes()
    {
        var parameter = (JsonObject)JsonNode.Parse("""
            {"name":"orders","type":"tuple[2][]","components":[{"name":"maker","type":"address"},{"name":"legs","type":"tuple[]","components":[{"name":"amount","type":"uint128"}]}]}
            """)!;

        var type = AbiType.FromJson(parameter);

        Assert.Equal("(address,(uint128)[])[2][]", type.CanonicalName);
        Assert.Equal("maker", type.ElementType!.ElementType!.Components[0].Name);
    }

    public static TheoryData<string, object?, string> OutOfRange => new()
    {
        { "uint8", 256, "256 is out of range [0, 255]" },
        { "uint8", -1, "-1 is out of range [0, 255]" },
        { "uint256", BigInteger.One << 256, "is out of range" },
        { "int8", 128, "128 is out of range [-128, 127]" },
        { "int8", -129, "-129 is out of range [-128, 127]" },
        { "int256", -(BigInteger.One << 255) - 1, "is out of range" },
        { "bytes4", new byte[3], "expected exactly 4 byte(s), got 3" },
        { "bytes32", new byte[33], "expected exactly 32 byte(s), got 33" },
        { "uint256[2]", new object[] { 1 }, "expected exactly 2 element(s), got 1" },
        { "(uint8,bool)", new object[] { 1 }, "expected 2 member(s), got 1" },
        { "uint256", "12", "expected an integer" },
        { "bool", 1, "expected a bool" },
        { "address", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "EIP-55" },
        { "string", new byte[1], "expected a string" },
        { "bytes", "0x01", "expected a byte[]" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Values_that_do_not_fit_their_type_are_refused_naming_the_parameter(string type, object? value, string problem)
    {
        var parameters = new[] { new AbiParameter("first", AbiType.Bool), new AbiParameter("amount", AbiType.Parse(type)) };

        var error = Assert.Throws<AbiEncodingException>(() => AbiEncoder.Encode(parameters, [true, value]));

        Assert.Equal("amount", error.Parameter);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"amount ({AbiType.Parse(type).CanonicalName}): ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_value_deep_in_a_tuple_is_named_by_its_path()
    {
        var report = AbiType.Parse("(address worker,uint8[] scores)");

        var error = Assert.Throws<AbiEncodingException>(() => AbiEncoder.Encode(
            [new AbiParameter("report", report)],
            [new object?[] { EthereumAddress.Zero, new object[] { 1, 2, 300 } }]));

        Assert.Equal("report.scores[2]", error.Parameter);
        Assert.Contains("300 is out of range [0, 255]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unnamed_parameters_are_named_by_position()
    {
        var error = Assert.Throws<AbiEncodingException>(() => AbiEncoder.Encode([AbiType.UInt256, AbiType.UInt(8)], [1, 256]));
        Assert.Equal("#1", error.Parameter);
    }

    [Fact]
    public void A_wrong_number_of_values_is_refused()
        => Assert.Throws<AbiEncodingException>(() => AbiEncoder.Encode([AbiType.UInt256], []));

    [Fact]
    public void Tuples_may_be_given_as_dictionaries_by_member_name()
    {
        var type = AbiType.Parse("(address to,uint256 amount)");
        var to = EthereumAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

        var byName = AbiEncoder.Encode([type], [new Dictionary<string, object?> { ["amount"] = 5, ["to"] = to }]);

        Assert.Equal(AbiEncoder.Encode([type], [new object?[] { to, 5 }]), byName);
    }

    [Fact]
    public void Integer_types_of_every_width_encode_alike()
    {
        var expected = AbiEncoder.Encode([AbiType.UInt256], [new BigInteger(42)]);
        foreach (var value in new object[] { 42, 42L, 42UL, 42U, (short)42, (byte)42 })
        {
            Assert.Equal(expected, AbiEncoder.Encode([AbiType.UInt256], [value]));
        }
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "uint256", "0x01", "ends before" },
        { "bool", "0x" + new string('0', 63) + "2", "neither 0 nor 1" },
        { "address", "0x01" + new string('0', 62), "upper 12 bytes" },
        { "uint8", "0x" + new string('0', 60) + "0100", "out of range" },
        { "int8", "0x" + new string('0', 62) + "80", "not a sign-extended" },
        { "bytes2", "0x1234" + new string('0', 58) + "01", "padding" },
        { "bytes", "0x" + new string('0', 62) + "40", "points past the end" },
        { "bytes", "0x" + new string('0', 62) + "20" + new string('0', 62) + "21" + new string('0', 64), "runs past the end" },
        { "uint256[]", "0x" + new string('0', 62) + "20" + new string('f', 64), "too large" },
        { "uint256[]", "0x" + new string('0', 62) + "20" + new string('0', 62) + "03" + new string('0', 64), "does not fit" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_encodings_are_refused(string type, string hex, string reason)
    {
        var error = Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode([AbiType.Parse(type)], Hex.Decode(hex)));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Packed_encoding_refuses_tuples()
        => Assert.Throws<AbiEncodingException>(() => AbiEncoder.EncodePacked([AbiType.Parse("(uint8,bool)")], [new object[] { 1, true }]));
}
