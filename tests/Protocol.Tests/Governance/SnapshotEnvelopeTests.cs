using System.Text.Json.Nodes;
using Heurist.Protocol.Governance;

namespace Heurist.Protocol.Tests.Governance;

/// <summary>Reading what snapshot.js's Client712 posts: every shape it sends is taken, every other shape refused with a reason.</summary>
public sealed class SnapshotEnvelopeTests
{
    private const string Alice = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    private const string Signature = "0x" + "ab" + "11111111111111111111111111111111111111111111111111111111111111" + "2222222222222222222222222222222222222222222222222222222222222222" + "1b";

    private const string ProposalId = "0x5e3c1d1b4e4c2a0d8a7f0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e";

    private static JsonObject ProposalMessage() => new()
    {
        ["from"] = Alice,
        ["space"] = "heurist.eth",
        ["timestamp"] = 1_765_000_000,
        ["type"] = "weighted",
        ["title"] = "Split the GPUs",
        ["body"] = "How should the network's GPUs be split?",
        ["discussion"] = "",
        ["choices"] = new JsonArray("sd15", "sdxl"),
        ["labels"] = new JsonArray(),
        ["start"] = 1_765_000_100,
        ["end"] = 1_765_600_000,
        ["snapshot"] = 42,
        ["plugins"] = """{"heurist":{"kind":"model-allocation"}}""",
        ["privacy"] = "",
        ["app"] = "heurist",
    };

    private static JsonObject VoteMessage(JsonNode choice) => new()
    {
        ["from"] = Alice,
        ["space"] = "heurist.eth",
        ["timestamp"] = 1_765_000_200,
        ["proposal"] = ProposalId,
        ["choice"] = choice,
        ["reason"] = "more SDXL",
        ["app"] = "snapshot",
        ["metadata"] = "{}",
    };

    private static JsonObject CancelMessage() => new()
    {
        ["from"] = Alice,
        ["space"] = "heurist.eth",
        ["timestamp"] = 1_765_000_300,
        ["proposal"] = ProposalId,
    };

    private static JsonObject Envelope(SnapshotMessageKind kind, JsonObject message)
        => JsonNode.Parse(SnapshotTypes.Envelope(Alice, Signature, kind, message))!.AsObject();

    private static JsonObject ProposalEnvelope() => Envelope(SnapshotMessageKind.Proposal, ProposalMessage());

    private static SnapshotEnvelope Parsed(string json)
    {
        Assert.True(SnapshotEnvelope.TryParse(json, out var envelope, out var refusal), refusal?.ToString());
        Assert.Null(refusal);
        return envelope;
    }

    private static SnapshotEnvelope Parsed(JsonObject envelope) => Parsed(envelope.ToJsonString());

