using System.Text.Json;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Governance;
using Heurist.Protocol.Governance;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Server.Features.Governance;

/// <summary>
/// A stored proposal's tally: live from its votes while it is open, frozen once it has closed. The proposal pages and
/// the model allocation both read results here, so they always agree.
/// </summary>
public static class ProposalTallies
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The frozen result when there is one; otherwise the tally of the stored votes now.</summary>
    public static async Task<VoteTallyResult> ResultAsync(PortalDbContext db, GovernanceProposal proposal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(proposal);
        if (proposal.FrozenResult is { } frozen)
        {
            return FromJson(frozen);
        }
        var votes = await db.GovernanceVotes.AsNoTracking()
            .Where(v => v.ProposalId == proposal.Id)
            .ToListAsync(cancellationToken);
        return Tally(proposal, votes);
    }

    /// <summary>Counts <paramref name="votes"/> by the proposal's type, window and quorum (each voter's last vote counts).</summary>
    public static VoteTallyResult Tally(GovernanceProposal proposal, IEnumerable<GovernanceVote> votes)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(votes);
        if (!VotingTypes.TryParse(proposal.Type, out var type))
        {
            throw new InvalidOperationException($"Proposal {proposal.Id} has the unknown voting type '{proposal.Type}'.");
        }
        var ballots = votes.Select(v => new Vote(v.Voter, v.Timestamp, ParseChoice(v.Choice), v.Power, v.Id)).ToList();
        return VoteTally.Compute(new VoteTallyInput(type, proposal.Choices.Count, ballots, proposal.Start, proposal.End, proposal.Quorum));
    }

    /// <summary>A stored choice (its canonical JSON) read back.</summary>
    public static VoteChoice ParseChoice(string json)
    {
        using var document = JsonDocument.Parse(json);
        return VoteChoice.TryParse(document.RootElement, out var choice, out var error)
            ? choice
            : throw new InvalidOperationException($"A stored choice is not readable ({error}): {json}");
    }

    public static string ToJson(VoteTallyResult result) => JsonSerializer.Serialize(result, Json);

    public static VoteTallyResult FromJson(string json)
        => JsonSerializer.Deserialize<VoteTallyResult>(json, Json) ?? throw new InvalidOperationException("A frozen result is empty.");
}
