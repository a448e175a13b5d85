using System.Numerics;
using System.Text.Json.Nodes;
using Heurist.Contracts.Abi;
using Heurist.Contracts.Tests.Vectors;

namespace Heurist.Contracts.Tests.Abi;

public sealed class ContractAbiTests
{
    private static JsonObject Section => (JsonObject)Vectors.Vectors.Root["contractAbi"]!;

    private static ContractAbi Abi => ContractAbi.Parse(Section["abi"]!.ToJsonString());

    public static TheoryData<int> Calls => new(Enumerable.Range(0, ((JsonArray)Section["calls"]!).Count));
    public static TheoryData<int> Events => new(Enumerable.Range(0, ((JsonArray)Section["events"]!).Count));
    public static TheoryData<int> Errors => new(Enumerable.Range(0, ((JsonArray)Section["errors"]!).Count));

    [Theory]
    [MemberData(nameof(Calls))]
    public void Call_data_matches_viem_and_ethers(int index)
    {
        var vector = Section["calls"]![index]!;
        var function = Abi.Function(vector["signature"].Text());
        var args = AbiJson.ToValues(function.Inputs.Select(p => p.Type).ToList(), (JsonArray)vector["args"]!);

        var encoded = function.EncodeCall(args);

        Assert.Equal(vector["signature"].Text(), function.Signature);
        Assert.Equal(vector["selector"].Text(), Hex.Encode(function.Selector));
        Assert.Equal(vector["encoded"].Text(), Hex.Encode(encoded));
        var decoded = function.DecodeCall(encoded);
        for (var i = 0; i < args.Length; i++)
        {
            AbiJson.AssertEqual(function.Inputs[i].Type, vector["args"]![i], decoded[i]);
        }
    }

    [Fact]
    public void Overloads_are_picked_by_argument_count_or_signature_and_a_bare_name_is_ambiguous()
    {
        var abi = Abi;

        Assert.Equal("safeTransferFrom(address,address,uint256,bytes)", abi.Function("safeTransferFrom", 4).Signature);
        Assert.Equal("safeTransferFrom(address,address,uint256)", abi.Function("safeTransferFrom(address from, address to, uint tokenId)").Signature);
        var ambiguous = Assert.Throws<AbiLookupException>(() => abi.Function("safeTransferFrom"));
        Assert.Contains("safeTransferFrom(address,address,uint256,bytes)", ambiguous.Message, StringComparison.Ordinal);
        Assert.Throws<AbiLookupException>(() => abi.Function("mint"));
        Assert.Throws<AbiLookupException>(() => abi.Function("transfer", 3));
    }

    [Fact]
    public void An_artifact_object_with_an_abi_member_parses_like_the_bare_array()
    {
        var artifact = new JsonObject { ["contractName"] = "Token", ["abi"] = Section["abi"]!.DeepClone(), ["bytecode"] = "0x00" };

        var abi = ContractAbi.Parse(artifact.ToJsonString());

        Assert.Equal(Abi.Functions.Select(f => f.Signature), abi.Functions.Select(f => f.Signature));
        Assert.Equal(3, abi.Events.Count);
        Assert.Equal(3, abi.Errors.Count);
        Assert.Equal(2, abi.Constructor!.Inputs.Count);
        Assert.Equal("payable", abi.Function("submit").StateMutability);
    }

