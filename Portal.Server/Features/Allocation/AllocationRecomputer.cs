using Heurist.Portal.Data;
using Heurist.Portal.Data.Governance;
using Heurist.Portal.Data.Miners;
using Heurist.Portal.Server.Features.Governance;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using Heurist.Protocol.Miners;
using Heurist.Protocol.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Allocation;

/// <summary>What one recomputation did.</summary>
/// <param name="Plan">The targets and the assignment.</param>
/// <param name="ProposalId">The closed allocation vote the voted shares come from; null without one.</param>
/// <param name="Reassigned">How many workers got a new assignment written.</param>
/// <param name="Sampled">Whether a target and actual share sample was recorded.</param>
public sealed record AllocationRun(AllocationPlan Plan, string? ProposalId, int Reassigned, bool Sampled);

/// <summary>
/// Reads the votes, the demand and the online workers, computes the targets and each worker's assignment
/// (<see cref="ModelAllocation"/>), and writes them: the miners' assigned models (only when they change), the targets,
/// and every Allocation:SampleEverySeconds a sample of target against actual share for the Stats chart.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>The vote: the closed (ended, not cancelled) proposal of kind ModelAllocation that ended last, and its result
/// (<see cref="ProposalTallies.ResultAsync"/>). A result short of its quorum does not stand, and counts as no vote.</item>
/// <item>Demand, per model: the work waiting on its queue now (Studio jobs and Verify re-runs), the Studio jobs submitted
/// within Allocation:DemandWindowMinutes, and those jobs' mean wait: started − created, or now − created while still
/// queued.</item>
/// <item>Workers: the miners online by Portal:OnlineWindowSeconds (<see cref="MinerPresence.IsOnline"/>), with the
/// catalog models they registered that fit their memory (<see cref="ModelAllocation.Fits"/>).</item>
/// <item>The actual share is taken from what the workers report serving (miners.queues), not from the assignment,
/// so the chart shows how far the workers have followed it.</item>
/// </list>
/// All of it runs in one transaction under an advisory lock, so with several portal instances one computes at a time
/// and the others skip that round.
/// </remarks>
public sealed partial class AllocationRecomputer(
    IDbContextFactory<PortalDbContext> databases,
    ModelCatalog catalog,
    IOptions<AllocationOptions> options,
    IOptions<PortalOptions> portalOptions,
    TimeProvider clock,
    ILogger<AllocationRecomputer> logger)
{
    /// <summary>
    /// The transaction-level advisory lock a recomputation holds: any fixed number shared by all portal instances and
    /// used by no other lock ("HEUALLOC").
    /// </summary>
    public const long LockKey = 0x4845_5541_4c4c_4f43;

    /// <summary>Samples older than the chart's longest span, and an hour more, are deleted when a new one is taken.</summary>
    private static readonly TimeSpan SampleRetention = TimeSpan.FromHours(GovernanceRoutes.MaxAllocationHours + 1);

    /// <summary>Computes and writes the allocation now; null when another portal instance is doing it.</summary>
    public async Task<AllocationRun?> RecomputeAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var models = catalog.Image.Select(m => m.Id).ToList();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var locked = await db.Database
            .SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({LockKey}) AS \"Value\"")
            .SingleAsync(cancellationToken);
        if (!locked)
        {
            return null;
        }

        var (proposalId, voted) = await ReadVoteAsync(db, models, now, cancellationToken);
        var demand = await ReadDemandAsync(db, now - TimeSpan.FromMinutes(settings.DemandWindowMinutes), now, cancellationToken);
        var online = await OnlineMinersAsync(db, now, cancellationToken);
        var workers = await WorkersAsync(db, online, cancellationToken);
        var plan = ModelAllocation.Plan(new AllocationInput(models, voted, demand, workers, settings.Alpha, settings.WaitScaleSeconds));

        var reassigned = 0;
        var byId = online.ToDictionary(m => m.Id, StringComparer.Ordinal);
        foreach (var assignment in plan.Assignments)
        {
            var wanted = assignment.Models.ToList();
            if (byId[assignment.WorkerId].AssignedModels is { } current && current.SequenceEqual(wanted, StringComparer.Ordinal))
            {
                continue;
            }
            await db.Miners.Where(m => m.Id == assignment.WorkerId)
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.AssignedModels, wanted).SetProperty(m => m.AssignedAt, now), cancellationToken);
            reassigned++;
        }
        await WriteTargetsAsync(db, plan.Targets, proposalId, now, cancellationToken);
        var sampled = await SampleAsync(db, plan.Targets, online, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        if (reassigned > 0)
        {
            LogReassigned(logger, reassigned, string.Join(", ", plan.Targets.Select(t => $"{t.ModelId} {t.Target:P0}")),
                string.Join(", ", plan.Seats.Select(s => $"{s.Key} {s.Value}")), plan.MaxShareError);
        }
        return new AllocationRun(plan, proposalId, reassigned, sampled);
    }

    private static async Task<(string? ProposalId, IReadOnlyDictionary<string, double> Voted)> ReadVoteAsync(
        PortalDbContext db, IReadOnlyList<string> models, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var proposal = await db.GovernanceProposals.AsNoTracking()
            .Where(p => p.Kind == nameof(ProposalKind.ModelAllocation) && p.End < nowSeconds && p.CancelledAt == null)
            .OrderByDescending(p => p.End)
            .ThenByDescending(p => p.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (proposal is null)
        {
            return (null, new Dictionary<string, double>());
        }
        var result = await ProposalTallies.ResultAsync(db, proposal, cancellationToken);
        return result.QuorumReached
            ? (proposal.Id, ModelAllocation.VotedShares(models, proposal.Choices, result.Scores))
            : (null, new Dictionary<string, double>());
    }

    private static async Task<List<ModelDemand>> ReadDemandAsync(PortalDbContext db, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Columns in snake case: the model's naming convention maps the row's properties to them. Waiting work is the
        // Studio's queued jobs and Verify's queued re-runs, both on the model's queue; recent jobs and the wait are the
        // Studio's.
        var rows = await db.Database.SqlQuery<DemandRow>(
            $"""
            WITH jobs AS (
                SELECT model_id,
                       (count(*) FILTER (WHERE state = 'Queued'))::int AS queued,
                       (count(*) FILTER (WHERE created_at >= {since}))::int AS recent,
                       coalesce(avg(extract(epoch FROM coalesce(started_at, completed_at, {now}) - created_at)) FILTER (WHERE created_at >= {since}), 0)::float8 AS mean_wait_seconds
                FROM image_jobs
                WHERE state = 'Queued' OR created_at >= {since}
                GROUP BY model_id),
            reruns AS (
                SELECT model_id, count(*)::int AS queued
                FROM image_verifications
                WHERE state = 'Queued'
                GROUP BY model_id)
            SELECT coalesce(j.model_id, r.model_id) AS model_id,
                   coalesce(j.queued, 0) + coalesce(r.queued, 0) AS queued,
                   coalesce(j.recent, 0) AS recent,
                   coalesce(j.mean_wait_seconds, 0) AS mean_wait_seconds
            FROM jobs j FULL JOIN reruns r ON r.model_id = j.model_id
            """).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ModelDemand(r.ModelId, r.Queued, r.Recent, r.MeanWaitSeconds))];
    }

    private async Task<List<Miner>> OnlineMinersAsync(PortalDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromSeconds(portalOptions.Value.OnlineWindowSeconds);
        var cutoff = now - window;
        var recent = await db.Miners.AsNoTracking().Where(m => m.LastHeartbeatAt >= cutoff).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        return [.. recent.Where(m => MinerPresence.IsOnline(m.LastHeartbeatAt, m.StoppedAt, now, window))];
    }

    private async Task<List<AllocationWorker>> WorkersAsync(PortalDbContext db, List<Miner> online, CancellationToken cancellationToken)
    {
        var ids = online.Select(m => m.Id).ToList();
        var held = (await db.MinerModels.AsNoTracking()
                .Where(m => ids.Contains(m.MinerId))
                .Select(m => new { m.MinerId, m.ModelId, m.Demo })
                .ToListAsync(cancellationToken))
            .ToLookup(m => m.MinerId, StringComparer.Ordinal);
        return [.. online.Select(miner => new AllocationWorker(
            miner.Id,
            [.. held[miner.Id]
                .Where(h => catalog.FindImageModel(h.ModelId) is { } model && ModelAllocation.Fits(model.MinVramGiB, miner.MemoryBytes, h.Demo))
                .Select(h => h.ModelId)],
            miner.AssignedModels))];
    }

    private static async Task WriteTargetsAsync(PortalDbContext db, IReadOnlyList<ModelTarget> targets, string? proposalId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var target in targets)
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO model_allocation_targets (model_id, voted_share, demand_share, target_share, proposal_id, updated_at)
                VALUES ({target.ModelId}, {target.Voted}, {target.Demand}, {target.Target}, {proposalId}, {now})
                ON CONFLICT (model_id) DO UPDATE SET
                    voted_share = excluded.voted_share, demand_share = excluded.demand_share, target_share = excluded.target_share,
                    proposal_id = excluded.proposal_id, updated_at = excluded.updated_at
                """,
                cancellationToken);
        }
        var models = targets.Select(t => t.ModelId).ToList();
        // A model dropped from the catalog has no target any more.
        await db.ModelAllocationTargets.Where(t => !models.Contains(t.ModelId)).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<bool> SampleAsync(PortalDbContext db, IReadOnlyList<ModelTarget> targets, List<Miner> online, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = await db.AllocationSamples.MaxAsync(s => (DateTimeOffset?)s.At, cancellationToken);
        if (last is { } previous && now - previous < TimeSpan.FromSeconds(options.Value.SampleEverySeconds))
        {
            return false;
        }
        var models = targets.Select(t => t.ModelId).ToList();
        var actual = ModelAllocation.ActualShares(models, online.Select(m => m.Queues));
        db.AllocationSamples.AddRange(targets.Select(t => new AllocationSample
        {
            At = now,
            ModelId = t.ModelId,
            TargetShare = t.Target,
            ActualShare = actual[t.ModelId],
            Workers = online.Count(m => m.Queues.Contains(t.ModelId, StringComparer.Ordinal)),
        }));
        await db.SaveChangesAsync(cancellationToken);
        var expired = now - SampleRetention;
        await db.AllocationSamples.Where(s => s.At < expired).ExecuteDeleteAsync(cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Allocation: {Reassigned} workers reassigned; targets {Targets}; primaries {Seats}; largest share error {Error:0.###}")]
    private static partial void LogReassigned(ILogger logger, int reassigned, string targets, string seats, double error);

    private sealed class DemandRow
    {
        public required string ModelId { get; init; }

        public int Queued { get; init; }

        public int Recent { get; init; }

        public double MeanWaitSeconds { get; init; }
    }
}
