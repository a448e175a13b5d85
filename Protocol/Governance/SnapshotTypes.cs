using System.Text.Json.Nodes;

namespace Heurist.Protocol.Governance;

/// <summary>The kinds of signed message the hub takes, each with the EIP-712 struct snapshot.js signs it as.</summary>
public enum SnapshotMessageKind
{
    /// <summary>A new proposal (struct Proposal).</summary>
    Proposal,

    /// <summary>A vote whose choice is a uint32: single-choice and basic.</summary>
    Vote,

    /// <summary>A vote whose choice is a uint32[]: approval and ranked-choice.</summary>
    VoteArray,

    /// <summary>A vote whose choice is a string holding JSON weights: weighted and quadratic.</summary>
    VoteString,

    /// <summary>The author withdrawing a proposal (struct CancelProposal).</summary>
    CancelProposal,
}

/// <summary>One member of an EIP-712 struct: its name and its Solidity type.</summary>
public readonly record struct TypedField(string Name, string Type);

/// <summary>
/// Snapshot's EIP-712 domain and the struct definitions snapshot.js 0.17 signs (its <c>proposalTypes</c>,
/// <c>voteTypes</c>, <c>voteArrayTypes</c>, <c>voteStringTypes</c> and <c>cancelProposal2Types</c>), so that a client
/// built on snapshot.js works against the portal unchanged, and the portal's own pages sign the same messages.
/// </summary>
public static class SnapshotTypes
{
    /// <summary>The domain's name.</summary>
    public const string DomainName = "snapshot";

    /// <summary>The domain's version. The domain has no chain id: a Snapshot message is valid on any chain.</summary>
    public const string DomainVersion = "0.1.4";

    /// <summary>The implicit domain struct, which snapshot.js leaves out of the types it sends.</summary>
    public const string DomainType = "EIP712Domain";

    private static readonly TypedField[] Proposal =
    [
        new("from", "string"), new("space", "string"), new("timestamp", "uint64"), new("type", "string"), new("title", "string"),
        new("body", "string"), new("discussion", "string"), new("choices", "string[]"), new("labels", "string[]"), new("start", "uint64"),
        new("end", "uint64"), new("snapshot", "uint64"), new("plugins", "string"), new("privacy", "string"), new("app", "string"),
    ];

    private static readonly TypedField[] CancelProposal =
    [
        new("from", "string"), new("space", "string"), new("timestamp", "uint64"), new("proposal", "string"),
    ];

    /// <summary>The struct's name in the types object: Proposal, Vote or CancelProposal.</summary>
    public static string StructName(SnapshotMessageKind kind) => kind switch
    {
        SnapshotMessageKind.Proposal => "Proposal",
        SnapshotMessageKind.CancelProposal => "CancelProposal",
        _ => "Vote",
    };

    /// <summary>The struct's members, in the order they are hashed.</summary>
    public static IReadOnlyList<TypedField> Fields(SnapshotMessageKind kind) => kind switch
    {
        SnapshotMessageKind.Proposal => Proposal,
        SnapshotMessageKind.CancelProposal => CancelProposal,
        SnapshotMessageKind.Vote => VoteFields("uint32"),
        SnapshotMessageKind.VoteArray => VoteFields("uint32[]"),
        SnapshotMessageKind.VoteString => VoteFields("string"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "is not a Snapshot message kind"),
    };

    /// <summary>The vote struct a proposal's voting type signs its choice with (as snapshot.js's <c>vote</c> picks it).</summary>
    public static SnapshotMessageKind VoteKind(VotingType type) => type switch
    {
        VotingType.Approval or VotingType.RankedChoice => SnapshotMessageKind.VoteArray,
        VotingType.Weighted or VotingType.Quadratic => SnapshotMessageKind.VoteString,
        _ => SnapshotMessageKind.Vote,
    };

    /// <summary>
    /// The JSON a wallet signs with eth_signTypedData_v4: the domain, the types (the struct and EIP712Domain), the
    /// primary type and <paramref name="message"/>, whose members must be those of <see cref="Fields"/>.
    /// </summary>
    public static string TypedData(SnapshotMessageKind kind, JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var types = StructTypes(kind);
        types[DomainType] = new JsonArray(Field("name", "string"), Field("version", "string"));
        return new JsonObject
        {
            ["types"] = types,
            ["primaryType"] = StructName(kind),
            ["domain"] = Domain(),
            ["message"] = message.DeepClone(),
        }.ToJsonString();
    }

    /// <summary>
    /// What snapshot.js posts to a hub's /api/msg: <c>{ address, sig, data: { domain, types, message } }</c>, the types
    /// without EIP712Domain.
    /// </summary>
    public static string Envelope(string address, string signature, SnapshotMessageKind kind, JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new JsonObject
        {
            ["address"] = address,
            ["sig"] = signature,
            ["data"] = new JsonObject
            {
                ["domain"] = Domain(),
                ["types"] = StructTypes(kind),
                ["message"] = message.DeepClone(),
            },
        }.ToJsonString();
    }

    /// <summary>The domain object: <c>{ name: "snapshot", version: "0.1.4" }</c>.</summary>
    public static JsonObject Domain() => new() { ["name"] = DomainName, ["version"] = DomainVersion };

    private static JsonObject StructTypes(SnapshotMessageKind kind)
        => new() { [StructName(kind)] = new JsonArray([.. Fields(kind).Select(f => (JsonNode)Field(f.Name, f.Type))]) };

    private static JsonObject Field(string name, string type) => new() { ["name"] = name, ["type"] = type };

    private static TypedField[] VoteFields(string choiceType) =>
    [
        new("from", "string"), new("space", "string"), new("timestamp", "uint64"), new("proposal", "string"), new("choice", choiceType),
        new("reason", "string"), new("app", "string"), new("metadata", "string"),
    ];
}
