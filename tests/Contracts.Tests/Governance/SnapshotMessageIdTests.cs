using System.Text.Json.Nodes;
using Heurist.Contracts.Governance;
using Heurist.Protocol.Governance;

namespace Heurist.Contracts.Tests.Governance;

/// <summary>Message ids against snapshot.js's getHash, on envelopes Client712 posts, signed by an anvil key.</summary>
public sealed class SnapshotMessageIdTests
{
    public static TheoryData<int, string> Cases() => Vectors.Vectors.Indexes("snapshotMessages");

    private static (JsonObject Vector, SnapshotEnvelope Envelope) Read(int index)
    {
        var vector = Vectors.Vectors.Case("snapshotMessages", index);
        Assert.True(SnapshotEnvelope.TryParse(vector["envelope"]!.ToJsonString(), out var envelope, out var refusal), refusal?.ToString());
        return (vector, envelope);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_id_of_what_snapshot_js_posts_is_its_getHash(int index, string label)
    {
        var (vector, envelope) = Read(index);

        Assert.Equal(vector["kind"].Text(), envelope.Kind.ToString());
        Assert.Equal(vector["id"].Text(), SnapshotMessageIds.Of(envelope));
        _ = label;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_signature_recovers_the_signer_from_the_digest(int index, string label)
    {
        var (vector, envelope) = Read(index);

        var recovered = Signatures.Recover(SnapshotMessageIds.Digest(envelope), envelope.Signature.HexToByteArray());

        Assert.Equal(vector["signer"].Text(), recovered);
        Assert.Equal(new EthECKey(vector["privateKey"].Text()).Address, recovered);
        _ = label;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signing_the_typed_data_gives_the_signature_snapshot_js_sent(int index, string label)
    {
        var (vector, envelope) = Read(index);

        var signature = Signatures.Sign(new EthECKey(vector["privateKey"].Text()), SnapshotMessageIds.Digest(envelope));

        Assert.Equal(vector["envelope"]!["sig"].Text(), signature.ToHex(true));
        _ = label;
    }

    [Fact]
    public void The_typed_data_a_portal_page_signs_has_the_id_of_the_envelope_it_posts()
    {
        var (vector, envelope) = Read(1);
        var message = vector["envelope"]!["data"]!["message"]!.AsObject();

        var pageDigest = TypedDataJson.Hash(SnapshotTypes.TypedData(SnapshotMessageKind.Vote, message));

        Assert.Equal(vector["id"].Text(), pageDigest.ToHex(true));
        Assert.Equal(SnapshotMessageIds.Digest(envelope), pageDigest);
    }

    [Fact]
    public void A_change_to_any_signed_member_changes_the_id()
    {
        var (vector, envelope) = Read(1);
        var changed = vector["envelope"]!.DeepClone().AsObject();
        changed["data"]!["message"]!["reason"] = "more SDXL, fewer queues!";

        Assert.True(SnapshotEnvelope.TryParse(changed.ToJsonString(), out var other, out _));
        Assert.NotEqual(SnapshotMessageIds.Of(envelope), SnapshotMessageIds.Of(other));
    }
}
