namespace Heurist.Protocol.Api.Governance;

/// <summary>
/// The space's proposals, votes, voting power and model allocation. The server implements it from PostgreSQL and the
/// chain; WebAssembly over <see cref="GovernanceRoutes"/>. Refusals are <see cref="ApiException"/>s whose title is the
/// hub's error description.
/// </summary>
public interface IGovernanceClient
{
    Task<GovernanceSpace> GetSpaceAsync(CancellationToken cancellationToken = default);

    /// <summary>The proposals in <paramref name="state"/> (every one but the cancelled when null), newest first.</summary>
    Task<IReadOnlyList<ProposalSummary>> ListProposalsAsync(ProposalState? state, CancellationToken cancellationToken = default);

    /// <summary>A proposal with its live or frozen results; null when there is none with this id.</summary>
    Task<ProposalView?> GetProposalAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>A page of the counted votes (each voter's last in the window), largest power first.</summary>
    Task<VotesPage> GetVotesAsync(string id, int page, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>The voter's counted vote on the proposal (their last in the window); null when they have none or there is no such proposal.</summary>
    Task<VoteView?> GetVoteAsync(string id, string voter, CancellationToken cancellationToken = default);

    /// <summary>The address's voting power at <paramref name="block"/>, read from the chain at that block.</summary>
    Task<VotingPowerView> GetVotingPowerAsync(string address, long block, CancellationToken cancellationToken = default);

    /// <summary>Posts a signed message (snapshot.js's envelope, as JSON) to the hub; returns its receipt.</summary>
    Task<HubReceipt> SubmitAsync(string envelopeJson, CancellationToken cancellationToken = default);

    /// <summary>Renders a proposal body's Markdown the way the proposal page will show it, for the create form's preview.</summary>
    Task<string> PreviewBodyAsync(string markdown, CancellationToken cancellationToken = default);
}

/// <summary>
/// How the network's workers are split between models: the voted and demand shares, the targets, what online workers
/// serve, and its history. The server implements it from PostgreSQL; WebAssembly over <see cref="GovernanceRoutes.Allocation"/>.
/// </summary>
public interface IAllocationClient
{
    /// <summary>Each model's voted, demand, target and actual share now, and the last <paramref name="hours"/> of history.</summary>
    Task<AllocationStatus> GetAllocationAsync(int hours, CancellationToken cancellationToken = default);
}

/// <summary>The governance routes, shared by the server and the WebAssembly clients.</summary>
public static class GovernanceRoutes
{
    /// <summary>POST: a signed message, as snapshot.js's Client712 sends it.</summary>
    public const string Message = "api/msg";

    /// <summary>GET: the space, its threshold, weights and the latest block.</summary>
    public const string Space = "api/governance/space";

    /// <summary>POST: Markdown in, the proposal page's HTML out.</summary>
    public const string Preview = "api/governance/preview";

    /// <summary>GET: the model allocation now and its history (?hours=).</summary>
    public const string Allocation = "api/governance/allocation";

    /// <summary>The longest history the allocation chart asks for.</summary>
    public const int MaxAllocationHours = 24 * 7;

    /// <summary>GET: the proposals (?state=pending|active|closed|cancelled).</summary>
    public static string Proposals(ProposalState? state = null)
        => state is { } s ? $"api/proposals?state={s.ToString().ToLowerInvariant()}" : "api/proposals";

    /// <summary>GET: one proposal.</summary>
    public static string Proposal(string id) => $"api/proposals/{id}";

    /// <summary>GET: a page of its counted votes.</summary>
    public static string Votes(string id, int page, int pageSize) => $"api/proposals/{id}/votes?page={page}&pageSize={pageSize}";

    /// <summary>GET: one voter's counted vote, or 404.</summary>
    public static string Vote(string id, string voter) => $"api/proposals/{id}/votes/{voter}";

    /// <summary>GET: every signed vote of the proposal, superseded ones too, as the envelopes that were posted.</summary>
    public static string SignedVotes(string id) => $"api/proposals/{id}/votes.json";

    /// <summary>GET: an address's power at a block.</summary>
    public static string Power(string address, long block) => $"api/governance/power/{address}?block={block}";

    /// <summary>GET: one stored signed message (proposal, vote or cancellation) by its id, as posted.</summary>
    public static string SignedMessage(string id) => $"api/msg/{id}";
}
