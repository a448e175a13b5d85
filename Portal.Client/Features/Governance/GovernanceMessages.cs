using System.Text.Json.Nodes;
using Heurist.Protocol.Governance;

namespace Heurist.Portal.Client.Features.Governance;

/// <summary>A new proposal as the create form has it, before it is signed.</summary>
/// <param name="Type">Its voting type.</param>
/// <param name="Title">The title.</param>
/// <param name="Body">The Markdown body.</param>
/// <param name="Discussion">A link to where it is discussed, or empty.</param>
/// <param name="Choices">The choices' labels, choice 1 first.</param>
/// <param name="Start">When voting opens.</param>
/// <param name="End">When voting closes.</param>
/// <param name="Snapshot">The block voting power is read at.</param>
/// <param name="ModelAllocation">True when its result steers the workers (a weighted vote over the catalog's models).</param>
public sealed record ProposalDraft(
    VotingType Type,
    string Title,
    string Body,
    string Discussion,
    IReadOnlyList<string> Choices,
    DateTimeOffset Start,
    DateTimeOffset End,
    long Snapshot,
    bool ModelAllocation);

/// <summary>
/// The Snapshot messages the portal's pages sign: each member of the struct <see cref="SnapshotTypes.Fields"/> lists,
/// in that order, with the values snapshot.js would give them.
/// </summary>
public static class GovernanceMessages
{
    /// <summary>The app every message from the portal's pages names.</summary>
    public const string App = "heurist-portal";

    /// <summary>The plugins of an ordinary proposal.</summary>
    public const string NoPlugins = "{}";

    /// <summary>The plugins that mark a proposal as a model allocation (<see cref="Protocol.Api.Governance.ProposalKind.ModelAllocation"/>).</summary>
    public const string ModelAllocationPlugins = """{"heurist":{"kind":"model-allocation"}}""";

    /// <summary>A vote on <paramref name="proposal"/>, signed as <see cref="SnapshotTypes.VoteKind"/> of <paramref name="type"/> says.</summary>
    /// <returns>The struct to sign and the message.</returns>
    /// <exception cref="ArgumentException"><paramref name="choice"/> is not the shape <paramref name="type"/> votes with.</exception>
    public static (SnapshotMessageKind Kind, JsonObject Message) Vote(
        VotingType type, string from, string space, DateTimeOffset timestamp, string proposal, VoteChoice choice, string reason)
    {
        ArgumentNullException.ThrowIfNull(choice);
        var kind = SnapshotTypes.VoteKind(type);
        JsonNode choiceNode = (kind, choice.Kind) switch
        {
            (SnapshotMessageKind.Vote, VoteChoiceKind.Choice) => JsonValue.Create(choice.Choice),
            (SnapshotMessageKind.VoteArray, VoteChoiceKind.Choices) => new JsonArray([.. choice.Choices.Select(c => (JsonNode?)JsonValue.Create(c))]),
            // Snapshot signs weights as a string holding their JSON: {"1":70,"2":30}.
            (SnapshotMessageKind.VoteString, VoteChoiceKind.Weights) => JsonValue.Create(choice.ToString()),
            _ => throw new ArgumentException($"A {type.ToWire()} vote cannot be a {choice.Kind} choice.", nameof(choice)),
        };
        return (kind, new JsonObject
        {
            ["from"] = from,
            ["space"] = space,
            ["timestamp"] = timestamp.ToUnixTimeSeconds(),
            ["proposal"] = proposal,
            ["choice"] = choiceNode,
            ["reason"] = reason,
            ["app"] = App,
            ["metadata"] = "{}",
        });
    }

    /// <summary>A new proposal in <paramref name="space"/> by <paramref name="from"/>.</summary>
    public static JsonObject Proposal(string from, string space, DateTimeOffset timestamp, ProposalDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return new JsonObject
        {
            ["from"] = from,
            ["space"] = space,
            ["timestamp"] = timestamp.ToUnixTimeSeconds(),
            ["type"] = draft.Type.ToWire(),
            ["title"] = draft.Title,
            ["body"] = draft.Body,
            ["discussion"] = draft.Discussion,
            ["choices"] = new JsonArray([.. draft.Choices.Select(c => (JsonNode?)JsonValue.Create(c))]),
            ["labels"] = new JsonArray(),
            ["start"] = draft.Start.ToUnixTimeSeconds(),
            ["end"] = draft.End.ToUnixTimeSeconds(),
            ["snapshot"] = draft.Snapshot,
            ["plugins"] = draft.ModelAllocation ? ModelAllocationPlugins : NoPlugins,
            ["privacy"] = "",
            ["app"] = App,
        };
    }

    /// <summary>The author of <paramref name="proposal"/> withdrawing it.</summary>
    public static JsonObject CancelProposal(string from, string space, DateTimeOffset timestamp, string proposal) => new()
    {
        ["from"] = from,
        ["space"] = space,
        ["timestamp"] = timestamp.ToUnixTimeSeconds(),
        ["proposal"] = proposal,
    };
}
