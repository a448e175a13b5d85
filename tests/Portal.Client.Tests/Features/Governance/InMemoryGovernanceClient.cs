using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Heurist.Portal.Client.Tests.Features.Wallet;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;

namespace Heurist.Portal.Client.Tests.Features.Governance;

/// <summary>
/// An <see cref="IGovernanceClient"/> in memory, for component tests: the portal's real hub verifies signatures on
/// the chain, which the server's tests cover. A test sets what each read answers and reads the envelopes posted.
/// </summary>
internal sealed class InMemoryGovernanceClient : IGovernanceClient
{
    public const string SpaceId = "heurist.eth";

    public const long LatestBlock = 4321;

    private readonly ConcurrentQueue<string> _submitted = new();
    private readonly ConcurrentQueue<string> _proposalReads = new();
    private readonly ConcurrentQueue<(string Id, int Page, int PageSize)> _voteReads = new();
    private readonly ConcurrentQueue<(string Address, long Block)> _powerReads = new();
    private readonly ConcurrentQueue<string> _previewed = new();
    private int _receipts;

    public GovernanceSpace Space { get; set; } = new(
        SpaceId, 1000m, 14_400, LatestBlock, new VotingPowerWeights(1, 1, 1, 1), ["sd15", "sdxl", "flux-dev"]);

    /// <summary>What listing answers, in its order; the client leaves out the cancelled when asked for every state.</summary>
    public List<ProposalSummary> Proposals { get; } = [];

    /// <summary>Each proposal's page, by id.</summary>
    public Dictionary<string, ProposalView> Views { get; } = [];

    /// <summary>Each proposal's counted votes, largest power first.</summary>
    public Dictionary<string, List<VoteView>> Votes { get; } = [];

