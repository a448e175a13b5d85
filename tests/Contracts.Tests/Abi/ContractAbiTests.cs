using System.Numerics;
using System.Text.Json.Nodes;
using Heurist.Contracts.Bindings;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;

namespace Heurist.Contracts.Tests.Abi;

/// <summary>Nethereum's reading of a JSON ABI (calls, outputs, logs, deployment) and our naming of revert data, against viem and ethers.</summary>
public sealed class ContractAbiTests
{
    private static JsonObject Section => (JsonObject)Vectors.Vectors.Root["contractAbi"]!;

    private static ContractABI Abi => new ABIJsonDeserialiser().DeserialiseContract(Section["abi"]!.ToJsonString());

    public static TheoryData<int> Calls => new(Enumerable.Range(0, ((JsonArray)Section["calls"]!).Count));
    public static TheoryData<int> Events => new(Enumerable.Range(0, ((JsonArray)Section["events"]!).Count));
    public static TheoryData<int> Errors => new(Enumerable.Range(0, ((JsonArray)Section["errors"]!).Count));

    private static FunctionABI Function(string signature) => Abi.Functions.Single(f => f.Signature == signature);

    [Theory]
    [MemberData(nameof(Calls))]
    public void Call_data_matches_viem_and_ethers(int index)
    {
        var vector = Section["calls"]![index]!;
        var function = Function(vector["signature"].Text());
        var args = AbiJson.ToValues(function.InputParameters, (JsonArray)vector["args"]!);

        var encoded = new FunctionCallEncoder().EncodeRequest(function.Sha3Signature, function.InputParameters, args);

        Assert.Equal(vector["selector"].Text(), "0x" + function.Sha3Signature);
        Assert.Equal(vector["encoded"].Text(), encoded);
        var decoded = AbiJson.Results(new FunctionCallDecoder().DecodeFunctionInput(function.Sha3Signature, encoded, function.InputParameters));
        for (var i = 0; i < args.Length; i++)
        {
            AbiJson.AssertEqual(function.InputParameters[i].ABIType, vector["args"]![i], decoded[i]);
        }
    }

    [Fact]
    public void Overloads_are_told_apart_by_their_signatures()
    {
        var overloads = Abi.Functions.Where(f => f.Name == "safeTransferFrom").Select(f => f.Signature).Order(StringComparer.Ordinal);

        Assert.Equal(["safeTransferFrom(address,address,uint256)", "safeTransferFrom(address,address,uint256,bytes)"], overloads);
        Assert.Equal(3, Abi.Events.Length);
        Assert.Equal(3, Abi.Errors.Length);
        Assert.Equal(2, Abi.Constructor.InputParameters.Length);
        Assert.Equal("payable", Abi.Functions.Single(f => f.Name == "submit").StateMutability);
    }

