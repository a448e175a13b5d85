using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Governance;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Governance;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using Heurist.Protocol.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nethereum.Hex.HexConvertors.Extensions;
using Npgsql;
using static System.FormattableString;

namespace Heurist.Portal.Server.Features.Governance;

/// <summary>What the hub answers a posted message: its receipt, or a refusal with its HTTP status.</summary>
/// <param name="Status">200, 400, 413 (an envelope over <see cref="SnapshotEnvelope.MaxLength"/>) or 503 (the chain could not be asked).</param>
/// <param name="Receipt">The stored message's id and type, when accepted.</param>
/// <param name="Error">The refusal in the sequencer's shape, when refused.</param>
public sealed record HubResult(int Status, HubReceipt? Receipt, HubError? Error)
{
    [MemberNotNullWhen(true, nameof(Receipt))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsAccepted => Receipt is not null;

    public static HubResult Accepted(string id, string type) => new(StatusCodes.Status200OK, new HubReceipt(id, type), null);

    /// <summary>A refusal: <c>client_error</c> below 500, <c>server_error</c> from 500 on, as the sequencer answers.</summary>
    public static HubResult Refused(string description, int status = StatusCodes.Status400BadRequest)
        => new(status, null, new HubError(status < 500 ? "client_error" : "server_error", description));
}

/// <summary>
/// The portal as a Snapshot hub for one space (Governance:Space): it takes exactly what snapshot.js's Client712 posts
/// to /api/msg, checks everything, and stores each message with its projection. The rules, in order:
/// <list type="number">
/// <item>the envelope is at most <see cref="SnapshotEnvelope.MaxLength"/> characters ("too large message", 413), and
/// has the shape <see cref="SnapshotEnvelope.TryParse"/> checks ("wrong envelope format", "wrong domain", "wrong types",
/// "wrong from");</item>
/// <item>its timestamp is at most Governance:MaxClockSkewSeconds ahead of the portal's clock and at most
/// Governance:MaxMessageAgeSeconds behind it ("wrong timestamp");</item>
/// <item>its space is Governance:Space ("unknown space");</item>
/// <item>its id, the EIP-712 hash of the signed data (<see cref="SnapshotMessageIds"/>), is not stored yet ("duplicate
/// message");</item>
/// <item>the address signed that hash: an account's low-s signature, or a contract account's ERC-1271 approval
/// (<see cref="AccountSignatureVerifier"/>; "signature validation failed", saying why);</item>
/// <item>then the rules of its kind (<see cref="ProposeAsync"/>, <see cref="VoteAsync"/>, <see cref="CancelAsync"/>).</item>
/// </list>
/// A message is stored as posted, with its projection (proposal, vote, cancellation), in one transaction; nothing is
/// stored on a refusal. Refusals read "reason: why", the reason being the sequencer's words.
/// </summary>
public sealed partial class SnapshotHub(
    IDbContextFactory<PortalDbContext> databases,
    VotingPowerService power,
    AccountSignatureVerifier signatures,
    IOptions<GovernanceOptions> options,
    IOptions<PortalOptions> portal,
    ModelCatalog catalog,
    TimeProvider clock,
    ILogger<SnapshotHub> logger)
{
    /// <summary>The receipt type of a proposal.</summary>
    public const string ProposalType = "proposal";

    /// <summary>The receipt type of a vote.</summary>
    public const string VoteType = "vote";

    /// <summary>The receipt type of a cancellation.</summary>
    public const string CancelType = "cancel-proposal";

    /// <summary>The plugins member a model-allocation proposal carries.</summary>
    public const string AllocationPlugin = "heurist";

    /// <summary>The kind it names.</summary>
    public const string AllocationKind = "model-allocation";

    /// <summary>How many proposals the hub keeps in memory; past that it starts over.</summary>
    private const int KnownProposals = 1_000;

    private readonly ConcurrentDictionary<string, GovernanceProposal> _proposals = new(StringComparer.Ordinal);

    // Compiled once: a LINQ query run the usual way is looked up and its parameters extracted on every run, which
    // cost more CPU than the database under a flood of votes.
    private static readonly Func<PortalDbContext, string, CancellationToken, Task<bool>> MessageStored =
        EF.CompileAsyncQuery((PortalDbContext db, string id, CancellationToken _) => db.GovernanceMessages.Any(m => m.Id == id));

    private static readonly Func<PortalDbContext, string, string, CancellationToken, Task<GovernanceProposal?>> ProposalInSpace =
        EF.CompileAsyncQuery((PortalDbContext db, string id, string space, CancellationToken _)
            => db.GovernanceProposals.AsNoTracking().SingleOrDefault(p => p.Id == id && p.Space == space));

    /// <summary>Reads, checks and stores one posted envelope.</summary>
    public async Task<HubResult> IngestAsync(string json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return await IngestCoreAsync(json, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException unavailable) when (unavailable.Status == StatusCodes.Status503ServiceUnavailable)
        {
            return HubResult.Refused(unavailable.Title, unavailable.Status);
        }
    }

    private async Task<HubResult> IngestCoreAsync(string json, CancellationToken cancellationToken)
    {
        if (!SnapshotEnvelope.TryParse(json, out var envelope, out var refusal))
        {
            return HubResult.Refused(refusal.ToString(),
                refusal.Error == SnapshotEnvelope.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);
        }
        var settings = options.Value;
        var message = envelope.Message;
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (message.Timestamp > now + settings.MaxClockSkewSeconds)
        {
            return HubResult.Refused(Invariant(
                $"wrong timestamp: the message is timestamped {message.Timestamp}, more than {settings.MaxClockSkewSeconds} s after the portal's clock ({now})"));
        }
        if (message.Timestamp < now - settings.MaxMessageAgeSeconds)
        {
            return HubResult.Refused(Invariant(
                $"wrong timestamp: the message is timestamped {message.Timestamp}, more than {settings.MaxMessageAgeSeconds} s before the portal's clock ({now})"));
        }
        if (!string.Equals(message.Space, settings.Space, StringComparison.Ordinal))
        {
            return HubResult.Refused($"unknown space: '{Shorten(message.Space)}' is not this hub's space; it is the hub of '{settings.Space}'");
        }

        byte[] digest;
        try
        {
            digest = SnapshotMessageIds.Digest(envelope);
        }
        catch (TypedDataException ex)
        {
            return HubResult.Refused($"{SnapshotEnvelope.WrongFormat}: {ex.Message}");
        }
        var id = digest.ToHex(true);
        // A vote asks in the round trip that locks it (LockForVoteAsync): votes are the hub's bulk.
        if (message is not VoteMessage)
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            if (await MessageStored(db, id, cancellationToken).ConfigureAwait(false))
            {
                return Duplicate(id);
            }
        }

        AccountSignatureCheck check;
        try
        {
            check = await signatures.VerifyAsync(digest, envelope.Signature.HexToByteArray(), envelope.Address, cancellationToken).ConfigureAwait(false);
        }
        catch (SignatureChainUnavailableException ex)
        {
            return HubResult.Refused($"signature validation failed: {ex.Message}", StatusCodes.Status503ServiceUnavailable);
        }
        if (!check.IsValid)
        {
            return HubResult.Refused($"signature validation failed: {check.Reason}");
        }

        var stored = new GovernanceMessage
        {
            Id = id,
            Kind = GovernanceMessageKind.Proposal,
            Address = envelope.Address,
            Space = message.Space,
            Timestamp = message.Timestamp,
            ProposalId = id,
            Envelope = json,
            ReceivedAt = clock.GetUtcNow(),
        };
        return message switch
        {
            ProposalMessage proposal => await ProposeAsync(envelope, proposal, stored, now, cancellationToken).ConfigureAwait(false),
            VoteMessage vote => await VoteAsync(envelope, vote, stored, now, cancellationToken).ConfigureAwait(false),
            CancelProposalMessage cancel => await CancelAsync(envelope, cancel, stored, cancellationToken).ConfigureAwait(false),
            _ => throw new InvalidOperationException($"The envelope reader gave a message of kind {envelope.Kind} the hub does not know."),
        };
    }

