using System.Text.Json.Nodes;
using Nethereum.ABI;
using Nethereum.ABI.FunctionEncoding;

namespace Heurist.Contracts.Tests.Abi;

/// <summary>Nethereum's ABI codec, which the bindings and the hashes rely on, against viem and ethers.</summary>
public sealed class AbiCodecTests
{
    public static TheoryData<int, string> Cases => Vectors.Vectors.Indexes("abi");
    public static TheoryData<int, string> PackedCases => Vectors.Vectors.Indexes("abiPacked");

    private static (Nethereum.ABI.Model.Parameter[] Parameters, JsonArray Values, string Encoded) Load(string section, int index)
    {
        var vector = Vectors.Vectors.Case(section, index);
        return (AbiJson.Parameters(((JsonArray)vector["types"]!).Select(t => t.Text())), (JsonArray)vector["values"]!, vector["encoded"].Text());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encoding_matches_viem_and_ethers_byte_for_byte(int index, string label)
    {
        var (parameters, values, encoded) = Load("abi", index);

        Assert.Equal(encoded, new ParametersEncoder().EncodeParameters(parameters, AbiJson.ToValues(parameters, values)).ToHex(true));
        _ = label;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decoding_viem_output_gives_back_the_values(int index, string label)
    {
        var (parameters, values, encoded) = Load("abi", index);

        var decoded = AbiJson.Results(new ParameterDecoder().DecodeDefaultData(encoded.HexToByteArray(), parameters));

        Assert.Equal(parameters.Length, decoded.Length);
        for (var i = 0; i < parameters.Length; i++)
        {
            AbiJson.AssertEqual(parameters[i].ABIType, values[i], decoded[i]);
        }
        _ = label;
    }

    [Theory]
    [MemberData(nameof(PackedCases))]
    public void Packed_encoding_matches_viem_and_ethers(int index, string label)
    {
        var (parameters, values, encoded) = Load("abiPacked", index);
        var abiValues = parameters.Select((p, i) => new ABIValue(p.ABIType, AbiJson.ToValue(p.ABIType, values[i]))).ToArray();

        Assert.Equal(encoded, new ABIEncode().GetABIEncodedPacked(abiValues).ToHex(true));
        _ = label;
    }

    [Theory]
    [InlineData("uint8", 256)]
    [InlineData("uint8", -1)]
    [InlineData("int8", 128)]
    [InlineData("int8", -129)]
    public void Values_that_do_not_fit_their_type_are_refused(string type, int value)
        => Assert.ThrowsAny<Exception>(() => new ABIEncode().GetABIEncoded(new ABIValue(type, new System.Numerics.BigInteger(value))));
}
