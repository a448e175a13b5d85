using System.Numerics;
using System.Text.Json.Nodes;
using Heurist.Contracts.AccountAbstraction;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Imaginaries;
using Nethereum.ABI.EIP712;
using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Heurist.Contracts.Tests.Crypto;

/// <summary>EIP-712 through Nethereum and our guards for typed data from outside, against viem and ethers.</summary>
public sealed class Eip712Tests
{
    private const string Point3dMember = "a struct named Point3d as a member";

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        var cases = Vectors.Vectors.Section("eip712");
        for (var i = 0; i < cases.Count; i++)
        {
            if (cases[i]!["name"].Text() != Point3dMember)
            {
                data.Add(i, cases[i]!["name"].Text());
            }
        }
        return data;
    }

    private static JsonObject Case(string name) => (JsonObject)Vectors.Vectors.Section("eip712").Single(c => c!["name"].Text() == name)!;

    private static string Json(int index) => Vectors.Vectors.Case("eip712", index)["typedData"]!.ToJsonString();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hashes_of_wallet_json_match_viem_and_ethers(int index, string label)
    {
        var vector = Vectors.Vectors.Case("eip712", index);

        var hashes = Eip712TypedDataEncoder.Current.CalculateTypedDataHashes(TypedDataJson.Normalize(Json(index)));

        Assert.Equal(vector["domainSeparator"].Text(), hashes.DomainHash.ToHex(true));
        Assert.Equal(vector["messageHash"].Text(), hashes.MessageHash.ToHex(true));
        Assert.Equal(vector["hash"].Text(), hashes.TypedDataHash.ToHex(true));
        Assert.Equal(vector["hash"].Text(), TypedDataJson.Hash(Json(index)).ToHex(true));
        _ = label;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signing_the_digest_gives_ethers_signature_and_recovers_the_signer(int index, string label)
    {
        var vector = Vectors.Vectors.Case("eip712", index);
        var key = new EthECKey(vector["privateKey"].Text());
        var hash = TypedDataJson.Hash(Json(index));

        var signature = Signatures.Sign(key, hash);

        Assert.Equal(vector["signature"].Text(), signature.ToHex(true));
        Assert.Equal(key.Address, Signatures.Recover(hash, signature));
        _ = label;
    }

    [Fact]
    public void Without_an_EIP712Domain_type_it_is_derived_from_the_domain_members_present_not_Nethereums_four()
    {
        var json = Case("domain with name and chainId only, EIP712Domain left out of the types")["typedData"]!.ToJsonString();

        var normalized = JsonNode.Parse(TypedDataJson.Normalize(json))!;

        Assert.Equal(["name", "chainId"], normalized["types"]!["EIP712Domain"]!.AsArray().Select(f => f!["name"].Text()));
        // Left to itself, Nethereum hashes a name, version, chainId, verifyingContract domain: another digest.
        Assert.ThrowsAny<Exception>(() => Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(json));
    }

    [Fact]
    public void A_struct_whose_name_reads_as_an_integer_type_is_refused_as_a_member_not_hashed_wrongly()
    {
        var json = Case(Point3dMember)["typedData"]!.ToJsonString();

        var error = Assert.Throws<TypedDataException>(() => TypedDataJson.Hash(json));

        Assert.Contains("'Point3d'", error.Message, StringComparison.Ordinal);
        Assert.Contains("rename", error.Message, StringComparison.Ordinal);
    }

    [Struct("Person")]
    public sealed class Person
    {
        [Parameter("string", "name", 1)]
        public string Name { get; set; } = "";

        [Parameter("address", "wallet", 2)]
        public string Wallet { get; set; } = "";
    }

    [Struct("Mail")]
    public sealed class Mail
    {
        [Parameter("tuple", "from", 1, "Person")]
        public Person From { get; set; } = new();

        [Parameter("tuple", "to", 2, "Person")]
        public Person To { get; set; } = new();

        [Parameter("string", "contents", 3)]
        public string Contents { get; set; } = "";
    }

    [Fact]
    public void The_eip712_mail_example_built_from_csharp_classes_has_the_specs_digest()
    {
        var typedData = new TypedData<Domain>
        {
            Domain = new Domain { Name = "Ether Mail", Version = "1", ChainId = 1, VerifyingContract = "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC" },
            Types = MemberDescriptionFactory.GetTypesMemberDescription(typeof(Domain), typeof(Mail), typeof(Person)),
            PrimaryType = "Mail",
        };
        var mail = new Mail
        {
            From = new Person { Name = "Cow", Wallet = "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826" },
            To = new Person { Name = "Bob", Wallet = "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB" },
            Contents = "Hello, Bob!",
        };

        var hash = Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(mail, typedData);

        Assert.Equal("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2", hash.ToHex(true));
        Assert.Equal(hash, TypedDataJson.Hash(typedData.ToJson(mail)));
    }

    [Fact]
    public void A_mint_authorization_hashes_and_serializes_for_a_wallet_as_viem_does()
    {
        var vector = Case("mint authorization, as the portal asks a wallet");
        var message = vector["typedData"]!["message"]!;
        var domain = vector["typedData"]!["domain"]!;
        var authorization = new MintAuthorization(message["to"].Text(), message["imageHash"].Bytes(), message["modelId"].Text(), message["uri"].Text(), ulong.Parse(message["deadline"].Text(), System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(vector["hash"].Text(), authorization.Hash(31337, domain["verifyingContract"].Text()).ToHex(true));
        Assert.Equal(vector["hash"].Text(), TypedDataJson.Hash(authorization.ToTypedDataJson(31337, domain["verifyingContract"].Text())).ToHex(true));
    }

    [Fact]
    public void A_user_operation_hashes_and_serializes_for_a_wallet_as_viem_does()
    {
        var vector = Case("ERC-4337 v0.8 user operation, as the portal asks a wallet");
        var message = vector["typedData"]!["message"]!;
        var entryPoint = vector["typedData"]!["domain"]!["verifyingContract"].Text();
        var operation = new PackedUserOperation
        {
            Sender = message["sender"].Text(),
            Nonce = BigInteger.Parse(message["nonce"].Text(), System.Globalization.CultureInfo.InvariantCulture),
            InitCode = message["initCode"].Bytes(),
            CallData = message["callData"].Bytes(),
            AccountGasLimits = message["accountGasLimits"].Bytes(),
            PreVerificationGas = BigInteger.Parse(message["preVerificationGas"].Text(), System.Globalization.CultureInfo.InvariantCulture),
            GasFees = message["gasFees"].Bytes(),
            PaymasterAndData = message["paymasterAndData"].Bytes(),
            Signature = [1, 2, 3],
        };

        Assert.Equal(vector["hash"].Text(), UserOperations.Hash(operation, entryPoint, 31337).ToHex(true));
        Assert.Equal(vector["hash"].Text(), TypedDataJson.Hash(UserOperations.ToTypedDataJson(operation, entryPoint, 31337)).ToHex(true));
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { """{"message":{"a":"256"},"types":{"T":[{"name":"a","type":"uint8"}]}}""", "cannot be hashed" },
        { """{"message":{"a":"-1"},"types":{"T":[{"name":"a","type":"uint256"}]}}""", "cannot be hashed" },
        { """{"message":{"a":"128"},"types":{"T":[{"name":"a","type":"int8"}]}}""", "cannot be hashed" },
        { """{"message":{},"types":{"T":[{"name":"a","type":"uint8"}]}}""", "T.a: missing" },
        { """{"message":{"a":"1.5"},"types":{"T":[{"name":"a","type":"uint8"}]}}""", "cannot be hashed" },
        { """{"message":{"a":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"},"types":{"T":[{"name":"a","type":"address"}]}}""", "EIP-55" },
        { """{"message":{"a":["1"]},"types":{"T":[{"name":"a","type":"uint8[2]"}]}}""", "T.a: uint8[2] needs exactly 2" },
        { """{"message":{"a":"0x0102"},"types":{"T":[{"name":"a","type":"bytes4"}]}}""", "cannot be hashed" },
        { """{"message":{"a":"1"},"types":{"T":[{"name":"a","type":"bool"}]}}""", "cannot be hashed" },
        { """{"message":{"a":{}},"types":{"T":[{"name":"a","type":"Persn"}]}}""", "T.a: unknown type 'Persn'" },
        { """{"message":{"a":"x"},"types":{"T":[{"name":"a","type":"bytes"}]}}""", "cannot be hashed" },
        { """{"message":{"a":"1"},"types":{"T":[{"name":"a","type":"uint"}]}}""", "T.a: unknown type 'uint'" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Typed_data_that_cannot_be_hashed_is_refused(string partial, string reason)
    {
        var json = JsonNode.Parse(partial)!.AsObject();
        json["primaryType"] = "T";
        json["domain"] = new JsonObject { ["name"] = "x" };

        var error = Assert.Throws<TypedDataException>(() => TypedDataJson.Hash(json.ToJsonString()));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