    /// <summary>
    /// A proposal: a voting type this hub counts; choices as <see cref="ProposalChoices.Validate"/> takes them; a title of
    /// 1 to 256 characters; a body of at most Governance:MaxBodyLength; an end after its start and in the future; a
    /// snapshot block the chain has reached; no privacy; plugins a JSON object. A model-allocation proposal (plugins
    /// <c>{"heurist":{"kind":"model-allocation"}}</c>) is weighted and its choices are distinct image models of the
    /// catalog. The proposer's power at the snapshot block reaches Governance:ProposalThreshold. Its quorum is
    /// Governance:Quorum (none when 0).
    /// </summary>
    private async Task<HubResult> ProposeAsync(SnapshotEnvelope envelope, ProposalMessage p, GovernanceMessage stored, long now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!VotingTypes.TryParse(p.Type, out var type))
        {
            return WrongProposal($"type '{Shorten(p.Type)}' is not one of single-choice, approval, ranked-choice, weighted, quadratic or basic");
        }
        if (ProposalChoices.Validate(type, p.Choices) is { } choicesProblem)
        {
            return WrongProposal(choicesProblem);
        }
        if (string.IsNullOrWhiteSpace(p.Title) || p.Title.Length > MaxTitleLength)
        {
            return WrongProposal(Invariant($"title must be 1 to {MaxTitleLength} characters, not blank; it has {p.Title.Length}"));
        }
        if (p.Body.Length > settings.MaxBodyLength)
        {
            return HubResult.Refused(Invariant($"proposal body too long: the body has {p.Body.Length:N0} characters; the most is {settings.MaxBodyLength:N0}"));
        }
        if (p.End <= p.Start)
        {
            return WrongProposal(Invariant($"end ({p.End}) must be after start ({p.Start})"));
        }
        if (p.End <= now)
        {
            return HubResult.Refused(Invariant($"proposal end date must be in the future: it ends at {p.End}; the portal's clock reads {now}"));
        }
        if (p.Privacy.Length > 0)
        {
            return WrongProposal($"privacy must be empty: '{Shorten(p.Privacy)}' voting is not supported by this hub");
        }
        if (!TryReadKind(p.Plugins, out var kind, out var pluginsProblem))
        {
            return WrongProposal(pluginsProblem);
        }
        if (kind == ProposalKind.ModelAllocation && AllocationProblem(type, p.Choices) is { } allocationProblem)
        {
            return WrongProposal(allocationProblem);
        }
        var latest = await power.LatestBlockAsync(cancellationToken).ConfigureAwait(false);
        if (p.Snapshot > latest)
        {
            return HubResult.Refused(Invariant($"proposal snapshot must be in past: block {p.Snapshot} is above the chain's latest block {latest}"));
        }
        var proposerPower = power.Total(await power.ReadAsync(envelope.Address, p.Snapshot, cancellationToken).ConfigureAwait(false));
        if (proposerPower < settings.ProposalThreshold)
        {
            return HubResult.Refused(Invariant(
                $"validation failed: {envelope.Address} has {proposerPower} voting power at block {p.Snapshot}; a proposal needs at least {settings.ProposalThreshold}"));
        }