    [Fact]
    public void Outputs_decode_by_position_with_tuples_as_their_components()
    {
        var vector = Section["outputs"]![0]!;
        var function = Function(vector["signature"].Text());

        var decoded = AbiJson.Results(new ParameterDecoder().DecodeDefaultData(vector["encoded"].Bytes(), function.OutputParameters));

        for (var i = 0; i < function.OutputParameters.Length; i++)
        {
            AbiJson.AssertEqual(function.OutputParameters[i].ABIType, vector["values"]![i], decoded[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void Logs_decode_by_name_with_indexed_static_values_from_the_topics(int index)
    {
        var vector = Section["events"]![index]!;
        var abiEvent = Abi.Events.Single(e => e.Signature == vector["signature"].Text());
        var topics = ((JsonArray)vector["topics"]!).Select(t => (object)t.Text()).ToArray();
        var expected = (JsonObject)vector["decoded"]!;

        Assert.Equal(vector["topic0"].Text(), "0x" + abiEvent.Sha3Signature);
        Assert.Equal(vector["anonymous"]!.GetValue<bool>(), abiEvent.IsAnonymous);
        // Our contracts index only static values and emit no anonymous events (the indexer skips those): an indexed string
        // or struct is only its hash, which Nethereum does not decode, and its default decoding expects topic 0.
        if (abiEvent.IsAnonymous || abiEvent.InputParameters.Any(p => p.Indexed && p.ABIType.IsDynamic()))
        {
            return;
        }
        var decoded = new EventTopicDecoder(abiEvent.IsAnonymous).DecodeDefaultTopics(abiEvent, topics, vector["data"].Text());
        Assert.Equal(expected.Select(e => e.Key).Order(StringComparer.Ordinal), decoded.Select(d => d.Parameter.Name).Order(StringComparer.Ordinal));
        foreach (var output in decoded)
        {
            AbiJson.AssertEqual(output.Parameter.ABIType, expected[output.Parameter.Name], output.Result);
        }
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void Revert_data_decodes_to_custom_and_built_in_errors(int index)
    {
        var vector = Section["errors"]![index]!;

        var decoded = ContractArtifacts.DecodeError(vector["data"].Bytes(), Abi);

        Assert.True(decoded.IsKnown, decoded.ToString());
        Assert.Equal(vector["name"].Text(), decoded.Name);
        var args = (JsonArray)vector["args"]!;
        Assert.Equal(args.Count, decoded.Arguments.Count);
        var inputs = decoded.Name switch
        {
            "Error" => [new Parameter("string", "message", 1)],
            "Panic" => [new Parameter("uint256", "code", 1)],
            _ => Abi.Errors.Single(e => e.Name == decoded.Name).InputParameters,
        };
        for (var i = 0; i < args.Count; i++)
        {
            AbiJson.AssertEqual(inputs[i].ABIType, args[i], decoded.Arguments[inputs[i].Name]);
        }
        if (decoded.Name is not ("Error" or "Panic"))
        {
            Assert.Equal(vector["selector"].Text(), "0x" + Abi.Errors.Single(e => e.Name == decoded.Name).Sha3Signature);
        }
    }

    [Fact]
    public void Built_in_errors_describe_themselves()
    {
        Assert.Equal("Error(message: \"Ownable: caller is not the owner\")", ContractArtifacts.DecodeError(Section["errors"]![3]!["data"].Bytes()).ToString());
        Assert.Equal(new BigInteger(17), ContractArtifacts.DecodeError(Section["errors"]![4]!["data"].Bytes()).Arguments["code"]);
    }

    [Theory]
    [InlineData("0x", "no revert data")]
    [InlineData("0x1234", "unknown error 0x1234")]
    [InlineData("0xdeadbeef0000", "unknown error 0xdeadbeef")]
    [InlineData("0x08c379a0ffff", "unknown error 0x08c379a0")]
    public void Unknown_or_malformed_revert_data_is_reported_not_thrown(string hex, string description)
    {
        var decoded = ContractArtifacts.DecodeError(hex.HexToByteArray(), Abi);

        Assert.False(decoded.IsKnown);
        Assert.Null(decoded.Name);
        Assert.Contains(description, decoded.ToString(), StringComparison.Ordinal);
        Assert.Equal(hex.HexToByteArray(), decoded.Data);
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void Revert_data_with_trailing_bytes_or_cut_short_is_not_read_as_a_known_error(int index)
    {
        var data = Section["errors"]![index]!["data"].Bytes();

        Assert.False(ContractArtifacts.DecodeError([.. data, 0], Abi).IsKnown);
        Assert.False(ContractArtifacts.DecodeError([.. data, .. new byte[32]], Abi).IsKnown);
        Assert.False(ContractArtifacts.DecodeError(data[..^1], Abi).IsKnown);
    }

    [Fact]
    public void Deployment_data_appends_the_encoded_constructor_arguments()
    {
        var vector = Section["deployment"]!;

        var encoded = new ConstructorCallEncoder().EncodeRequest(vector["bytecode"].Text(), Abi.Constructor.InputParameters, "Heurist", new BigInteger(18));

        Assert.Equal(vector["encoded"].Text(), encoded);
        Assert.ThrowsAny<Exception>(() => new ConstructorCallEncoder().EncodeRequest(vector["bytecode"].Text(), Abi.Constructor.InputParameters, "Heurist", new BigInteger(256)));
    }

    [Fact]
    public void Something_that_is_not_an_abi_is_refused()
    {
        Assert.ThrowsAny<Exception>(() => new ABIJsonDeserialiser().DeserialiseContract("not json"));
        Assert.ThrowsAny<Exception>(() => new ABIJsonDeserialiser().DeserialiseContract("{\"bytecode\":\"0x\"}"));
    }
}
