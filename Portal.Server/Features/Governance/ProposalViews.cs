using System.Globalization;
using System.Text.Json;
using Heurist.Portal.Data.Governance;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;

namespace Heurist.Portal.Server.Features.Governance;

/// <summary>Stored proposals and votes as the API shows them.</summary>
public static class ProposalViews
{
    /// <summary>The labels of a basic vote's three choices.</summary>
    private static readonly string[] BasicLabels = ["For", "Against", "Abstain"];

    /// <summary>The stored voting type.</summary>
    public static VotingType VotingType(GovernanceProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return VotingTypes.TryParse(proposal.Type, out var type)
            ? type
            : throw new InvalidOperationException($"Proposal {proposal.Id} has the unknown voting type '{proposal.Type}'.");
    }

    /// <summary>
    /// Where the proposal is by <paramref name="now"/>: Cancelled once withdrawn; otherwise Pending before its start,
    /// Active from its start to its end (both included), Closed after.
    /// </summary>
    public static ProposalState State(GovernanceProposal proposal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var seconds = now.ToUnixTimeSeconds();
        return proposal.CancelledAt is not null ? ProposalState.Cancelled
            : seconds < proposal.Start ? ProposalState.Pending
            : seconds <= proposal.End ? ProposalState.Active
            : ProposalState.Closed;
    }

    /// <summary>True when the results are final and may be frozen: closed, and not cancelled.</summary>
    public static bool IsFreezable(GovernanceProposal proposal, DateTimeOffset now) => State(proposal, now) == ProposalState.Closed;

    public static ProposalKind Kind(GovernanceProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return Enum.TryParse<ProposalKind>(proposal.Kind, out var kind) ? kind : ProposalKind.General;
    }

    public static ProposalSummary Summary(GovernanceProposal proposal, VoteTallyResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(result);
        return new ProposalSummary(
            proposal.Id,
            proposal.Title,
            proposal.Type,
            Kind(proposal),
            State(proposal, now),
            proposal.Author,
            DateTimeOffset.FromUnixTimeSeconds(proposal.Created),
            DateTimeOffset.FromUnixTimeSeconds(proposal.Start),
            DateTimeOffset.FromUnixTimeSeconds(proposal.End),
            proposal.SnapshotBlock,
            proposal.Choices,
            result.Scores,
            result.TotalPower,
            result.VoterCount,
            [.. result.Leaders.Select(l => proposal.Choices[l - 1])],
            proposal.Quorum,
            result.QuorumReached);
    }

    public static ProposalView View(GovernanceProposal proposal, VoteTallyResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(result);
        return new ProposalView(
            Summary(proposal, result, now),
            proposal.Space,
            proposal.Body,
            ProposalMarkdown.ToHtml(proposal.Body),
            proposal.Discussion,
            [.. result.Rounds.Select(r => new RunoffRound(r.Number, r.Scores, r.Eliminated))],
            proposal.FrozenAt,
            proposal.CancelledAt);
    }

    public static VoteView Vote(GovernanceProposal proposal, GovernanceVote vote)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(vote);
        using var choice = JsonDocument.Parse(vote.Choice);
        return new VoteView(vote.Id, vote.Voter, choice.RootElement.Clone(), ChoiceText(proposal, ProposalTallies.ParseChoice(vote.Choice)),
            vote.Power, vote.Reason, vote.App, DateTimeOffset.FromUnixTimeSeconds(vote.Timestamp));
    }

    /// <summary>
    /// A choice in words with the proposal's labels: basic "For", "Against" or "Abstain"; single-choice the label;
    /// approval the labels joined by ", " ("none" for an empty list); ranked-choice "1. a 2. b"; weighted and quadratic
    /// each weighted label with its percent of the weights, "a 70 %, b 30 %".
    /// </summary>
    public static string ChoiceText(GovernanceProposal proposal, VoteChoice choice)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(choice);
        var labels = proposal.Choices;
        string Label(int number) => number >= 1 && number <= labels.Count ? labels[number - 1] : $"#{number.ToString(CultureInfo.InvariantCulture)}";
        switch (VotingType(proposal))
        {
            case Protocol.Governance.VotingType.Basic:
                return choice.Choice is >= 1 and <= 3 ? BasicLabels[choice.Choice - 1] : Label(choice.Choice);
            case Protocol.Governance.VotingType.SingleChoice:
                return Label(choice.Choice);
            case Protocol.Governance.VotingType.Approval:
                return choice.Choices.Count == 0 ? "none" : string.Join(", ", choice.Choices.Select(Label));
            case Protocol.Governance.VotingType.RankedChoice:
                return string.Join(" ", choice.Choices.Select((c, i) => $"{(i + 1).ToString(CultureInfo.InvariantCulture)}. {Label(c)}"));
            default:
                var sum = choice.Weights.Sum(w => w.Weight);
                return sum <= 0 ? "none" : string.Join(", ", choice.Weights.Where(w => w.Weight > 0)
                    .Select(w => $"{Label(w.Choice)} {Math.Round(100m * w.Weight / sum, 1).ToString("0.#", CultureInfo.InvariantCulture)} %"));
        }
    }
}
