namespace Heurist.Protocol.Governance;

/// <summary>One model's demand over the allocation's recent window.</summary>
/// <param name="ModelId">The catalog model.</param>
/// <param name="Queued">Its jobs waiting for a worker now.</param>
/// <param name="Recent">Its jobs submitted within the window, in any state (the queued ones among them too).</param>
/// <param name="MeanWaitSeconds">
/// The mean wait of those recent jobs: from submission to the moment a worker started it, or to now while it is still
/// queued. 0 when there is none.
/// </param>
public sealed record ModelDemand(string ModelId, int Queued, int Recent, double MeanWaitSeconds);

/// <summary>A model's shares as the allocation computes them.</summary>
/// <param name="ModelId">The catalog model.</param>
/// <param name="Voted">Its share of the last allocation vote's scores (0 without a vote).</param>
/// <param name="Demand">Its share of recent demand (0 without demand).</param>
/// <param name="Target">
/// The share of workers it should get. Over the models that can be served, targets add up to 1; a model nobody can
/// serve keeps its unscaled α·voted + (1 − α)·demand here, to show what it would get, and gets no worker.
/// </param>
/// <param name="Servable">Whether at least one online worker holds it and can fit it.</param>
public sealed record ModelTarget(string ModelId, double Voted, double Demand, double Target, bool Servable);

/// <summary>An online worker as the allocation sees it.</summary>
/// <param name="Id">The miner id; ties are broken by it (ordinal).</param>
/// <param name="Models">The catalog models it holds and that fit its memory (see <see cref="ModelAllocation.Fits"/>).</param>
/// <param name="Current">Its assignment now, the primary model first; null when it has none.</param>
public sealed record AllocationWorker(string Id, IReadOnlyCollection<string> Models, IReadOnlyList<string>? Current);

/// <summary>What one worker should serve.</summary>
/// <param name="WorkerId">The miner id.</param>
/// <param name="Primary">The one model the worker is counted for; null only when it holds no model that can be served.</param>
/// <param name="Extra">
/// Models added so their jobs are not stranded: each had jobs waiting or submitted lately and no worker with it as
/// primary. Usually empty.
/// </param>
public sealed record WorkerAssignment(string WorkerId, string? Primary, IReadOnlyList<string> Extra)
{
    /// <summary>What the worker is told to serve: the primary first, then the extra models by id.</summary>
    public IReadOnlyList<string> Models => Primary is null ? [.. Extra] : [Primary, .. Extra];
}

/// <summary>The allocation's inputs, as <see cref="ModelAllocation.Plan"/> takes them.</summary>
/// <param name="Models">The catalog's image models, in catalog order: the only models targeted and assigned.</param>
/// <param name="Voted">Voted shares by model (see <see cref="ModelAllocation.VotedShares"/>); empty without a vote.</param>
/// <param name="Demand">Each model's demand; models missing have none.</param>
/// <param name="Workers">The online workers.</param>
/// <param name="Alpha">The weight of votes against demand, 0 to 1.</param>
/// <param name="WaitScaleSeconds">A recent job's demand weight grows by 1 for every this many seconds it waited.</param>
public sealed record AllocationInput(
    IReadOnlyList<string> Models,
    IReadOnlyDictionary<string, double> Voted,
    IReadOnlyList<ModelDemand> Demand,
    IReadOnlyList<AllocationWorker> Workers,
    double Alpha,
    double WaitScaleSeconds);

/// <summary>The targets and the assignment that follows them.</summary>
/// <param name="Targets">One per catalog model, in catalog order.</param>
/// <param name="Assignments">One per online worker, by id.</param>
/// <param name="Seats">How many workers each servable model gets as primary.</param>
/// <param name="MaxShareError">
/// The largest |target − primary share| over the servable models, where a model's primary share is the part of the
/// workers that can serve something whose primary it is; 0 when no worker can serve anything.
/// </param>
public sealed record AllocationPlan(
    IReadOnlyList<ModelTarget> Targets,
    IReadOnlyList<WorkerAssignment> Assignments,
    IReadOnlyDictionary<string, int> Seats,
    double MaxShareError);
