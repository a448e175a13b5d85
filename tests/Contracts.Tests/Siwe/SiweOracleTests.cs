using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Heurist.Protocol.Auth;

namespace Heurist.Contracts.Tests.Siwe;

/// <summary>
/// Our EIP-4361 text and parser held to the siwe package (3.0, the reference implementation): the texts it writes for
/// a few field sets, and its parser's verdict on a table of texts (generate-vectors.mjs).
/// </summary>
public sealed class SiweOracleTests
{
    public static TheoryData<int, string> Messages => Vectors.Vectors.Indexes("siwe");

    public static TheoryData<int, string> GrammarCases => Vectors.Vectors.Indexes("siweGrammar");

    private static SiweMessage FromFields(JsonObject fields) => new()
    {
        Scheme = fields["scheme"]?.Text(),
        Domain = fields["domain"].Text(),
        Address = fields["address"].Text(),
        Statement = fields["statement"]?.Text(),
        Uri = fields["uri"].Text(),
        Version = fields["version"].Text(),
        ChainId = (ulong)fields["chainId"].Number(),
        Nonce = fields["nonce"].Text(),
        IssuedAt = Time(fields["issuedAt"])!.Value,
        ExpirationTime = Time(fields["expirationTime"]),
        NotBefore = Time(fields["notBefore"]),
        RequestId = fields["requestId"]?.Text(),
        Resources = fields["resources"] is JsonArray resources ? [.. resources.Select(r => r.Text())] : [],
    };

    private static DateTimeOffset? Time(JsonNode? node)
        => node is null ? null : DateTimeOffset.ParseExact(node.Text(), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [Theory]
    [MemberData(nameof(Messages))]
    public void ToMessage_writes_the_text_the_siwe_package_writes(int index, string label)
    {
        var vector = Vectors.Vectors.Case("siwe", index);

        Assert.Equal(vector["text"].Text(), FromFields((JsonObject)vector["fields"]!).ToMessage());
        _ = label;
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void The_parser_reads_a_siwe_text_back_to_its_fields(int index, string label)
    {
        var vector = Vectors.Vectors.Case("siwe", index);

        Assert.Equal(FromFields((JsonObject)vector["fields"]!), SiweMessageParser.Parse(vector["text"].Text()));
        _ = label;
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void The_EIP_191_hash_of_the_text_is_viem_s_and_a_viem_signature_recovers_its_address(int index, string label)
    {
        var vector = Vectors.Vectors.Case("siwe", index);
        var text = vector["text"].Text();

        var hash = new EthereumMessageSigner().HashPrefixedMessage(Encoding.UTF8.GetBytes(text));

        Assert.Equal(vector["hash"].Text(), hash.ToHex(true));
        if (vector["signature"] is { } signature)
        {
            Assert.Equal(vector["fields"]!["address"].Text(), Signatures.Recover(hash, signature.Bytes()));
        }
        _ = label;
    }

    [Fact]
    public void The_oracle_signs_messages_and_marks_its_differences()
    {
        Assert.Contains(Vectors.Vectors.Section("siwe"), v => v!["signature"] is not null);
        Assert.Contains(Vectors.Vectors.Section("siweGrammar"), v => v!["heurist"] is not null);
        Assert.Contains(Vectors.Vectors.Section("siweGrammar"), v => v!["siwe"].Text() == "refused");
        Assert.Contains(Vectors.Vectors.Section("siweGrammar"), v => v!["siwe"].Text() == "accepted");
    }

    [Theory]
    [MemberData(nameof(GrammarCases))]
    public void The_parser_accepts_and_refuses_what_the_siwe_parser_does_but_where_marked(int index, string label)
    {
        var vector = Vectors.Vectors.Case("siweGrammar", index);
        var expected = (vector["heurist"] ?? vector["siwe"]).Text();

        var accepted = SiweMessageParser.TryParse(vector["text"].Text(), out _, out var error);

        Assert.True(accepted == (expected == "accepted"), $"{label}: expected {expected}, but {(accepted ? "accepted" : $"refused: {error}")}");
    }
}