    /// <summary>The power of each address (any case) at any block; an address not listed has none.</summary>
    public Dictionary<string, decimal> Power { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When set, listing fails with it.</summary>
    public Exception? ListFailure { get; set; }

    /// <summary>When set, reading a proposal fails with it.</summary>
    public Exception? ProposalFailure { get; set; }

    /// <summary>When set, posting a signed message fails with it, as when the hub refuses one.</summary>
    public Exception? SubmitFailure { get; set; }

    /// <summary>Runs on each stored message, so a test can change what the reads answer next (a cancelled proposal).</summary>
    public Action<JsonObject>? OnSubmitted { get; set; }

    /// <summary>Holds listing until the test completes it, to see the page loading.</summary>
    public TaskCompletionSource? ListGate { get; set; }

    /// <summary>Holds reading a proposal until the test completes it.</summary>
    public TaskCompletionSource? ProposalGate { get; set; }

    public IReadOnlyList<string> Submitted => [.. _submitted];

    public IReadOnlyList<string> ProposalReads => [.. _proposalReads];

    public IReadOnlyList<(string Id, int Page, int PageSize)> VoteReads => [.. _voteReads];

    public IReadOnlyList<(string Address, long Block)> PowerReads => [.. _powerReads];

    public IReadOnlyList<string> Previewed => [.. _previewed];

    /// <summary>The id the hub gives the n-th stored message (1-based).</summary>
    public static string ReceiptId(int n) => "0x" + n.ToString("x64", CultureInfo.InvariantCulture);

    /// <summary>The last posted envelope's data.message.</summary>
    public JsonObject LastMessage => (JsonObject)JsonNode.Parse(_submitted.Last())!["data"]!["message"]!;

    public Task<GovernanceSpace> GetSpaceAsync(CancellationToken cancellationToken = default) => Task.FromResult(Space);

    public async Task<IReadOnlyList<ProposalSummary>> ListProposalsAsync(ProposalState? state, CancellationToken cancellationToken = default)
    {
        if (ListGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        if (ListFailure is { } failure)
        {
            throw failure;
        }
        return [.. Proposals.Where(p => state is { } s ? p.State == s : p.State != ProposalState.Cancelled)];
    }

    public async Task<ProposalView?> GetProposalAsync(string id, CancellationToken cancellationToken = default)
    {
        _proposalReads.Enqueue(id);
        if (ProposalGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        return ProposalFailure is { } failure ? throw failure : Views.GetValueOrDefault(id);
    }

    public Task<VotesPage> GetVotesAsync(string id, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        _voteReads.Enqueue((id, page, pageSize));
        var votes = Votes.GetValueOrDefault(id) ?? [];
        return Task.FromResult(new VotesPage([.. votes.Skip((page - 1) * pageSize).Take(pageSize)], votes.Count, page, pageSize));
    }

    public Task<VoteView?> GetVoteAsync(string id, string voter, CancellationToken cancellationToken = default)
        => Task.FromResult(Votes.GetValueOrDefault(id)?.FirstOrDefault(v => string.Equals(v.Voter, voter, StringComparison.OrdinalIgnoreCase)));

    public Task<VotingPowerView> GetVotingPowerAsync(string address, long block, CancellationToken cancellationToken = default)
    {
        _powerReads.Enqueue((address, block));
        var total = Power.GetValueOrDefault(address);
        // Two fifths held, three fifths staked: enough to show the parts.
        return Task.FromResult(new VotingPowerView(address, block, total * 0.4m, 0, total * 0.6m, 0, total, Space.Weights));
    }

    public Task<HubReceipt> SubmitAsync(string envelopeJson, CancellationToken cancellationToken = default)
    {
        _submitted.Enqueue(envelopeJson);
        if (SubmitFailure is { } failure)
        {
            return Task.FromException<HubReceipt>(failure);
        }
        var envelope = JsonNode.Parse(envelopeJson)!;
        var type = ((JsonObject)envelope["data"]!["types"]!).Single().Key switch
        {
            "Proposal" => "proposal",
            "CancelProposal" => "cancel-proposal",
            _ => "vote",
        };
        OnSubmitted?.Invoke((JsonObject)envelope["data"]!["message"]!);
        return Task.FromResult(new HubReceipt(ReceiptId(Interlocked.Increment(ref _receipts)), type));
    }

    public Task<string> PreviewBodyAsync(string markdown, CancellationToken cancellationToken = default)
    {
        _previewed.Enqueue(markdown);
        return Task.FromResult($"<p data-preview>{System.Net.WebUtility.HtmlEncode(markdown)}</p>");
    }

    /// <summary>A proposal as the list shows it, with scores given per choice.</summary>
    public static ProposalSummary Summary(
        string id,
        string title,
        VotingType type = VotingType.SingleChoice,
        ProposalState state = ProposalState.Active,
        string[]? choices = null,
        decimal[]? scores = null,
        string author = FakeWalletModule.OtherAccount,
        DateTimeOffset? start = null,
        DateTimeOffset? end = null,
        ProposalKind kind = ProposalKind.General,
        decimal? quorum = null,
        int? votes = null)
    {
        choices ??= type == VotingType.Basic ? ["For", "Against", "Abstain"] : ["Alpha", "Beta", "Gamma"];
        scores ??= new decimal[choices.Length];
        var total = type == VotingType.Approval ? scores.Max() : scores.Sum();
        var top = scores.Length == 0 ? 0 : scores.Max();
        string[] leading = top > 0 ? [.. choices.Where((_, i) => scores[i] == top)] : [];
        return new ProposalSummary(
            id, title, type.ToWire(), kind, state, author,
            TestServices.Now.AddDays(-2),
            start ?? TestServices.Now.AddDays(-1),
            end ?? TestServices.Now.AddDays(2),
            4000,
            choices, scores, total, votes ?? scores.Count(s => s > 0), leading, quorum, quorum is null || total >= quorum);
    }

    /// <summary>Adds a proposal's page (and lists it).</summary>
    public ProposalView Add(ProposalSummary summary, string bodyHtml = "<p>Why this matters.</p>", IReadOnlyList<RunoffRound>? rounds = null)
    {
        var view = new ProposalView(
            summary, SpaceId, "Why this matters.", bodyHtml, "", rounds ?? [],
            summary.State == ProposalState.Closed ? summary.End : null,
            summary.State == ProposalState.Cancelled ? TestServices.Now : null);
        Views[summary.Id] = view;
        Proposals.Add(summary);
        return view;
    }

    /// <summary>A counted vote as the voters table shows it.</summary>
    public static VoteView Vote(int n, string voter, string choiceText, decimal power, string reason = "")
        => new(ReceiptId(1000 + n), voter, JsonSerializer.SerializeToElement(1), choiceText, power, reason, "heurist-portal", TestServices.Now.AddHours(-n));
}
