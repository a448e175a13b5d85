using System.Globalization;
using System.Text;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Governance;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using Heurist.Protocol.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Governance;

/// <summary>
/// The server's <see cref="IGovernanceClient"/>: the hub for posted messages, PostgreSQL for proposals and votes, the
/// chain for voting power. A proposal's results are tallied live from its stored votes until it closes; the first
/// read after its end freezes them (written once, under a lock that waits for votes being stored), and from then on
/// they are read back as frozen.
/// </summary>
public sealed class GovernanceService(
    IDbContextFactory<PortalDbContext> databases,
    SnapshotHub hub,
    VotingPowerService power,
    IOptions<GovernanceOptions> options,
    ModelCatalog catalog,
    TimeProvider clock) : IGovernanceClient
{
    /// <summary>The most proposals a list holds, newest first.</summary>
    public const int ListLimit = 200;

    /// <summary>The title of a refused page of votes.</summary>
    public const string InvalidPageTitle = "The page of votes is invalid.";

    /// <summary>The title of a refused vote lookup.</summary>
    public const string InvalidVoterTitle = "The voter is invalid.";

    /// <summary>The title of a refused preview.</summary>
    public const string InvalidPreviewTitle = "The body cannot be previewed.";

    public async Task<GovernanceSpace> GetSpaceAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        return new GovernanceSpace(settings.Space, settings.ProposalThreshold, settings.MaxBodyLength,
            await power.LatestBlockAsync(cancellationToken).ConfigureAwait(false), settings.Weights, [.. catalog.Image.Select(m => m.Id)]);
    }

    public async Task<IReadOnlyList<ProposalSummary>> ListProposalsAsync(ProposalState? state, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var seconds = now.ToUnixTimeSeconds();
        var space = options.Value.Space;
        List<GovernanceProposal> proposals;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var query = db.GovernanceProposals.AsNoTracking().Where(p => p.Space == space);
            query = state switch
            {
                null => query.Where(p => p.CancelledAt == null),
                ProposalState.Pending => query.Where(p => p.CancelledAt == null && p.Start > seconds),
                ProposalState.Active => query.Where(p => p.CancelledAt == null && p.Start <= seconds && p.End >= seconds),
                ProposalState.Closed => query.Where(p => p.CancelledAt == null && p.End < seconds),
                ProposalState.Cancelled => query.Where(p => p.CancelledAt != null),
                _ => throw new ArgumentOutOfRangeException(nameof(state), state, "is not a proposal state"),
            };
            proposals = await query.OrderByDescending(p => p.Created).ThenBy(p => p.Id).Take(ListLimit)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var results = new Dictionary<string, VoteTallyResult>(StringComparer.Ordinal);
        var live = new List<GovernanceProposal>();
        foreach (var proposal in proposals)
        {
            if (proposal.FrozenResult is { } frozen)
            {
                results[proposal.Id] = ProposalTallies.FromJson(frozen);
            }
            else if (ProposalViews.IsFreezable(proposal, now))
            {
                results[proposal.Id] = await FreezeAsync(proposal, now, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                live.Add(proposal);
            }
        }
        if (live.Count > 0)
        {
            var ids = live.Select(p => p.Id).ToList();
            await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var votes = (await db.GovernanceVotes.AsNoTracking().Where(v => ids.Contains(v.ProposalId)).ToListAsync(cancellationToken).ConfigureAwait(false))
                .ToLookup(v => v.ProposalId, StringComparer.Ordinal);
            foreach (var proposal in live)
            {
                results[proposal.Id] = ProposalTallies.Tally(proposal, votes[proposal.Id]);
            }
        }
        return [.. proposals.Select(p => ProposalViews.Summary(p, results[p.Id], now))];
    }

    public async Task<ProposalView?> GetProposalAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var now = clock.GetUtcNow();
        GovernanceProposal? proposal;
        VoteTallyResult result;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            proposal = await FindAsync(db, id, cancellationToken).ConfigureAwait(false);
            if (proposal is null)
            {
                return null;
            }
            if (proposal.FrozenResult is null && ProposalViews.IsFreezable(proposal, now))
            {
                result = await FreezeAsync(proposal, now, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                result = await ProposalTallies.ResultAsync(db, proposal, cancellationToken).ConfigureAwait(false);
            }
        }
        return ProposalViews.View(proposal, result, now);
    }

    public async Task<VotesPage> GetVotesAsync(string id, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var errors = new FieldErrors();
        if (page < 1)
        {
            errors.Add("page", "page counts from 1.");
        }
        if (pageSize is < 1 or > VotesPage.MaxPageSize)
        {
            errors.Add("pageSize", string.Create(CultureInfo.InvariantCulture, $"pageSize must be 1 to {VotesPage.MaxPageSize}."));
        }
        if (!errors.IsValid)
        {
            throw ApiException.Invalid(InvalidPageTitle, errors);
        }
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var proposal = await FindAsync(db, id, cancellationToken).ConfigureAwait(false)
            ?? throw new ApiException(StatusCodes.Status404NotFound, $"There is no proposal {id}.");
        var votes = await db.GovernanceVotes.AsNoTracking().Where(v => v.ProposalId == proposal.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var counted = Counted(proposal, votes);
        return new VotesPage(
            [.. counted.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * pageSize)).Take(pageSize).Select(v => ProposalViews.Vote(proposal, v))],
            counted.Count,
            page,
            pageSize);
    }

    /// <summary>The voter's counted vote; null when they have none. A malformed address is a 400 naming "voter", an unknown proposal a 404.</summary>
    public async Task<VoteView?> GetVoteAsync(string id, string voter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(voter);
        if (!VotingPowerService.IsAddress(voter))
        {
            throw ApiException.Invalid(InvalidVoterTitle, new FieldErrors().Add("voter", "voter must be 0x and 40 hex digits."));
        }
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var proposal = await FindAsync(db, id, cancellationToken).ConfigureAwait(false)
            ?? throw new ApiException(StatusCodes.Status404NotFound, $"There is no proposal {id}.");
        var stored = voter.ToLowerInvariant();
        var votes = await db.GovernanceVotes.AsNoTracking().Where(v => v.ProposalId == proposal.Id && v.Voter == stored)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return Counted(proposal, votes) is [var counted] ? ProposalViews.Vote(proposal, counted) : null;
    }

    public Task<VotingPowerView> GetVotingPowerAsync(string address, long block, CancellationToken cancellationToken = default)
        => power.GetAsync(address, block, cancellationToken);

    public async Task<HubReceipt> SubmitAsync(string envelopeJson, CancellationToken cancellationToken = default)
    {
        var result = await hub.IngestAsync(envelopeJson, cancellationToken).ConfigureAwait(false);
        return result.IsAccepted ? result.Receipt : throw new ApiException(result.Status, result.Error.Description);
    }

    public Task<string> PreviewBodyAsync(string markdown, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var max = options.Value.MaxBodyLength;
        if (markdown.Length > max)
        {
            throw ApiException.Invalid(InvalidPreviewTitle, new FieldErrors().Add("markdown",
                string.Create(CultureInfo.InvariantCulture, $"the body has {markdown.Length:N0} characters; the most is {max:N0}.")));
        }
        return Task.FromResult(ProposalMarkdown.ToHtml(markdown));
    }

    /// <summary>A stored signed message as it was posted; null when there is none with this id.</summary>
    public async Task<string?> GetMessageAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var key = id.ToLowerInvariant();
        return await db.GovernanceMessages.AsNoTracking().Where(m => m.Id == key).Select(m => m.Envelope)
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every signed vote of the proposal as posted, superseded ones too, oldest first, as one JSON array; null when
    /// there is no such proposal.
    /// </summary>
    public async Task<string?> GetSignedVotesAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await FindAsync(db, id, cancellationToken).ConfigureAwait(false) is not { } proposal)
        {
            return null;
        }
        var envelopes = await db.GovernanceMessages.AsNoTracking()
            .Where(m => m.ProposalId == proposal.Id && m.Kind == GovernanceMessageKind.Vote)
            .OrderBy(m => m.Timestamp).ThenBy(m => m.Id)
            .Select(m => m.Envelope)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new StringBuilder("[").AppendJoin(",", envelopes).Append(']').ToString();
    }

    private Task<GovernanceProposal?> FindAsync(PortalDbContext db, string id, CancellationToken cancellationToken)
    {
        var key = id.ToLowerInvariant();
        var space = options.Value.Space;
        return db.GovernanceProposals.AsNoTracking().SingleOrDefaultAsync(p => p.Id == key && p.Space == space, cancellationToken);
    }

    /// <summary>Each voter's last valid vote in the window (as the tally counts them), largest power first.</summary>
    private static List<GovernanceVote> Counted(GovernanceProposal proposal, List<GovernanceVote> votes)
    {
        var type = ProposalViews.VotingType(proposal);
        return [.. votes
            .Where(v => v.Timestamp >= proposal.Start && v.Timestamp <= proposal.End
                && ProposalTallies.ParseChoice(v.Choice).Validate(type, proposal.Choices.Count) is null)
            .GroupBy(v => v.Voter, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.OrderByDescending(v => v.Timestamp).ThenByDescending(v => v.Id, StringComparer.Ordinal).First())
            .OrderByDescending(v => v.Power).ThenBy(v => v.Voter, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Freezes a closed proposal's results: under the proposal's exclusive lock, which waits for the votes being stored, the
    /// tally of every stored vote is written once (UPDATE … WHERE frozen_result IS NULL); a result frozen meanwhile by
    /// another reader is read back instead.
    /// </summary>
    private async Task<VoteTallyResult> FreezeAsync(GovernanceProposal proposal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ProposalLock.TakeExclusiveAsync(db, proposal.Id, cancellationToken).ConfigureAwait(false);
        var current = await db.GovernanceProposals.AsNoTracking().SingleAsync(p => p.Id == proposal.Id, cancellationToken).ConfigureAwait(false);
        if (current.FrozenResult is { } frozen)
        {
            proposal.FrozenResult = frozen;
            proposal.FrozenAt = current.FrozenAt;
            return ProposalTallies.FromJson(frozen);
        }
        var result = await ProposalTallies.ResultAsync(db, current, cancellationToken).ConfigureAwait(false);
        var json = ProposalTallies.ToJson(result);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE governance_proposals SET frozen_result = {json}::jsonb, frozen_at = {now} WHERE id = {proposal.Id} AND frozen_result IS NULL",
            cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        proposal.FrozenResult = json;
        proposal.FrozenAt = now;
        return result;
    }
}
