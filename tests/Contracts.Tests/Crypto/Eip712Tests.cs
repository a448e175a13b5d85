using System.Numerics;
using System.Text.Json.Nodes;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Tests.Vectors;

namespace Heurist.Contracts.Tests.Crypto;

public sealed class Eip712Tests
{
    public static TheoryData<int, string> Cases => Vectors.Vectors.Indexes("eip712");

    private static TypedData Load(int index) => TypedData.Parse(Vectors.Vectors.Case("eip712", index)["typedData"]!.ToJsonString());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hashes_of_wallet_json_match_viem_and_ethers(int index, string label)
    {
        var vector = Vectors.Vectors.Case("eip712", index);
        var typed = Load(index);

        Assert.Equal(vector["encodeType"].Text(), typed.EncodeType(typed.PrimaryType));
        Assert.Equal(vector["domainSeparator"].Text(), Hex.Encode(typed.DomainSeparator()));
        Assert.Equal(vector["messageHash"].Text(), Hex.Encode(typed.HashStruct(typed.PrimaryType, typed.Message)));
        Assert.Equal(vector["hash"].Text(), Hex.Encode(typed.Hash()));
        _ = label;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signing_the_digest_gives_ethers_signature_and_recovers_the_signer(int index, string label)
    {
        var vector = Vectors.Vectors.Case("eip712", index);
        var key = EthereumKey.FromHex(vector["privateKey"].Text());
        var hash = Load(index).Hash();

        var signature = key.Sign(hash);

        Assert.Equal(vector["signature"].Text(), signature.ToString());
        Assert.Equal(key.Address, Signer.Recover(hash, signature));
        _ = label;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToJson_round_trips_to_the_same_digest_with_the_domain_type_included(int index, string label)
    {
        var typed = Load(index);

        var json = JsonNode.Parse(typed.ToJson())!;

        Assert.NotNull(json["types"]!["EIP712Domain"]);
        Assert.Equal(typed.PrimaryType, json["primaryType"].Text());
        Assert.Equal(typed.Hash(), TypedData.Parse(typed.ToJson()).Hash());
        _ = label;
    }

    [Fact]
    public void The_eip712_mail_example_built_from_csharp_values_has_the_specs_digest()
    {
        var typed = new TypedDataBuilder(new Eip712Domain
        {
            Name = "Ether Mail",
            Version = "1",
            ChainId = 1,
            VerifyingContract = EthereumAddress.Parse("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"),
        })
            .Type("Person", ("name", "string"), ("wallet", "address"))
            .Type("Mail", ("from", "Person"), ("to", "Person"), ("contents", "string"))
            .Build("Mail", new Dictionary<string, object?>
            {
                ["from"] = new Dictionary<string, object?> { ["name"] = "Cow", ["wallet"] = EthereumAddress.Parse("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826") },
                ["to"] = new Dictionary<string, object?> { ["name"] = "Bob", ["wallet"] = EthereumAddress.Parse("0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB") },
                ["contents"] = "Hello, Bob!",
            });

        Assert.Equal("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2", Hex.Encode(typed.Hash()));
        Assert.Equal(Vectors.Vectors.Case("eip712", 0)["hash"].Text(), Hex.Encode(TypedData.Parse(typed.ToJson()).Hash()));
    }

    [Fact]
    public void The_complex_case_built_from_csharp_values_matches_viem()
    {
        var maxUint = (BigInteger.One << 256) - 1;
        var typed = TypedData.Create(
            new Eip712Domain
            {
                Name = "Heurist",
                Version = "2",
                ChainId = 31337,
                VerifyingContract = EthereumAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
                Salt = Enumerable.Repeat((byte)0xf2, 32).ToArray(),
            },
            "Order",
            new Dictionary<string, IReadOnlyList<TypedDataField>>
            {
                ["Order"] =
                [
                    new("maker", "Party"), new("items", "Item[]"), new("flags", "bool[2]"), new("matrix", "uint256[][]"),
                    new("note", "string"), new("blob", "bytes"), new("tag", "bytes1"), new("digest", "bytes32"), new("delta", "int8"),
                    new("balance", "int256"), new("cap", "uint256"), new("small", "uint8"), new("deadline", "uint64"),
                ],
                ["Party"] = [new("account", "address"), new("profile", "Zeta")],
                ["Item"] = [new("id", "uint256"), new("data", "bytes"), new("aliases", "string[]")],
                ["Zeta"] = [new("level", "uint16"), new("alpha", "Alpha")],
                ["Alpha"] = [new("label", "string")],
            },
            new Dictionary<string, object?>
            {
                ["maker"] = new Dictionary<string, object?>
                {
                    ["account"] = EthereumAddress.Parse("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"),
                    ["profile"] = new Dictionary<string, object?> { ["level"] = 7, ["alpha"] = new Dictionary<string, object?> { ["label"] = "" } },
                },
                ["items"] = new object[]
                {
                    new Dictionary<string, object?> { ["id"] = 0, ["data"] = Array.Empty<byte>(), ["aliases"] = Array.Empty<string>() },
                    new Dictionary<string, object?>
                    {
                        ["id"] = 255UL,
                        ["data"] = Enumerable.Repeat((byte)0x11, 33).ToArray(),
                        ["aliases"] = new[] { "a", "", "a string longer than thirty-two bytes, for sure" },
                    },
                },
                ["flags"] = new[] { true, false },
                ["matrix"] = new[] { new BigInteger[] { 1, 2 }, [], [maxUint] },
                ["note"] = "héllo wörld 🚀",
                ["blob"] = Enumerable.Repeat((byte)0xab, 32).ToArray(),
                ["tag"] = new byte[] { 0x7f },
                ["digest"] = new byte[31].Append((byte)1).ToArray(),
                ["delta"] = -128,
                ["balance"] = -(BigInteger.One << 255),
                ["cap"] = maxUint,
                ["small"] = (byte)255,
                ["deadline"] = 1700000000L,
            });

        Assert.Equal(Vectors.Vectors.Case("eip712", 2)["hash"].Text(), Hex.Encode(typed.Hash()));
    }

    [Fact]
    public void Without_an_EIP712Domain_type_it_is_derived_from_the_domain_members_present()
    {
        var typed = Load(3);

        Assert.Equal(["name", "chainId"], typed.Types["EIP712Domain"].Select(f => f.Name));
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { """{"message":{"a":"256"},"types":{"T":[{"name":"a","type":"uint8"}]}}""", "T.a: 256 is out of range" },
        { """{"message":{"a":"-1"},"types":{"T":[{"name":"a","type":"uint256"}]}}""", "T.a: -1 is out of range" },
        { """{"message":{"a":"128"},"types":{"T":[{"name":"a","type":"int8"}]}}""", "T.a: 128 is out of range" },
        { """{"message":{},"types":{"T":[{"name":"a","type":"uint8"}]}}""", "T.a: missing" },
        { """{"message":{"a":"1.5"},"types":{"T":[{"name":"a","type":"uint8"}]}}""", "T.a: expected an integer" },
        { """{"message":{"a":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"},"types":{"T":[{"name":"a","type":"address"}]}}""", "EIP-55" },
        { """{"message":{"a":["1"]},"types":{"T":[{"name":"a","type":"uint8[2]"}]}}""", "T.a: uint8[2] needs exactly 2" },
        { """{"message":{"a":"0x0102"},"types":{"T":[{"name":"a","type":"bytes4"}]}}""", "expected exactly 4 byte(s), got 2" },
        { """{"message":{"a":"1"},"types":{"T":[{"name":"a","type":"bool"}]}}""", "T.a: expected true or false" },
        { """{"message":{"a":{}},"types":{"T":[{"name":"a","type":"Persn"}]}}""", "T.a: unknown type 'Persn'" },
        { """{"message":{"a":"x"},"types":{"T":[{"name":"a","type":"bytes"}]}}""", "T.a: expected 0x-hex" },
        { """{"message":{"a":"1"},"types":{"T":[{"name":"a","type":"uint"}]}}""", "T.a: unknown type 'uint'" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Typed_data_that_cannot_be_hashed_is_refused_naming_the_member(string partial, string reason)
    {
        var json = JsonNode.Parse(partial)!.AsObject();
        json["primaryType"] = "T";
        json["domain"] = new JsonObject { ["name"] = "x" };

        var error = Assert.Throws<TypedDataException>(() => TypedData.Parse(json.ToJsonString()).Hash());

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