    private static SnapshotRefusal Refused(string json, string error)
    {
        Assert.False(SnapshotEnvelope.TryParse(json, out var envelope, out var refusal), "it was read, but it should be refused");
        Assert.Null(envelope);
        Assert.Equal(error, refusal.Error);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Description));
        return refusal;
    }

    private static SnapshotRefusal Refused(JsonObject envelope, string error) => Refused(envelope.ToJsonString(), error);

    private static JsonObject Data(JsonObject envelope) => envelope["data"]!.AsObject();

    private static JsonObject Message(JsonObject envelope) => Data(envelope)["message"]!.AsObject();

    private static JsonObject Types(JsonObject envelope) => Data(envelope)["types"]!.AsObject();

    [Fact]
    public void A_proposal_as_snapshot_js_sends_it_is_read_with_every_member()
    {
        var envelope = Parsed(ProposalEnvelope());

        Assert.Equal(SnapshotMessageKind.Proposal, envelope.Kind);
        Assert.Equal(Alice, envelope.Address);
        Assert.Equal(Signature.ToLowerInvariant(), envelope.Signature);
        var proposal = Assert.IsType<ProposalMessage>(envelope.Message);
        Assert.Equal(
            new ProposalMessage(Alice, "heurist.eth", 1_765_000_000, "weighted", "Split the GPUs", "How should the network's GPUs be split?", "",
                proposal.Choices, proposal.Labels, 1_765_000_100, 1_765_600_000, 42, """{"heurist":{"kind":"model-allocation"}}""", "", "heurist"),
            proposal);
        Assert.Equal(["sd15", "sdxl"], proposal.Choices);
        Assert.Empty(proposal.Labels);
    }

    [Fact]
    public void A_vote_with_one_choice_number_is_read_as_the_uint32_form()
    {
        var envelope = Parsed(Envelope(SnapshotMessageKind.Vote, VoteMessage(2)));

        Assert.Equal(SnapshotMessageKind.Vote, envelope.Kind);
        var vote = Assert.IsType<VoteMessage>(envelope.Message);
        Assert.Equal(VoteChoice.OfChoice(2), vote.Choice);
        Assert.Equal(ProposalId, vote.Proposal);
        Assert.Equal(("more SDXL", "snapshot", "{}", 1_765_000_200L), (vote.Reason, vote.App, vote.Metadata, vote.Timestamp));
    }

    [Fact]
    public void A_vote_with_a_list_of_choice_numbers_is_read_as_the_uint32_array_form()
    {
        var envelope = Parsed(Envelope(SnapshotMessageKind.VoteArray, VoteMessage(new JsonArray(3, 1, 2))));

        Assert.Equal(SnapshotMessageKind.VoteArray, envelope.Kind);
        Assert.Equal(VoteChoice.OfChoices([3, 1, 2]), Assert.IsType<VoteMessage>(envelope.Message).Choice);
    }

    [Fact]
    public void A_vote_with_a_string_of_json_weights_is_read_as_the_string_form()
    {
        var envelope = Parsed(Envelope(SnapshotMessageKind.VoteString, VoteMessage("""{"1":70,"2":30}""")));

        Assert.Equal(SnapshotMessageKind.VoteString, envelope.Kind);
        Assert.Equal(VoteChoice.OfWeights([new(1, 70m), new(2, 30m)]), Assert.IsType<VoteMessage>(envelope.Message).Choice);
    }

    [Fact]
    public void A_cancellation_is_read_with_the_proposal_it_withdraws()
    {
        var envelope = Parsed(Envelope(SnapshotMessageKind.CancelProposal, CancelMessage()));

        Assert.Equal(SnapshotMessageKind.CancelProposal, envelope.Kind);
        Assert.Equal(new CancelProposalMessage(Alice, "heurist.eth", 1_765_000_300, ProposalId), envelope.Message);
    }

    public static TheoryData<SnapshotMessageKind> Kinds() => new(Enum.GetValues<SnapshotMessageKind>());

    private static JsonObject EnvelopeOf(SnapshotMessageKind kind) => kind switch
    {
        SnapshotMessageKind.Proposal => ProposalEnvelope(),
        SnapshotMessageKind.Vote => Envelope(kind, VoteMessage(1)),
        SnapshotMessageKind.VoteArray => Envelope(kind, VoteMessage(new JsonArray(1))),
        SnapshotMessageKind.VoteString => Envelope(kind, VoteMessage("""{"1":1}""")),
        _ => Envelope(kind, CancelMessage()),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_is_read_with_or_without_an_EIP712Domain_entry_in_its_types_and_to_the_same_typed_data(SnapshotMessageKind kind)
    {
        var without = EnvelopeOf(kind);
        var with = EnvelopeOf(kind);
        Types(with)[SnapshotTypes.DomainType] = new JsonArray(Field("name", "string"), Field("version", "string"));

        var a = Parsed(without);
        var b = Parsed(with);

        Assert.Equal(kind, a.Kind);
        Assert.Equal(kind, b.Kind);
        Assert.Equal(a.TypedData, b.TypedData);
        Assert.Equal(a.Message, b.Message, MessageComparer.Instance);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_typed_data_is_what_a_wallet_signs_for_the_same_message(SnapshotMessageKind kind)
    {
        var envelope = EnvelopeOf(kind);

        var typed = JsonNode.Parse(Parsed(envelope).TypedData)!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SnapshotTypes.TypedData(kind, Message(envelope))), typed), typed.ToJsonString());
    }

    [Fact]
    public void Integers_written_as_strings_of_digits_give_the_same_typed_data_as_numbers()
    {
        var numbers = ProposalEnvelope();
        var strings = ProposalEnvelope();
        Message(strings)["timestamp"] = "1765000000";
        Message(strings)["snapshot"] = "0042";
        var arrayNumbers = Envelope(SnapshotMessageKind.VoteArray, VoteMessage(new JsonArray(2, 1)));
        var arrayStrings = Envelope(SnapshotMessageKind.VoteArray, VoteMessage(JsonNode.Parse("[\"2\", 1.0]")!));

        Assert.Equal(Parsed(numbers).TypedData, Parsed(strings).TypedData);
        Assert.Equal(Parsed(arrayNumbers).TypedData, Parsed(arrayStrings).TypedData);
        Assert.Equal(VoteChoice.OfChoices([2, 1]), Assert.IsType<VoteMessage>(Parsed(arrayStrings).Message).Choice);
    }

    [Fact]
    public void A_primary_type_naming_the_struct_and_a_chain_id_in_the_domain_are_taken_into_the_typed_data()
    {
        var envelope = ProposalEnvelope();
        Data(envelope)["primaryType"] = "Proposal";
        Data(envelope)["domain"]!["chainId"] = 1;

        var typed = JsonNode.Parse(Parsed(envelope).TypedData)!;

        Assert.Equal(1, typed["domain"]!["chainId"]!.GetValue<long>());
        Assert.Equal(["name", "version", "chainId"], typed["types"]![SnapshotTypes.DomainType]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Members_the_struct_does_not_have_are_left_out_of_the_typed_data_as_the_hash_leaves_them_out()
    {
        var envelope = EnvelopeOf(SnapshotMessageKind.Vote);
        Message(envelope)["type"] = "single-choice";

        var typed = JsonNode.Parse(Parsed(envelope).TypedData)!;

        Assert.Null(typed["message"]!["type"]);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"address\":")]
    [InlineData("")]
    public void A_body_that_is_not_json_is_a_wrong_envelope_format(string body)
        => Assert.Contains("not JSON", Refused(body, SnapshotEnvelope.WrongFormat).Description, StringComparison.Ordinal);

    [Theory]
    [InlineData("[]")]
    [InlineData("\"envelope\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void A_body_that_is_not_an_object_is_a_wrong_envelope_format(string body)
        => Assert.Contains("JSON object", Refused(body, SnapshotEnvelope.WrongFormat).Description, StringComparison.Ordinal);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266")]
    [InlineData("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb9226")]
    [InlineData("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb922666")]
    [InlineData("0xg39Fd6e51aad88F6F4ce6aB8827279cffFb92266")]
    [InlineData("alice.eth")]
    public void A_bad_address_is_a_wrong_envelope_format(string? address)
    {
        var envelope = ProposalEnvelope();
        envelope["address"] = address;

        Assert.Contains("address must be", Refused(envelope, SnapshotEnvelope.WrongFormat).Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0xabc")]
    [InlineData("abcd")]
    [InlineData("0xzz")]
    [InlineData("0x 1")]
    public void A_bad_signature_hex_is_a_wrong_envelope_format(string? sig)
    {
        var envelope = ProposalEnvelope();
        envelope["sig"] = sig;

        Assert.Contains("sig must be", Refused(envelope, SnapshotEnvelope.WrongFormat).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_longer_than_the_limit_is_a_wrong_envelope_format_and_one_at_it_is_taken()
    {
        var atLimit = ProposalEnvelope();
        atLimit["sig"] = "0x" + new string('a', 2 * SnapshotEnvelope.MaxSignatureBytes);
        var overLimit = ProposalEnvelope();
        overLimit["sig"] = "0x" + new string('a', (2 * SnapshotEnvelope.MaxSignatureBytes) + 2);

        Parsed(atLimit);
        Refused(overLimit, SnapshotEnvelope.WrongFormat);
    }

    [Theory]
    [InlineData("data", "data must be an object")]
    [InlineData("domain", "data.domain must be an object")]
    [InlineData("types", "data.types must be an object")]
    [InlineData("message", "data.message must be an object")]
    public void A_missing_part_is_a_wrong_envelope_format_naming_it(string part, string description)
    {
        var envelope = ProposalEnvelope();
        if (part == "data")
        {
            envelope.Remove("data");
        }
        else
        {
            Data(envelope).Remove(part);
        }

        Assert.StartsWith(description, Refused(envelope, SnapshotEnvelope.WrongFormat).Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data", "[]")]
    [InlineData("domain", "\"snapshot\"")]
    [InlineData("types", "[]")]
    [InlineData("message", "null")]
    public void A_part_that_is_not_an_object_is_a_wrong_envelope_format(string part, string json)
    {
        var envelope = ProposalEnvelope();
        if (part == "data")
        {
            envelope["data"] = JsonNode.Parse(json);
        }
        else
        {
            Data(envelope)[part] = JsonNode.Parse(json);
        }

        Refused(envelope, SnapshotEnvelope.WrongFormat);
    }

    [Fact]
    public void Members_the_envelope_or_its_data_do_not_have_are_a_wrong_envelope_format()
    {
        var envelope = ProposalEnvelope();
        envelope["hash"] = "0x00";
        var data = ProposalEnvelope();
        Data(data)["signature"] = "0x00";

        Assert.Contains("\"hash\"", Refused(envelope, SnapshotEnvelope.WrongFormat).Description, StringComparison.Ordinal);
        Assert.Contains("\"signature\"", Refused(data, SnapshotEnvelope.WrongFormat).Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":"Snapshot","version":"0.1.4"}""")]
    [InlineData("""{"name":"snapshot","version":"0.1.5"}""")]
    [InlineData("""{"name":"snapshot"}""")]
    [InlineData("""{"version":"0.1.4"}""")]
    [InlineData("""{"name":"snapshot","version":0.14}""")]
    [InlineData("""{"name":"snapshot","version":"0.1.4","verifyingContract":"0x0000000000000000000000000000000000000000"}""")]
    [InlineData("""{"name":"snapshot","version":"0.1.4","chainId":0}""")]
    [InlineData("""{"name":"snapshot","version":"0.1.4","chainId":"one"}""")]
    public void A_domain_other_than_snapshots_is_a_wrong_domain(string domain)
    {
        var envelope = ProposalEnvelope();
        Data(envelope)["domain"] = JsonNode.Parse(domain);

        Refused(envelope, SnapshotEnvelope.WrongDomain);
    }

    [Fact]
    public void Types_without_a_struct_are_wrong_types()
    {
        var envelope = ProposalEnvelope();
        Data(envelope)["types"] = new JsonObject();

        Assert.Contains("declares none", Refused(envelope, SnapshotEnvelope.WrongTypes).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_struct_is_wrong_types()
    {
        var envelope = ProposalEnvelope();
        var types = Types(envelope);
        types["Follow"] = types["Proposal"]!.DeepClone();
        types.Remove("Proposal");

        Assert.Contains("Follow is not one of them", Refused(envelope, SnapshotEnvelope.WrongTypes).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_struct_beside_the_first_is_wrong_types()
    {
        var envelope = ProposalEnvelope();
        Types(envelope)["Extra"] = new JsonArray(Field("x", "string"));

        Assert.Contains("both Proposal and Extra", Refused(envelope, SnapshotEnvelope.WrongTypes).Description, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> WrongFieldLists() => new()
    {
        { "members out of order", """[{"name":"space","type":"string"},{"name":"from","type":"string"},{"name":"timestamp","type":"uint64"},{"name":"proposal","type":"string"}]""" },
        { "a wrong type name", """[{"name":"from","type":"address"},{"name":"space","type":"string"},{"name":"timestamp","type":"uint64"},{"name":"proposal","type":"string"}]""" },
        { "a uint256 timestamp", """[{"name":"from","type":"string"},{"name":"space","type":"string"},{"name":"timestamp","type":"uint256"},{"name":"proposal","type":"string"}]""" },
        { "a member missing", """[{"name":"from","type":"string"},{"name":"space","type":"string"},{"name":"timestamp","type":"uint64"}]""" },
        { "a member too many", """[{"name":"from","type":"string"},{"name":"space","type":"string"},{"name":"timestamp","type":"uint64"},{"name":"proposal","type":"string"},{"name":"reason","type":"string"}]""" },
        { "a field with a third key", """[{"name":"from","type":"string","indexed":true},{"name":"space","type":"string"},{"name":"timestamp","type":"uint64"},{"name":"proposal","type":"string"}]""" },
        { "a field that is a string", """["from string","space string","timestamp uint64","proposal string"]""" },
        { "an object, not a list", """{"from":"string"}""" },
    };

    [Theory]
    [MemberData(nameof(WrongFieldLists))]
    public void A_struct_whose_members_differ_from_snapshot_js_is_wrong_types(string name, string fields)
    {
        var envelope = Envelope(SnapshotMessageKind.CancelProposal, CancelMessage());
        Types(envelope)["CancelProposal"] = JsonNode.Parse(fields);

        Refused(envelope, SnapshotEnvelope.WrongTypes);
        _ = name;
    }

    [Fact]
    public void A_vote_choice_of_a_type_snapshot_js_does_not_sign_is_wrong_types()
    {
        var envelope = Envelope(SnapshotMessageKind.Vote, VoteMessage(1));
        Types(envelope)["Vote"]![4]!["type"] = "uint8";

        Refused(envelope, SnapshotEnvelope.WrongTypes);
    }

    [Fact]
    public void An_EIP712Domain_that_does_not_list_the_domain_members_is_wrong_types()
    {
        var reordered = ProposalEnvelope();
        Types(reordered)[SnapshotTypes.DomainType] = new JsonArray(Field("version", "string"), Field("name", "string"));
        var withChain = ProposalEnvelope();
        Types(withChain)[SnapshotTypes.DomainType] = new JsonArray(Field("name", "string"), Field("version", "string"), Field("chainId", "uint256"));

        Assert.Contains("string name, string version", Refused(reordered, SnapshotEnvelope.WrongTypes).Description, StringComparison.Ordinal);
        Refused(withChain, SnapshotEnvelope.WrongTypes);
    }

    [Fact]
    public void A_primary_type_other_than_the_struct_is_wrong_types()
    {
        var envelope = ProposalEnvelope();
        Data(envelope)["primaryType"] = "Vote";

        Refused(envelope, SnapshotEnvelope.WrongTypes);
    }

    public static TheoryData<string> ProposalMembers() => new(SnapshotTypes.Fields(SnapshotMessageKind.Proposal).Select(f => f.Name));

    [Theory]
    [MemberData(nameof(ProposalMembers))]
    public void A_proposal_missing_a_member_is_a_wrong_envelope_format_naming_it(string member)
    {
        var envelope = ProposalEnvelope();
        Message(envelope).Remove(member);

        Assert.StartsWith($"data.message.{member} must be", Refused(envelope, SnapshotEnvelope.WrongFormat).Description, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> WrongKinds() => new()
    {
        { "title", "42" },
        { "from", "null" },
        { "timestamp", "\"yesterday\"" },
        { "timestamp", "1.5" },
        { "timestamp", "-1" },
        { "timestamp", "true" },
        { "timestamp", "\"\"" },
        { "timestamp", "\"-1\"" },
        { "timestamp", "\"1e9\"" },
        { "choices", "\"sd15\"" },
        { "choices", "[\"sd15\", 2]" },
        { "labels", "{}" },
        { "start", "[]" },
        { "plugins", "{}" },
    };

    [Theory]
    [MemberData(nameof(WrongKinds))]
    public void A_member_of_the_wrong_json_kind_is_a_wrong_envelope_format_naming_it(string member, string json)
    {
        var envelope = ProposalEnvelope();
        Message(envelope)[member] = JsonNode.Parse(json);

        Assert.StartsWith($"data.message.{member} must be", Refused(envelope, SnapshotEnvelope.WrongFormat).Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("18446744073709551615")]
    [InlineData("1e19")]
    [InlineData("\"9223372036854775808\"")]
    [InlineData("\"123456789012345678901\"")]
    public void A_uint64_beyond_its_range_is_a_wrong_envelope_format(string json)
    {
        var envelope = ProposalEnvelope();
        Message(envelope)["end"] = JsonNode.Parse(json);

        Assert.Equal("data.message.end must be a whole number from 0 to 2^63 − 1", Refused(envelope, SnapshotEnvelope.WrongFormat).Description);
    }

    [Fact]
    public void A_uint64_at_the_top_of_its_range_is_taken()
    {
        var envelope = ProposalEnvelope();
        Message(envelope)["end"] = "9223372036854775807";

        Assert.Equal(long.MaxValue, Assert.IsType<ProposalMessage>(Parsed(envelope).Message).End);
    }

    [Theory]
    [InlineData(SnapshotMessageKind.Vote, "4294967296")]
    [InlineData(SnapshotMessageKind.Vote, "-1")]
    [InlineData(SnapshotMessageKind.Vote, "1.5")]
    [InlineData(SnapshotMessageKind.Vote, "[1]")]
    [InlineData(SnapshotMessageKind.VoteArray, "[1, 4294967296]")]
    [InlineData(SnapshotMessageKind.VoteArray, "[-1]")]
    [InlineData(SnapshotMessageKind.VoteArray, "2")]
    [InlineData(SnapshotMessageKind.VoteString, "{\"1\":1}")]
    public void A_choice_out_of_its_types_range_or_of_the_wrong_kind_is_a_wrong_envelope_format(SnapshotMessageKind kind, string json)
    {
        var envelope = Envelope(kind, VoteMessage(1));
        Message(envelope)["choice"] = JsonNode.Parse(json);

        Assert.StartsWith("data.message.choice must be", Refused(envelope, SnapshotEnvelope.WrongFormat).Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sdxl")]
    [InlineData("[1,2]")]
    [InlineData("2")]
    [InlineData("{\"1\":")]
    [InlineData("")]
    public void A_string_choice_that_is_not_json_weights_is_a_wrong_envelope_format(string choice)
    {
        var envelope = Envelope(SnapshotMessageKind.VoteString, VoteMessage(choice));

        Assert.StartsWith("data.message.choice: a string choice must hold", Refused(envelope, SnapshotEnvelope.WrongFormat).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void String_weights_with_a_bad_key_are_a_wrong_envelope_format_saying_why()
    {
        var envelope = Envelope(SnapshotMessageKind.VoteString, VoteMessage("""{"one":1}"""));

        Assert.Equal("""data.message.choice: a weight's key must be a choice number such as "1", not "one" """.TrimEnd(),
            Refused(envelope, SnapshotEnvelope.WrongFormat).Description);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_missing_from_is_a_wrong_envelope_format(SnapshotMessageKind kind)
    {
        var envelope = EnvelopeOf(kind);
        Message(envelope).Remove("from");

        Refused(envelope, SnapshotEnvelope.WrongFormat);
    }

    [Fact]
    public void A_from_that_is_no_address_is_a_wrong_envelope_format()
    {
        var envelope = ProposalEnvelope();
        Message(envelope)["from"] = "alice.eth";

        Assert.Equal("data.message.from must be a 0x-prefixed 20-byte hex address", Refused(envelope, SnapshotEnvelope.WrongFormat).Description);
    }

    [Fact]
    public void A_from_other_than_the_address_is_wrong_from_but_another_case_of_it_is_the_same()
    {
        var other = ProposalEnvelope();
        Message(other)["from"] = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
        var lower = ProposalEnvelope();
        Message(lower)["from"] = Alice.ToLowerInvariant();

        var refusal = Refused(other, SnapshotEnvelope.WrongFrom);
        Parsed(lower);

        Assert.Contains("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", refusal.Description, StringComparison.Ordinal);
        Assert.Contains(Alice, refusal.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_envelope_over_the_limit_is_too_large_before_it_is_read()
    {
        var envelope = ProposalEnvelope();
        Message(envelope)["body"] = "";
        var text = envelope.ToJsonString();
        Message(envelope)["body"] = new string('x', SnapshotEnvelope.MaxLength - text.Length + 1);
        var over = envelope.ToJsonString();

        Assert.Equal(SnapshotEnvelope.MaxLength + 1, over.Length);
        Assert.Contains("100,001", Refused(over, SnapshotEnvelope.TooLarge).Description, StringComparison.Ordinal);
        Refused(new string('{', SnapshotEnvelope.MaxLength + 1), SnapshotEnvelope.TooLarge);
        Message(envelope)["body"] = new string('x', SnapshotEnvelope.MaxLength - text.Length);
        Parsed(envelope);
    }

    [Fact]
    public void A_refusal_reads_as_the_sequencers_reason_and_then_why()
        => Assert.Equal("wrong from: x", new SnapshotRefusal(SnapshotEnvelope.WrongFrom, "x").ToString());

    private static JsonObject Field(string name, string type) => new() { ["name"] = name, ["type"] = type };

    // The records hold lists, which compare by reference.
    private sealed class MessageComparer : IEqualityComparer<SnapshotMessage>
    {
        public static readonly MessageComparer Instance = new();

        private static readonly string[] None = [];

        public bool Equals(SnapshotMessage? x, SnapshotMessage? y) => x switch
        {
            ProposalMessage p when y is ProposalMessage q => p with { Choices = None, Labels = None } == q with { Choices = None, Labels = None }
                && p.Choices.SequenceEqual(q.Choices) && p.Labels.SequenceEqual(q.Labels),
            _ => Equals((object?)x, y),
        };

        public int GetHashCode(SnapshotMessage obj) => obj.Timestamp.GetHashCode();
    }
}
