using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text.Json.Nodes;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Governance;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using Microsoft.EntityFrameworkCore;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.Signer;
using Kind = Heurist.Protocol.Governance.SnapshotMessageKind;

namespace Heurist.Portal.Server.Tests.Features.Governance;

/// <summary>POST /api/msg on a real portal, PostgreSQL and anvil: what the hub takes, what it refuses and why, and that a refusal stores nothing.</summary>
public sealed class SnapshotHubTests(GovernancePortal hub) : IClassFixture<GovernancePortal>
{
    private static readonly string[] Options = ["sd15", "sdxl", "flux-dev"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_proposal_is_stored_as_signed_and_its_message_is_served_back_byte_for_byte()
    {
        var author = await hub.NewAccountAsync(50);
        var snapshot = await hub.LatestBlockAsync();
        var message = hub.Proposal(author, "single-choice", Options, snapshot, body: "## Why\n\nBecause *SDXL* queues are long.");
        var envelope = GovernancePortal.Envelope(author, Kind.Proposal, message);

        var receipt = await hub.AcceptedAsync(envelope);
        var view = await hub.ProposalAsync(receipt.Id);
        var stored = await hub.Http.GetStringAsync("/" + GovernanceRoutes.SignedMessage(receipt.Id), Ct);

        Assert.Equal("proposal", receipt.Type);
        Assert.True(SnapshotEnvelope.TryParse(envelope, out var parsed, out _));
        Assert.Equal(SnapshotMessageIds.Of(parsed), receipt.Id);
        Assert.Equal(envelope, stored);
        var summary = view.Summary;
        Assert.Equal((receipt.Id, "A question", "single-choice", ProposalKind.General, ProposalState.Active), (summary.Id, summary.Title, summary.Type, summary.Kind, summary.State));
        Assert.Equal(author.Address.ToLowerInvariant(), summary.Author);
        Assert.Equal(snapshot, summary.SnapshotBlock);
        Assert.Equal(Options, summary.Choices);
        Assert.Equal([0m, 0m, 0m], summary.Scores);
        Assert.Equal((0, 0m), (summary.Votes, summary.ScoresTotal));
        Assert.Empty(summary.Leading);
        Assert.Null(summary.Quorum);
        Assert.True(summary.QuorumReached);
        Assert.Equal(GovernancePortal.Space, view.Space);
        Assert.Contains("<h2>Why</h2>", view.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("<em>SDXL</em>", view.BodyHtml, StringComparison.Ordinal);
        Assert.Null(view.ResultsFrozenAt);
        Assert.Null(view.CancelledAt);
    }

    [Fact]
    public async Task A_vote_of_each_form_is_taken_on_a_proposal_of_its_type_and_shown_in_words()
    {
        var voter = await hub.NewAccountAsync(40);
        var single = await hub.ProposeAsync("single-choice", Options);
        var ranked = await hub.ProposeAsync("ranked-choice", Options);
        var weighted = await hub.ProposeAsync("weighted", Options);

        var a = await hub.AcceptedAsync(voter, Kind.Vote, hub.Vote(voter, single, 2, reason: "fast"));
        var b = await hub.AcceptedAsync(voter, Kind.VoteArray, hub.Vote(voter, ranked, new JsonArray(3, 1, 2)));
        var c = await hub.AcceptedAsync(voter, Kind.VoteString, hub.Vote(voter, weighted, """{"1":70,"2":30}"""));

        Assert.All([a, b, c], r => Assert.Equal("vote", r.Type));
        var singleVote = Assert.Single((await hub.VotesAsync(single)).Items);
        Assert.Equal((a.Id, voter.Address.ToLowerInvariant(), "sdxl", 40m, "fast"), (singleVote.Id, singleVote.Voter, singleVote.ChoiceText, singleVote.Power, singleVote.Reason));
        Assert.Equal("2", singleVote.Choice.GetRawText());
        Assert.Equal("1. flux-dev 2. sd15 3. sdxl", Assert.Single((await hub.VotesAsync(ranked)).Items).ChoiceText);
        var weightedVote = Assert.Single((await hub.VotesAsync(weighted)).Items);
        Assert.Equal("sd15 70 %, sdxl 30 %", weightedVote.ChoiceText);
        Assert.Equal("""{"1":70,"2":30}""", weightedVote.Choice.GetRawText());
        Assert.Equal([28m, 12m, 0m], (await hub.ProposalAsync(weighted)).Summary.Scores);
        Assert.Equal(["sdxl"], (await hub.ProposalAsync(single)).Summary.Leading);
    }

    [Fact]
    public async Task Approval_quadratic_and_basic_votes_are_taken_too()
    {
        var voter = await hub.NewAccountAsync(9);
        var approval = await hub.ProposeAsync("approval", Options);
        var quadratic = await hub.ProposeAsync("quadratic", Options);
        var basic = await hub.ProposeAsync("basic", ["For", "Against", "Abstain"]);

        await hub.AcceptedAsync(voter, Kind.VoteArray, hub.Vote(voter, approval, new JsonArray(1, 3)));
        await hub.AcceptedAsync(voter, Kind.VoteString, hub.Vote(voter, quadratic, """{"3":1}"""));
        await hub.AcceptedAsync(voter, Kind.Vote, hub.Vote(voter, basic, 2));

        Assert.Equal("sd15, flux-dev", Assert.Single((await hub.VotesAsync(approval)).Items).ChoiceText);
        Assert.Equal([9m, 0m, 9m], (await hub.ProposalAsync(approval)).Summary.Scores);
        Assert.Equal("flux-dev 100 %", Assert.Single((await hub.VotesAsync(quadratic)).Items).ChoiceText);
        Assert.Equal("Against", Assert.Single((await hub.VotesAsync(basic)).Items).ChoiceText);
    }

    [Fact]
    public async Task A_voters_last_vote_counts_and_every_signed_vote_can_be_downloaded_and_verified_again()
    {
        var voter = await hub.NewAccountAsync(30);
        var other = await hub.NewAccountAsync(5);
        var proposal = await hub.ProposeAsync("single-choice", Options);
        var first = await hub.AcceptedAsync(voter, Kind.Vote, hub.Vote(voter, proposal, 1));
        var second = await hub.AcceptedAsync(voter, Kind.Vote, hub.Vote(voter, proposal, 3, timestamp: hub.Now + 1, reason: "changed my mind"));
        var third = await hub.AcceptedAsync(other, Kind.Vote, hub.Vote(other, proposal, 1));

        var view = await hub.ProposalAsync(proposal);
        var page = await hub.VotesAsync(proposal);
        var signed = JsonNode.Parse(await hub.Http.GetStringAsync("/" + GovernanceRoutes.SignedVotes(proposal), Ct))!.AsArray();

        Assert.Equal([5m, 0m, 30m], view.Summary.Scores);
        Assert.Equal((2, 35m), (view.Summary.Votes, view.Summary.ScoresTotal));
        Assert.Equal([second.Id, third.Id], page.Items.Select(v => v.Id));
        Assert.Equal(2, page.Total);
        Assert.Equal(3, signed.Count);
        Assert.Equal(new[] { first.Id, second.Id, third.Id }.Order(StringComparer.Ordinal), signed.Select(e => Verified(e!.ToJsonString())).Order(StringComparer.Ordinal));
    }

    /// <summary>Re-checks a downloaded envelope as anyone could: its shape, its id, and that its address's key signed that id.</summary>
    private static string Verified(string envelope)
    {
        Assert.True(SnapshotEnvelope.TryParse(envelope, out var parsed, out var refusal), refusal?.ToString());
        var digest = SnapshotMessageIds.Digest(parsed);
        Assert.Equal(parsed.Address, Signatures.Recover(digest, parsed.Signature.HexToByteArray()), ignoreCase: true);
        return digest.ToHex(true);
    }

    [Fact]
    public async Task A_vote_older_than_the_voters_latest_is_refused_and_at_the_same_second_only_a_greater_id_replaces_it()
    {
        var voter = await hub.NewAccountAsync(3);
        var proposal = await hub.ProposeAsync("single-choice", Options);
        var at = hub.Now + 2;
        var one = GovernancePortal.Envelope(voter, Kind.Vote, hub.Vote(voter, proposal, 1, timestamp: at, reason: "one"));
        var two = GovernancePortal.Envelope(voter, Kind.Vote, hub.Vote(voter, proposal, 2, timestamp: at, reason: "two"));
        var (higher, lower) = string.CompareOrdinal(Id(one), Id(two)) > 0 ? (one, two) : (two, one);

        await hub.AcceptedAsync(higher);

        await hub.RefusedAsync(voter, Kind.Vote, hub.Vote(voter, proposal, 1, timestamp: at - 1), "already voted at later time");
        var description = await hub.RefusedAsync(lower, "already voted same time with lower index");
        Assert.Contains(Id(lower), description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_vote_at_the_same_second_with_a_greater_id_replaces_the_first()
    {
        var voter = await hub.NewAccountAsync(3);
        var proposal = await hub.ProposeAsync("single-choice", Options);
        var at = hub.Now + 2;
        var one = GovernancePortal.Envelope(voter, Kind.Vote, hub.Vote(voter, proposal, 1, timestamp: at, reason: "one"));
        var two = GovernancePortal.Envelope(voter, Kind.Vote, hub.Vote(voter, proposal, 2, timestamp: at, reason: "two"));
        var (higher, lower) = string.CompareOrdinal(Id(one), Id(two)) > 0 ? (one, two) : (two, one);

        await hub.AcceptedAsync(lower);
        await hub.AcceptedAsync(higher);

        Assert.Equal(Id(higher), Assert.Single((await hub.VotesAsync(proposal)).Items).Id);
    }

    private static string Id(string envelope)
    {
        Assert.True(SnapshotEnvelope.TryParse(envelope, out var parsed, out _));
        return SnapshotMessageIds.Of(parsed);
    }

    [Fact]
    public async Task A_signature_by_another_key_is_refused_naming_the_signer()
    {
        var author = await hub.NewAccountAsync(50);
        var mallory = EthECKey.GenerateKey();
        var message = hub.Proposal(author, "single-choice", Options, await hub.LatestBlockAsync());

        var description = await hub.RefusedAsync(GovernancePortal.Envelope(mallory, Kind.Proposal, message, address: author.Address), "signature validation failed");

        Assert.Contains($"signed by {mallory.Address}, not by {author.Address}", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_high_s_twin_of_a_valid_signature_is_refused()
    {
        var author = await hub.NewAccountAsync(50);
        var message = hub.Proposal(author, "single-choice", Options, await hub.LatestBlockAsync());
        var envelope = JsonNode.Parse(GovernancePortal.Envelope(author, Kind.Proposal, message))!.AsObject();
        envelope["sig"] = HighSTwin(envelope["sig"]!.GetValue<string>());

        var description = await hub.RefusedAsync(envelope.ToJsonString(), "signature validation failed");

        Assert.Contains("EIP-2", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signature_of_other_data_does_not_sign_this_message()
    {
        var author = await hub.NewAccountAsync(50);
        var message = hub.Proposal(author, "single-choice", Options, await hub.LatestBlockAsync());
        var envelope = JsonNode.Parse(GovernancePortal.Envelope(author, Kind.Proposal, message))!.AsObject();
        envelope["data"]!["message"]!["title"] = "A different question";

        await hub.RefusedAsync(envelope.ToJsonString(), "signature validation failed");
    }

    [Fact]
    public async Task The_same_envelope_twice_is_a_duplicate_message()
    {
        var author = await hub.NewAccountAsync(50);
        var envelope = GovernancePortal.Envelope(author, Kind.Proposal, hub.Proposal(author, "single-choice", Options, await hub.LatestBlockAsync()));
        var receipt = await hub.AcceptedAsync(envelope);

        var description = await hub.RefusedAsync(envelope, "duplicate message");

        Assert.Contains(receipt.Id, description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replayed_vote_is_a_duplicate_message_and_is_stored_once()
    {
        var voter = await hub.NewAccountAsync(5);
        var id = await hub.ProposeAsync("single-choice", Options);
        var envelope = GovernancePortal.Envelope(voter, Kind.Vote, hub.Vote(voter, id, 2));
        var receipt = await hub.AcceptedAsync(envelope);
        var before = await hub.CountStoredAsync();

        var description = await hub.RefusedAsync(envelope, "duplicate message");

        Assert.Contains(receipt.Id, description, StringComparison.Ordinal);
        Assert.Equal(before, await hub.CountStoredAsync());
        Assert.Equal(1, (await hub.VotesAsync(id)).Total);
    }

    [Fact]
    public async Task A_timestamp_beyond_the_clock_skew_or_older_than_the_message_age_is_a_wrong_timestamp()
    {
        var author = await hub.NewAccountAsync(50);
        var snapshot = await hub.LatestBlockAsync();
        var ahead = hub.Proposal(author, "single-choice", Options, snapshot);
        ahead["timestamp"] = hub.Now + 301;
        var stale = hub.Proposal(author, "single-choice", Options, snapshot);
        stale["timestamp"] = hub.Now - (3 * 24 * 3600) - 1;
        var atSkew = hub.Proposal(author, "single-choice", Options, snapshot);
        atSkew["timestamp"] = hub.Now + 300;

        Assert.Contains("after the portal's clock", await hub.RefusedAsync(author, Kind.Proposal, ahead, "wrong timestamp"), StringComparison.Ordinal);
        Assert.Contains("before the portal's clock", await hub.RefusedAsync(author, Kind.Proposal, stale, "wrong timestamp"), StringComparison.Ordinal);
        await hub.AcceptedAsync(author, Kind.Proposal, atSkew);
    }

    [Fact]
    public async Task A_message_for_another_space_is_refused()
    {
        var author = await hub.NewAccountAsync(50);
        var message = hub.Proposal(author, "single-choice", Options, await hub.LatestBlockAsync());
        message["space"] = "uniswap.eth";

        var description = await hub.RefusedAsync(author, Kind.Proposal, message, "unknown space");

        Assert.Contains("uniswap.eth", description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "wrong envelope format")]
    [InlineData("""{"address":"0x00","sig":"0x00","data":{}}""", "wrong envelope format")]
    [InlineData("[]", "wrong envelope format")]
    public async Task A_malformed_envelope_is_refused(string body, string reason)
        => await hub.RefusedAsync(body, reason);

    [Fact]
    public async Task An_envelope_over_the_size_limit_is_refused_with_413()
    {
        var author = await hub.NewAccountAsync(50);
        var message = hub.Proposal(author, "single-choice", Options, await hub.LatestBlockAsync(), body: new string('x', SnapshotEnvelope.MaxLength));

        await hub.RefusedAsync(GovernancePortal.Envelope(author, Kind.Proposal, message), "too large message", HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_naming_both_lengths()
    {
        var author = await hub.NewAccountAsync(50);
        var message = hub.Proposal(author, "single-choice", Options, await hub.LatestBlockAsync(), body: new string('x', 10_001));

        var description = await hub.RefusedAsync(author, Kind.Proposal, message, "proposal body too long");

        Assert.Contains("10,001", description, StringComparison.Ordinal);
        Assert.Contains("10,000", description, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadProposals() => new()
    {
        { "an unknown voting type", """{"type":"copeland"}""", "wrong proposal format: type 'copeland'" },
        { "no choices", """{"choices":[]}""", "wrong proposal format: a proposal needs at least one choice" },
        { "a basic vote of two choices", """{"type":"basic","choices":["For","Against"]}""", "wrong proposal format: a basic proposal has exactly 3 choices" },
        { "a blank title", """{"title":"  "}""", "wrong proposal format: title must be 1 to 256 characters" },
        { "a title of 257 characters", $$"""{"title":"{{new string('t', 257)}}"}""", "wrong proposal format: title must be 1 to 256 characters" },
        { "an end before the start", """{"end":-5}""", "wrong proposal format: end" },
        { "a privacy setting", """{"privacy":"shutter"}""", "wrong proposal format: privacy must be empty" },
        { "plugins that are not a JSON object", """{"plugins":"[]"}""", "wrong proposal format: plugins must be a JSON object" },
        { "plugins that are not JSON", """{"plugins":"{"}""", "wrong proposal format: plugins must be a JSON object" },
        { "an unknown heurist plugin kind", """{"plugins":"{\"heurist\":{\"kind\":\"treasury\"}}"}""", "wrong proposal format: plugins.heurist must be" },
        { "an allocation vote that is not weighted", """{"type":"single-choice","plugins":"{\"heurist\":{\"kind\":\"model-allocation\"}}"}""", "wrong proposal format: a model-allocation proposal is weighted" },
        { "an allocation vote on a model not in the catalog", """{"type":"weighted","choices":["sd15","midjourney"],"plugins":"{\"heurist\":{\"kind\":\"model-allocation\"}}"}""", "wrong proposal format: choice 2 ('midjourney')" },
        { "an allocation vote on a language model", """{"type":"weighted","choices":["sd15","dolphin-2.9-llama3-8b"],"plugins":"{\"heurist\":{\"kind\":\"model-allocation\"}}"}""", "wrong proposal format: choice 2 ('dolphin-2.9-llama3-8b')" },
        { "an allocation vote on a model twice", """{"type":"weighted","choices":["sd15","sdxl","sd15"],"plugins":"{\"heurist\":{\"kind\":\"model-allocation\"}}"}""", "wrong proposal format: choice 3 ('sd15') of a model-allocation proposal appears twice" },
    };

    [Theory]
    [MemberData(nameof(BadProposals))]
    public async Task A_proposal_off_the_rules_is_refused_saying_which(string name, string changes, string reason)
    {
        var author = await hub.NewAccountAsync(50);
        var message = hub.Proposal(author, "single-choice", Options, await hub.LatestBlockAsync());
        foreach (var (key, value) in JsonNode.Parse(changes)!.AsObject())
        {
            message[key] = key == "end" ? hub.Now + value!.GetValue<long>() : value!.DeepClone();
        }

        await hub.RefusedAsync(author, Kind.Proposal, message, reason);
        _ = name;
    }

    [Fact]
    public async Task A_proposal_ending_before_the_clock_is_refused()
    {
        var author = await hub.NewAccountAsync(50);
        var message = hub.Proposal(author, "single-choice", Options, await hub.LatestBlockAsync(), start: hub.Now - 100, end: hub.Now);

        await hub.RefusedAsync(author, Kind.Proposal, message, "proposal end date must be in the future");
    }

    [Fact]
    public async Task A_snapshot_block_the_chain_has_not_reached_is_refused()
    {
        var author = await hub.NewAccountAsync(50);
        var latest = await hub.LatestBlockAsync();

        var description = await hub.RefusedAsync(author, Kind.Proposal, hub.Proposal(author, "single-choice", Options, latest + 1000), "proposal snapshot must be in past");

        Assert.Contains((latest + 1000).ToString(CultureInfo.InvariantCulture), description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proposer_below_the_threshold_at_the_snapshot_is_refused_naming_both_numbers()
    {
        var author = await hub.NewAccountAsync(9);

        var description = await hub.RefusedAsync(author, Kind.Proposal, hub.Proposal(author, "single-choice", Options, await hub.LatestBlockAsync()), "validation failed");

        Assert.Contains($"{author.Address} has 9 voting power", description, StringComparison.Ordinal);
        Assert.Contains("needs at least 10", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_allocation_proposal_is_weighted_over_catalog_models()
    {
        var id = await hub.ProposeAsync("weighted", ["sdxl", "sd15"], plugins: """{"heurist":{"kind":"model-allocation"}}""");

        var view = await hub.ProposalAsync(id);

        Assert.Equal(ProposalKind.ModelAllocation, view.Summary.Kind);
        Assert.Equal(["sdxl", "sd15"], view.Summary.Choices);
    }

    [Fact]
    public async Task A_vote_on_an_unknown_proposal_is_refused()
    {
        var voter = await hub.NewAccountAsync(5);

        await hub.RefusedAsync(voter, Kind.Vote, hub.Vote(voter, "0x" + new string('a', 64), 1), "unknown proposal");
    }

    [Fact]
    public async Task A_vote_before_the_start_or_after_the_end_is_not_in_the_voting_window()
    {
        var voter = await hub.NewAccountAsync(5);
        var author = await hub.NewAccountAsync(50);
        var later = await hub.AcceptedAsync(author, Kind.Proposal,
            hub.Proposal(author, "single-choice", Options, await hub.LatestBlockAsync(), start: hub.Now + 600, end: hub.Now + 1200));
        var open = await hub.ProposeAsync("single-choice", Options, end: hub.Now + 600);
        var start = hub.Now;

        await hub.RefusedAsync(voter, Kind.Vote, hub.Vote(voter, later.Id, 1), "not in voting window");
        await hub.RefusedAsync(voter, Kind.Vote, hub.Vote(voter, open, 1, timestamp: start - 1), "not in voting window");
        await hub.AcceptedAsync(voter, Kind.Vote, hub.Vote(voter, open, 1));
        hub.Clock.Advance(TimeSpan.FromSeconds(601));
        var description = await hub.RefusedAsync(voter, Kind.Vote, hub.Vote(voter, open, 2), "not in voting window");
        // Signed inside the window but arriving after it: still refused, the hub's clock decides too.
        await hub.RefusedAsync(voter, Kind.Vote, hub.Vote(voter, open, 2, timestamp: start + 600), "not in voting window");

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"from {start} to {start + 600}"), description, StringComparison.Ordinal);
    }

    public static TheoryData<string, SnapshotMessageKind, string, string> BadChoices() => new()
    {
        { "single-choice", Kind.Vote, "0", "invalid choice: choice 0 is out of range: the proposal has 3 choices" },
        { "single-choice", Kind.Vote, "4", "invalid choice: choice 4 is out of range" },
        { "approval", Kind.VoteArray, "[1,1]", "invalid choice: choice 1 appears more than once" },
        { "ranked-choice", Kind.VoteArray, "[1,2]", "invalid choice: a ranked-choice vote must rank every choice exactly once" },
        { "weighted", Kind.VoteString, "\"{\\\"1\\\":-1,\\\"2\\\":3}\"", "invalid choice: weights must not be negative: choice 1 has -1" },
        { "weighted", Kind.VoteString, "\"{\\\"4\\\":1}\"", "invalid choice: choice 4 is out of range" },
        { "weighted", Kind.VoteString, "\"{\\\"1\\\":0}\"", "invalid choice: at least one weight must be positive" },
        { "approval", Kind.Vote, "1", "invalid choice: votes on approval proposals sign their choice as a list of choice numbers (uint32[]), not as one choice number (uint32)" },
        { "weighted", Kind.VoteArray, "[1]", "invalid choice: votes on weighted proposals sign their choice as a string of JSON weights" },
        { "single-choice", Kind.VoteString, "\"{\\\"1\\\":1}\"", "invalid choice: votes on single-choice proposals sign their choice as one choice number" },
    };

    [Theory]
    [MemberData(nameof(BadChoices))]
    public async Task A_choice_the_proposal_type_does_not_take_is_an_invalid_choice(string type, SnapshotMessageKind form, string choice, string reason)
    {
        var voter = await hub.NewAccountAsync(5);
        var proposal = await hub.ProposeAsync(type, Options);

        await hub.RefusedAsync(voter, form, hub.Vote(voter, proposal, JsonNode.Parse(choice)!), reason);
    }

    [Fact]
    public async Task A_voter_without_power_at_the_snapshot_is_refused_saying_so()
    {
        var proposal = await hub.ProposeAsync("single-choice", Options);
        var snapshot = (await hub.ProposalAsync(proposal)).Summary.SnapshotBlock;
        var voter = await hub.NewAccountAsync(0);

        var description = await hub.RefusedAsync(voter, Kind.Vote, hub.Vote(voter, proposal, 1), "no voting power");

        Assert.Equal($"no voting power: {voter.Address} has none at block {snapshot}", description);
    }

    [Fact]
    public async Task Power_at_the_snapshot_counts_and_a_transfer_after_it_does_not()
    {
        var voter = await hub.NewAccountAsync(50);
        var proposal = await hub.ProposeAsync("single-choice", Options);
        var sink = EthECKey.GenerateKey();
        await hub.Actors.Token.TransferAsync(hub.Actors.Send(voter), sink.Address, 45 * GovernancePortal.Token, Ct);
        var late = await hub.NewAccountAsync(20);

        await hub.AcceptedAsync(voter, Kind.Vote, hub.Vote(voter, proposal, 1));

        Assert.Equal(50m, Assert.Single((await hub.VotesAsync(proposal)).Items).Power);
        await hub.RefusedAsync(late, Kind.Vote, hub.Vote(late, proposal, 1), "no voting power");
    }

    [Fact]
    public async Task A_contract_account_votes_when_its_ERC_1271_check_accepts_its_owners_signature()
    {
        var owner = EthECKey.GenerateKey();
        var stranger = EthECKey.GenerateKey();
        var wallet = await DeployWalletAsync(owner);
        var funder = await hub.NewAccountAsync(25);
        await hub.Actors.Token.TransferAsync(hub.Actors.Send(funder), wallet, 25 * GovernancePortal.Token, Ct);
        var funded = await hub.ProposeAsync("single-choice", Options);

        var byStranger = hub.Vote(owner, funded, 1, from: wallet);
        var description = await hub.RefusedAsync(GovernancePortal.Envelope(stranger, Kind.Vote, byStranger, address: wallet), "signature validation failed");
        var receipt = await hub.AcceptedAsync(GovernancePortal.Envelope(owner, Kind.Vote, hub.Vote(owner, funded, 2, from: wallet), address: wallet));

        Assert.Contains($"The contract account {wallet} did not accept the signature", description, StringComparison.Ordinal);
        var vote = Assert.Single((await hub.VotesAsync(funded)).Items);
        Assert.Equal((receipt.Id, wallet.ToLowerInvariant(), 25m), (vote.Id, vote.Voter, vote.Power));
    }

    private async Task<string> DeployWalletAsync(EthECKey owner)
    {
        var deployer = EthECKey.GenerateKey();
        await hub.Chain.Rpc.Client.SendRequestAsync<object>("anvil_setBalance", null, deployer.Address, new HexBigInteger(BigInteger.Pow(10, 19)).HexValue);
        var wallet = await Erc1271WalletContract.DeployAsync(hub.Actors.Send(deployer), owner.Address, Ct);
        return wallet.Address;
    }

    [Fact]
    public async Task The_author_cancels_a_proposal_once_and_it_then_takes_no_votes()
    {
        var author = await hub.NewAccountAsync(50);
        var id = (await hub.AcceptedAsync(author, Kind.Proposal, hub.Proposal(author, "single-choice", Options, await hub.LatestBlockAsync()))).Id;
        var stranger = await hub.NewAccountAsync(50);
        var voter = await hub.NewAccountAsync(5);

        await hub.RefusedAsync(stranger, Kind.CancelProposal, hub.Cancel(stranger, id), "not authorized to cancel proposal");
        var cancel = GovernancePortal.Envelope(author, Kind.CancelProposal, hub.Cancel(author, id));
        var receipt = await hub.AcceptedAsync(cancel);
        hub.Clock.Advance(TimeSpan.FromSeconds(1));
        await hub.RefusedAsync(author, Kind.CancelProposal, hub.Cancel(author, id), "proposal already cancelled");
        await hub.RefusedAsync(voter, Kind.Vote, hub.Vote(voter, id, 1), "proposal cancelled");

        Assert.Equal("cancel-proposal", receipt.Type);
        var view = await hub.ProposalAsync(id);
        Assert.Equal(ProposalState.Cancelled, view.Summary.State);
        Assert.NotNull(view.CancelledAt);
        Assert.Equal(cancel, await hub.Http.GetStringAsync("/" + GovernanceRoutes.SignedMessage(receipt.Id), Ct));
    }

    [Fact]
    public async Task An_admin_of_the_portal_cancels_any_proposal()
    {
        var id = await hub.ProposeAsync("single-choice", Options);

        var receipt = await hub.AcceptedAsync(GovernancePortal.Admin, Kind.CancelProposal, hub.Cancel(GovernancePortal.Admin, id));

        Assert.Equal("cancel-proposal", receipt.Type);
        Assert.Equal(ProposalState.Cancelled, (await hub.ProposalAsync(id)).Summary.State);
    }

    [Fact]
    public async Task Cancelling_an_unknown_proposal_is_refused()
        => await hub.RefusedAsync(GovernancePortal.Admin, Kind.CancelProposal, hub.Cancel(GovernancePortal.Admin, "0x" + new string('b', 64)), "unknown proposal");

    /// <summary>s' = n − s with the other recovery id: the same signer, in the form EIP-2 outlaws.</summary>
    private static string HighSTwin(string signatureHex)
    {
        var n = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var signature = signatureHex.HexToByteArray();
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var twin = (n - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        Array.Clear(signature, 32, 32);
        twin.CopyTo(signature, 64 - twin.Length);
        signature[64] = (byte)(signature[64] == 27 ? 28 : 27);
        return signature.ToHex(true);
    }
}