    [Fact]
    public void Outputs_decode_by_position_with_tuples_as_arrays()
    {
        var vector = Section["outputs"]![0]!;
        var function = Abi.Function(vector["signature"].Text());

        var decoded = function.DecodeOutput(vector["encoded"].Bytes());

        for (var i = 0; i < function.Outputs.Count; i++)
        {
            AbiJson.AssertEqual(function.Outputs[i].Type, vector["values"]![i], decoded[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void Logs_decode_by_name_with_indexed_dynamic_values_as_their_hash(int index)
    {
        var vector = Section["events"]![index]!;
        var abiEvent = Abi.Event(vector["signature"].Text());
        var topics = ((JsonArray)vector["topics"]!).Select(t => t.Bytes()).ToList();

        var decoded = abiEvent.DecodeLog(topics, vector["data"].Bytes());

        Assert.Equal(vector["topic0"].Text(), Hex.Encode(abiEvent.Topic0));
        Assert.Equal(vector["anonymous"]!.GetValue<bool>(), abiEvent.Anonymous);
        var expected = (JsonObject)vector["decoded"]!;
        Assert.Equal(expected.Select(e => e.Key), decoded.Keys);
        foreach (var parameter in abiEvent.Parameters)
        {
            var isHashed = parameter.Indexed && parameter.Type.Kind is AbiTypeKind.String or AbiTypeKind.Bytes or AbiTypeKind.Array or AbiTypeKind.Tuple;
            AbiJson.AssertEqual(isHashed ? AbiType.FixedBytes(32) : parameter.Type, expected[parameter.Name], decoded[parameter.Name]);
        }
    }

    [Fact]
    public void A_log_of_another_event_is_refused()
    {
        var transfer = Section["events"]![0]!;
        var topics = ((JsonArray)transfer["topics"]!).Select(t => t.Bytes()).ToList();

        var error = Assert.Throws<AbiDecodingException>(() => Abi.Event("Noted").DecodeLog(topics, transfer["data"].Bytes()));
        Assert.Contains("not a Noted(", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void Revert_data_decodes_to_custom_and_built_in_errors(int index)
    {
        var vector = Section["errors"]![index]!;

        var decoded = Abi.DecodeError(vector["data"].Bytes());

        Assert.True(decoded.IsKnown, decoded.Description);
        Assert.Equal(vector["name"].Text(), decoded.Name);
        Assert.Equal(vector["signature"].Text(), decoded.Signature);
        var args = (JsonArray)vector["args"]!;
        Assert.Equal(args.Count, decoded.Arguments.Count);
        var inputs = decoded.Name switch
        {
            "Error" => AbiError.ErrorString.Inputs,
            "Panic" => AbiError.Panic.Inputs,
            _ => Abi.Error(decoded.Name!).Inputs,
        };
        for (var i = 0; i < args.Count; i++)
        {
            AbiJson.AssertEqual(inputs[i].Type, args[i], decoded.Arguments[inputs[i].Name]);
        }
        if (decoded.Name is not ("Error" or "Panic"))
        {
            Assert.Equal(vector["selector"].Text(), Hex.Encode(Abi.Error(decoded.Name!).Selector));
        }
    }

    [Fact]
    public void Built_in_errors_describe_themselves()
    {
        Assert.Equal("Error(\"Ownable: caller is not the owner\")", Abi.DecodeError(Section["errors"]![3]!["data"].Bytes()).Description);
        Assert.Equal("Panic(0x11: arithmetic overflow or underflow)", Abi.DecodeError(Section["errors"]![4]!["data"].Bytes()).Description);
        Assert.Equal(new BigInteger(17), Abi.DecodeError(Section["errors"]![4]!["data"].Bytes()).Arguments["code"]);
    }

    [Theory]
    [InlineData("0x", "reverted without data")]
    [InlineData("0x1234", "shorter than a selector")]
    [InlineData("0xdeadbeef0000", "unknown error with selector 0xdeadbeef")]
    [InlineData("0x08c379a0ffff", "does not decode")]
    public void Unknown_or_malformed_revert_data_is_reported_not_thrown(string hex, string description)
    {
        var decoded = Abi.DecodeError(Hex.Decode(hex));

        Assert.False(decoded.IsKnown);
        Assert.Null(decoded.Name);
        Assert.Contains(description, decoded.Description, StringComparison.Ordinal);
        Assert.Equal(Hex.Decode(hex), decoded.Data);
    }

    [Fact]
    public void Deployment_data_appends_the_encoded_constructor_arguments()
    {
        var vector = Section["deployment"]!;

        var encoded = Abi.EncodeDeployment(vector["bytecode"].Bytes(), "Heurist", 18);

        Assert.Equal(vector["encoded"].Text(), Hex.Encode(encoded));
        Assert.Throws<AbiEncodingException>(() => Abi.EncodeDeployment(vector["bytecode"].Bytes(), "Heurist", 256));
    }

    [Fact]
    public void Something_that_is_not_an_abi_is_refused()
    {
        Assert.Throws<FormatException>(() => ContractAbi.Parse("{\"bytecode\":\"0x\"}"));
        Assert.Throws<FormatException>(() => ContractAbi.Parse("[{\"type\":\"gizmo\"}]"));
        Assert.Throws<FormatException>(() => ContractAbi.Parse("not json"));
    }
}
