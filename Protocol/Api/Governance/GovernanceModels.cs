using System.Text.Json;
using System.Text.Json.Serialization;

namespace Heurist.Protocol.Api.Governance;

/// <summary>Where a proposal is in its life, as Snapshot names it, plus the author's withdrawal.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProposalState>))]
public enum ProposalState
{
    /// <summary>Voting has not started.</summary>
    Pending,

    /// <summary>Voting is open; results are live.</summary>
    Active,

    /// <summary>Voting has ended; results are frozen.</summary>
    Closed,

    /// <summary>The author withdrew it; it takes no more votes and steers nothing.</summary>
    Cancelled,
}

/// <summary>What a proposal decides.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProposalKind>))]
public enum ProposalKind
{
    /// <summary>Any question of the space.</summary>
    General,

    /// <summary>
    /// A weighted vote whose choices are the catalog's models: its frozen result gives the voted shares of the
    /// network's GPUs. A proposal is one when its plugins hold <c>{"heurist":{"kind":"model-allocation"}}</c>.
    /// </summary>
    ModelAllocation,
}

/// <summary>A proposal as the list shows it.</summary>
/// <param name="Id">The EIP-712 hash of the signed proposal (0x-hex), which is also its receipt.</param>
/// <param name="Title">The proposal's title.</param>
/// <param name="Type">Snapshot's voting type name: single-choice, approval, ranked-choice, weighted, quadratic or basic.</param>
/// <param name="Kind">General, or ModelAllocation when its result steers the workers.</param>
/// <param name="State">Pending, Active, Closed or Cancelled, by the portal's clock.</param>
/// <param name="Author">The address that signed it.</param>
/// <param name="Created">The signed message's timestamp.</param>
/// <param name="Start">When voting opens.</param>
/// <param name="End">When voting closes; a vote timestamped at End still counts.</param>
/// <param name="SnapshotBlock">The block voting power is read at.</param>
/// <param name="Choices">The choices' labels, in order (choice 1 first).</param>
/// <param name="Scores">Score per choice, in choice order: live while active, frozen once closed.</param>
/// <param name="ScoresTotal">The counted voters' total power.</param>
/// <param name="Votes">How many voters are counted.</param>
/// <param name="Leading">The labels of the choices tied at the top (empty before any power is cast).</param>
/// <param name="Quorum">The power the proposal needs cast; null when it has no quorum.</param>
/// <param name="QuorumReached">True when there is no quorum or the total power cast reaches it.</param>
public sealed record ProposalSummary(
    string Id,
    string Title,
    string Type,
    ProposalKind Kind,
    ProposalState State,
    string Author,
    DateTimeOffset Created,
    DateTimeOffset Start,
    DateTimeOffset End,
    long SnapshotBlock,
    IReadOnlyList<string> Choices,
    IReadOnlyList<decimal> Scores,
    decimal ScoresTotal,
    int Votes,
    IReadOnlyList<string> Leading,
    decimal? Quorum,
    bool QuorumReached);

/// <summary>One round of an instant-runoff count: each remaining choice's score (null once eliminated), and who went out.</summary>
public sealed record RunoffRound(int Number, IReadOnlyList<decimal?> Scores, int? Eliminated);

/// <summary>A proposal with its text and full results.</summary>
/// <param name="Summary">What the list shows.</param>
/// <param name="Space">The space it belongs to.</param>
/// <param name="Body">The Markdown as the author signed it.</param>
/// <param name="BodyHtml">The body rendered to HTML by the portal, safely: no script, no raw HTML, only http(s) and mailto links.</param>
/// <param name="Discussion">A link to where it is discussed, or empty.</param>
/// <param name="Rounds">For ranked-choice, the rounds of the count; empty otherwise.</param>
/// <param name="ResultsFrozenAt">When the results were frozen; null while they are live.</param>
/// <param name="CancelledAt">When its author withdrew it; null otherwise.</param>
public sealed record ProposalView(
    ProposalSummary Summary,
    string Space,
    string Body,
    string BodyHtml,
    string Discussion,
    IReadOnlyList<RunoffRound> Rounds,
    DateTimeOffset? ResultsFrozenAt,
    DateTimeOffset? CancelledAt);

/// <summary>One counted vote, as the voters table shows it.</summary>
/// <param name="Id">The EIP-712 hash of the signed vote: its receipt, which links to the signed message.</param>
/// <param name="Voter">The voter's address.</param>
/// <param name="Choice">The choice as signed: a number, a list of numbers, or weights by choice number.</param>
/// <param name="ChoiceText">The choice in words, with the proposal's labels: "For", "1. sdxl 2. flux", "sdxl 70 %, flux 30 %".</param>
/// <param name="Power">The voter's power at the proposal's snapshot block.</param>
/// <param name="Reason">The reason the voter gave, or empty.</param>
/// <param name="App">The app the vote was cast from, as it named itself.</param>
/// <param name="Created">The signed vote's timestamp.</param>
public sealed record VoteView(
    string Id,
    string Voter,
    JsonElement Choice,
    string ChoiceText,
    decimal Power,
    string Reason,
    string App,
    DateTimeOffset Created);