        var proposal = new GovernanceProposal
        {
            Id = stored.Id,
            Space = p.Space,
            Author = envelope.Address.ToLowerInvariant(),
            Created = p.Timestamp,
            Type = type.ToWire(),
            Kind = kind.ToString(),
            Title = p.Title,
            Body = p.Body,
            Discussion = p.Discussion,
            Choices = [.. p.Choices],
            Start = p.Start,
            End = p.End,
            SnapshotBlock = p.Snapshot,
            Quorum = settings.Quorum > 0 ? settings.Quorum : null,
            Plugins = p.Plugins,
            App = p.App,
            ReceivedAt = stored.ReceivedAt,
        };
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.GovernanceMessages.Add(stored);
        db.GovernanceProposals.Add(proposal);
        if (!await TrySaveAsync(db, cancellationToken).ConfigureAwait(false))
        {
            return Duplicate(stored.Id);
        }
        LogStored(logger, ProposalType, stored.Id, envelope.Address);
        return HubResult.Accepted(stored.Id, ProposalType);
    }

    /// <summary>
    /// A vote: on a proposal of the space that is not cancelled; its timestamp and the portal's clock both within
    /// [start, end]; signed in the Vote form of the proposal's type (<see cref="SnapshotTypes.VoteKind"/>); a choice valid
    /// for the type (<see cref="VoteChoice.Validate"/>); power above 0 at the proposal's snapshot. As in the sequencer,
    /// a vote older than the voter's latest stored one is refused, and at the same timestamp so is one whose id is not
    /// greater. Every vote is kept; the tally counts each voter's last.
    /// </summary>
    private async Task<HubResult> VoteAsync(SnapshotEnvelope envelope, VoteMessage v, GovernanceMessage stored, long now, CancellationToken cancellationToken)
    {
        var proposal = await FindProposalAsync(v.Proposal, v.Space, cancellationToken).ConfigureAwait(false);
        if (proposal is null)
        {
            return UnknownProposal(v.Proposal, v.Space);
        }
        if (proposal.CancelledAt is { } cancelledAt)
        {
            return Cancelled(proposal.Id, cancelledAt);
        }
        if (v.Timestamp < proposal.Start || v.Timestamp > proposal.End || now < proposal.Start || now > proposal.End)
        {
            return OutOfWindow(proposal, v.Timestamp, now);
        }
        var type = ProposalViews.VotingType(proposal);
        var form = SnapshotTypes.VoteKind(type);
        if (envelope.Kind != form)
        {
            return HubResult.Refused($"invalid choice: votes on {type.ToWire()} proposals sign their choice as {Form(form)}, not as {Form(envelope.Kind)}");
        }
        if (v.Choice.Validate(type, proposal.Choices.Count) is { } choiceProblem)
        {
            return HubResult.Refused($"invalid choice: {choiceProblem}");
        }
        var (reading, unsaved) = await power.ReadUnsavedAsync(envelope.Address, proposal.SnapshotBlock, cancellationToken).ConfigureAwait(false);
        var voterPower = power.Total(reading);
        if (voterPower <= 0)
        {
            return HubResult.Refused(Invariant($"no voting power: {envelope.Address} has none at block {proposal.SnapshotBlock}"));
        }

        var voter = envelope.Address.ToLowerInvariant();
        stored.Kind = GovernanceMessageKind.Vote;
        stored.ProposalId = proposal.Id;
        var vote = new GovernanceVote
        {
            Id = stored.Id,
            ProposalId = proposal.Id,
            Voter = voter,
            Timestamp = v.Timestamp,
            Choice = v.Choice.ToString(),
            Reason = v.Reason,
            App = v.App,
            Power = voterPower,
            ReceivedAt = stored.ReceivedAt,
        };
        await using (var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            try
            {
                var locked = await LockForVoteAsync(connection, proposal.Id, voter, stored.Id, cancellationToken).ConfigureAwait(false);
                var refusal = locked switch
                {
                    { Stored: true } => Duplicate(stored.Id),
                    null => Cancelled(proposal.Id, clock.GetUtcNow()),
                    { CancelledAt: { } at } => Cancelled(proposal.Id, at),
                    { Frozen: true } => OutOfWindow(proposal, v.Timestamp, clock.GetUtcNow().ToUnixTimeSeconds()),
                    { Latest: { } latest } when latest > v.Timestamp => HubResult.Refused(Invariant(
                        $"already voted at later time: {envelope.Address}'s latest vote on this proposal is timestamped {latest}, after {v.Timestamp}")),
                    { Latest: { } latest, LatestIds: var ids } when latest == v.Timestamp && ids.Any(other => string.CompareOrdinal(stored.Id, other) <= 0)
                        => HubResult.Refused(Invariant(
                            $"already voted same time with lower index: a vote of {envelope.Address} timestamped {v.Timestamp} has an id above {stored.Id}; a second vote at the same second must have a greater id")),
                    _ => (HubResult?)null,
                };
                if (refusal is { } refused)
                {
                    await RollbackAsync(connection).ConfigureAwait(false);
                    return refused;
                }
                await StoreVoteAsync(connection, stored, vote, unsaved ? reading : null, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                await RollbackAsync(connection).ConfigureAwait(false);
                return Duplicate(stored.Id);
            }
            catch
            {
                // A broken connection cannot roll back; the pool discards it, and the failure that broke it is the one to tell.
                try
                {
                    await RollbackAsync(connection).ConfigureAwait(false);
                }
                catch (Exception rollback) when (rollback is NpgsqlException or InvalidOperationException)
                {
                }
                throw;
            }
            finally
            {
                await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
        LogStored(logger, VoteType, stored.Id, envelope.Address);
        return HubResult.Accepted(stored.Id, VoteType);
    }

    /// <summary>A cancellation: of a proposal of the space, by its author or one of Portal:Admins, once.</summary>
    private async Task<HubResult> CancelAsync(SnapshotEnvelope envelope, CancelProposalMessage c, GovernanceMessage stored, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var proposal = await db.GovernanceProposals.AsNoTracking()
            .SingleOrDefaultAsync(p => p.Id == c.Proposal && p.Space == c.Space, cancellationToken).ConfigureAwait(false);
        if (proposal is null)
        {
            return UnknownProposal(c.Proposal, c.Space);
        }
        if (!string.Equals(proposal.Author, envelope.Address, StringComparison.OrdinalIgnoreCase) && !portal.Value.IsAdmin(envelope.Address))
        {
            return HubResult.Refused($"not authorized to cancel proposal: {envelope.Address} is neither its author ({proposal.Author}) nor an admin of the portal");
        }
        if (proposal.CancelledAt is { } cancelledAt)
        {
            return AlreadyCancelled(proposal.Id, cancelledAt);
        }

        stored.Kind = GovernanceMessageKind.CancelProposal;
        stored.ProposalId = proposal.Id;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ProposalLock.TakeExclusiveAsync(db, proposal.Id, cancellationToken).ConfigureAwait(false);
        var updated = await db.GovernanceProposals.Where(p => p.Id == proposal.Id && p.CancelledAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.CancelledAt, stored.ReceivedAt), cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            return AlreadyCancelled(proposal.Id, stored.ReceivedAt);
        }
        db.GovernanceMessages.Add(stored);
        if (!await TrySaveAsync(db, cancellationToken).ConfigureAwait(false))
        {
            return Duplicate(stored.Id);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        LogStored(logger, CancelType, stored.Id, envelope.Address);
        return HubResult.Accepted(stored.Id, CancelType);
    }

    /// <summary>The longest proposal title, as Snapshot's proposal schema bounds it.</summary>
    public const int MaxTitleLength = 256;

    /// <summary>
    /// Reads a proposal's kind from its plugins, a JSON object: ModelAllocation when it holds
    /// <c>{"heurist":{"kind":"model-allocation"}}</c>, General when it has no "heurist" member.
    /// </summary>
    public static bool TryReadKind(string plugins, out ProposalKind kind, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        kind = ProposalKind.General;
        problem = null;
        const string Expected = "plugins must be a JSON object, such as {} or {\"heurist\":{\"kind\":\"model-allocation\"}}";
        try
        {
            using var document = JsonDocument.Parse(plugins);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = Expected;
                return false;
            }
            if (!document.RootElement.TryGetProperty(AllocationPlugin, out var heurist))
            {
                return true;
            }
            if (heurist.ValueKind != JsonValueKind.Object || !heurist.TryGetProperty("kind", out var named)
                || named.ValueKind != JsonValueKind.String || named.GetString() != AllocationKind)
            {
                problem = $"plugins.{AllocationPlugin} must be {{\"kind\":\"{AllocationKind}\"}}";
                return false;
            }
            kind = ProposalKind.ModelAllocation;
            return true;
        }
        catch (JsonException)
        {
            problem = Expected;
            return false;
        }
    }

    private string? AllocationProblem(VotingType type, IReadOnlyList<string> choices)
    {
        if (type != VotingType.Weighted)
        {
            return $"a model-allocation proposal is weighted, not {type.ToWire()}";
        }
        var models = catalog.Image.Select(m => m.Id).ToList();
        for (var i = 0; i < choices.Count; i++)
        {
            if (!models.Contains(choices[i], StringComparer.Ordinal))
            {
                return Invariant($"choice {i + 1} ('{Shorten(choices[i])}') of a model-allocation proposal is not an image model of the catalog ({string.Join(", ", models)})");
            }
            if (choices.Take(i).Contains(choices[i], StringComparer.Ordinal))
            {
                return Invariant($"choice {i + 1} ('{choices[i]}') of a model-allocation proposal appears twice");
            }
        }
        return null;
    }

    private static async Task<bool> TrySaveAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return false;
        }
    }

    private static string Form(SnapshotMessageKind kind) => kind switch
    {
        SnapshotMessageKind.VoteArray => "a list of choice numbers (uint32[])",
        SnapshotMessageKind.VoteString => "a string of JSON weights (string)",
        _ => "one choice number (uint32)",
    };

    private static HubResult WrongProposal(string problem) => HubResult.Refused($"wrong proposal format: {problem}");

    private static HubResult Duplicate(string id) => HubResult.Refused($"duplicate message: {id} is already stored");

    private static HubResult UnknownProposal(string id, string space)
        => HubResult.Refused($"unknown proposal: there is no proposal '{Shorten(id)}' in {space}");

    private static HubResult Cancelled(string id, DateTimeOffset at)
        => HubResult.Refused($"proposal cancelled: {id} was cancelled at {at.ToString("u", CultureInfo.InvariantCulture)} and takes no votes");

    private static HubResult AlreadyCancelled(string id, DateTimeOffset at)
        => HubResult.Refused($"proposal already cancelled: {id} was cancelled at {at.ToString("u", CultureInfo.InvariantCulture)}");

    private static HubResult OutOfWindow(GovernanceProposal proposal, long timestamp, long now)
        => HubResult.Refused(Invariant(
            $"not in voting window: {proposal.Id} takes votes from {proposal.Start} to {proposal.End} (unix seconds); the vote is timestamped {timestamp} and the portal's clock reads {now}"));

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored a {Type} {Id} from {Address}")]
    private static partial void LogStored(ILogger logger, string type, string id, string address);

    /// <summary>The proposal's row as a vote finds it, and the voter's latest stored votes (their timestamp and ids).</summary>
    private sealed record VoteLock(bool Stored, bool Frozen, DateTimeOffset? CancelledAt, long? Latest, List<string> LatestIds);

    /// <summary>
    /// Opens the vote's transaction and, in the same round trip: takes the proposal's lock shared
    /// (<see cref="ProposalLock"/>), so no vote lands in a result after it froze or on a proposal after its
    /// cancellation; then the voter's lock on the proposal, so one voter's votes go one at a time and the latest-vote
    /// rule holds under concurrency; then reads the proposal's row and the voter's latest votes, each in a statement of
    /// its own that starts after the locks are held and so sees everything committed before; and whether the message
    /// is stored already. Null when the proposal is gone. The caller commits (<see cref="StoreVoteAsync"/>) or rolls back.
    /// </summary>
    private static async Task<VoteLock?> LockForVoteAsync(NpgsqlConnection connection, string proposalId, string voter, string messageId, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new("BEGIN"),
                new("SELECT EXISTS (SELECT 1 FROM governance_messages WHERE id = $1)") { Parameters = { new() { Value = messageId } } },
                new(ProposalLock.SharedSql) { Parameters = { new() { Value = proposalId } } },
                new("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))") { Parameters = { new() { Value = proposalId + voter } } },
                new("SELECT frozen_result IS NOT NULL, cancelled_at FROM governance_proposals WHERE id = $1") { Parameters = { new() { Value = proposalId } } },
                new("""
                    SELECT timestamp, id FROM governance_votes
                    WHERE proposal_id = $1 AND voter = $2
                      AND timestamp = (SELECT max(timestamp) FROM governance_votes WHERE proposal_id = $1 AND voter = $2)
                    """)
                {
                    Parameters = { new() { Value = proposalId }, new() { Value = voter } },
                },
            },
        };
        // BEGIN answers no result set: the reader starts at the first SELECT.
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var stored = reader.GetBoolean(0);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return stored ? new VoteLock(true, false, null, null, []) : null;
        }
        var frozen = reader.GetBoolean(0);
        DateTimeOffset? cancelledAt = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        long? latest = null;
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            latest = reader.GetInt64(0);
            ids.Add(reader.GetString(1));
        }
        return new VoteLock(stored, frozen, cancelledAt, latest, ids);
    }

    /// <summary>Stores the message, the vote and a reading of the voter's power not kept yet, and commits: one round trip.</summary>
    private static async Task StoreVoteAsync(NpgsqlConnection connection, GovernanceMessage message, GovernanceVote vote, VotingPowerReading? reading, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new("""
                    INSERT INTO governance_messages (id, kind, address, space, timestamp, proposal_id, envelope, received_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    """)
                {
                    Parameters =
                    {
                        new() { Value = message.Id }, new() { Value = message.Kind.ToString() }, new() { Value = message.Address }, new() { Value = message.Space },
                        new() { Value = message.Timestamp }, new() { Value = message.ProposalId }, new() { Value = message.Envelope }, new() { Value = message.ReceivedAt },
                    },
                },
                new("""
                    INSERT INTO governance_votes (id, proposal_id, voter, timestamp, choice, reason, app, power, received_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    """)
                {
                    Parameters =
                    {
                        new() { Value = vote.Id }, new() { Value = vote.ProposalId }, new() { Value = vote.Voter }, new() { Value = vote.Timestamp },
                        new() { Value = vote.Choice }, new() { Value = vote.Reason }, new() { Value = vote.App }, new() { Value = vote.Power },
                        new() { Value = vote.ReceivedAt },
                    },
                },
            },
        };
        if (reading is not null)
        {
            batch.BatchCommands.Add(VotingPowerService.SaveCommand(reading));
        }
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends a vote's transaction that will not be committed; nothing of it is kept.</summary>
    private static async Task RollbackAsync(NpgsqlConnection connection)
    {
        await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
        await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// A proposal of the space by id. A proposal's signed fields never change, so they are kept in memory after the first
    /// read; its cancellation and frozen result, which do change, a vote reads again under the proposal's lock.
    /// </summary>
    private async Task<GovernanceProposal?> FindProposalAsync(string id, string space, CancellationToken cancellationToken)
    {
        if (_proposals.TryGetValue(id, out var known))
        {
            return known.Space == space ? known : null;
        }
        GovernanceProposal? proposal;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            proposal = await ProposalInSpace(db, id, space, cancellationToken).ConfigureAwait(false);
        }
        if (proposal is not null)
        {
            if (_proposals.Count >= KnownProposals)
            {
                _proposals.Clear();
            }
            _proposals[id] = proposal;
        }
        return proposal;
    }
}