/// <summary>A page of a proposal's counted votes (each voter's last), by power, largest first.</summary>
public sealed record VotesPage(IReadOnlyList<VoteView> Items, int Total, int Page, int PageSize)
{
    public const int DefaultPageSize = 20;

    public const int MaxPageSize = 100;
}

/// <summary>
/// An address's voting power at a block: each part as read from the chain at that block, in tokens, and the total
/// with the space's weights (HEU + esHEU + staked HEU + staked esHEU, each weighted).
/// </summary>
public sealed record VotingPowerView(
    string Address,
    long Block,
    decimal Heu,
    decimal EsHeu,
    decimal StakedHeu,
    decimal StakedEsHeu,
    decimal Total,
    VotingPowerWeights Weights);

/// <summary>The weight of each part of voting power.</summary>
public sealed record VotingPowerWeights(decimal Heu, decimal EsHeu, decimal StakedHeu, decimal StakedEsHeu);

/// <summary>The space the portal is the hub of, and what a proposal needs.</summary>
/// <param name="Id">The space id every message must name (Governance:Space).</param>
/// <param name="ProposalThreshold">The voting power a proposer needs at the proposal's snapshot block.</param>
/// <param name="MaxBodyLength">The longest proposal body, in characters.</param>
/// <param name="LatestBlock">The chain's latest block now: the default snapshot block of a new proposal.</param>
/// <param name="Weights">The weight of each part of voting power.</param>
/// <param name="Models">The catalog's model ids: the choices of a model-allocation proposal.</param>
public sealed record GovernanceSpace(
    string Id,
    decimal ProposalThreshold,
    int MaxBodyLength,
    long LatestBlock,
    VotingPowerWeights Weights,
    IReadOnlyList<string> Models);

/// <summary>What the hub answers to a stored message, as Snapshot's sequencer does: its id first.</summary>
/// <param name="Id">The EIP-712 hash of the signed message.</param>
/// <param name="Type">proposal, vote or cancel-proposal.</param>
public sealed record HubReceipt(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] string Type);

/// <summary>A refusal of /api/msg, in the sequencer's shape: <c>{ error, error_description }</c>.</summary>
public sealed record HubError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description);

/// <summary>A model's share of the network now: what votes and demand ask for, and what online workers serve.</summary>
/// <param name="ModelId">The catalog model.</param>
/// <param name="VotedShare">Its weight in the last closed model-allocation vote (0 without one).</param>
/// <param name="DemandShare">Its part of recent demand: queued jobs and jobs submitted lately, weighted by their wait.</param>
/// <param name="TargetShare">α × voted + (1 − α) × demand, as the allocation service computes it.</param>
/// <param name="ActualShare">The part of online workers that serve it now.</param>
/// <param name="Workers">How many online workers serve it now.</param>
public sealed record ModelShare(string ModelId, double VotedShare, double DemandShare, double TargetShare, double ActualShare, int Workers);

/// <summary>The allocation now, and its history for the chart.</summary>
/// <param name="Alpha">The weight of votes against demand (Allocation:Alpha).</param>
/// <param name="ProposalId">The closed allocation vote the voted shares come from; null without one.</param>
/// <param name="UpdatedAt">When the targets were last computed; null before the first time.</param>
/// <param name="Models">Every catalog image model's shares now.</param>
/// <param name="History">The recorded target and actual shares, oldest first.</param>
public sealed record AllocationStatus(
    double Alpha,
    string? ProposalId,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<ModelShare> Models,
    IReadOnlyList<AllocationSamplePoint> History);

/// <summary>One model's target and actual share at one time.</summary>
public sealed record AllocationSamplePoint(DateTimeOffset At, string ModelId, double TargetShare, double ActualShare);

/// <summary>What the create form posts to <see cref="GovernanceRoutes.Preview"/>: <c>{ "markdown": "…" }</c>.</summary>
/// <param name="Markdown">The proposal body as the author typed it.</param>
public sealed record BodyPreviewRequest(string Markdown);

/// <summary>
/// What <see cref="GovernanceRoutes.Preview"/> answers: <c>{ "html": "…" }</c>, the body rendered exactly as
/// <see cref="ProposalView.BodyHtml"/> will be, with the same safety.
/// </summary>
/// <param name="Html">The rendered body.</param>
public sealed record BodyPreview(string Html);
