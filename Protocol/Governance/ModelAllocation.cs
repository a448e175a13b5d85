namespace Heurist.Protocol.Governance;

/// <summary>
/// How the network's workers are split between the catalog's image models: the votes and the demand give each model
/// a target share, and each online worker gets one primary model so that the share of workers per model approaches
/// the targets. Pure and deterministic: the same input gives the same plan.
/// </summary>
/// <remarks>
/// <para><b>Demand.</b> A model's demand weight is <c>queued + recent × (1 + meanWait / WaitScaleSeconds)</c>: each job
/// submitted within the window counts 1, plus 1 for every WaitScaleSeconds it waited for a worker (the sum over the
/// recent jobs of <c>1 + wait / scale</c> is exactly <c>recent × (1 + meanWait / scale)</c>), and each job waiting now
/// counts once more, so a backlog pulls harder than the same number of jobs served at once. Demand shares are the
/// weights over their sum.</para>
/// <para><b>Votes.</b> A model's voted share is its score in the last closed allocation vote over the sum of the
/// scores of the choices that are catalog models (<see cref="VotedShares"/>).</para>
/// <para><b>Targets.</b> <c>target = α·voted + (1 − α)·demand</c>, so a model with no votes gets only (1 − α)·demand
/// and a model with no demand only α·voted. Without a vote (or one whose scores are all 0) the target is the demand
/// share; without demand it is the voted share; with neither, the models that some online worker can serve share
/// equally. The targets are then scaled to add up to 1 over the servable models (held by at least one online worker
/// whose memory fits them). A voted model nobody can serve keeps its unscaled target, to show what it was given, but
/// gets no worker: its actual share stays 0 until a worker that holds it comes online, and the other models share
/// its part. When no servable model has a target above 0 (all the votes and demand are for models nobody can serve),
/// the servable models share equally.</para>
/// <para><b>Seats.</b> The N workers that can serve at least one model are apportioned by largest remainder
/// (Hamilton): each servable model gets ⌊target × N⌋ seats, and the seats left over go to the largest remainders, ties
/// to the smaller model id. This is the same as handing out seats one at a time to the model with the largest
/// deficit (target × N − seats). A seat that no arrangement of the workers can fill, because too few of them hold the
/// model, goes to the next-largest deficit instead, so every seat is filled. With every worker holding every model,
/// each share is within 1/N of its target.</para>
/// <para><b>Assignment.</b> Each worker keeps its current primary while that model's seats are not all taken, the
/// least flexible workers (fewest servable models held) first, then by id: no worker moves without need, and running
/// the plan again on its own result changes nothing. The remaining workers, least flexible first, go to the model
/// they hold with the largest number of empty seats (ties to the smaller id); when every model they hold is full,
/// the fewest other workers move along a chain of held models to make room (a shortest augmenting path), which
/// always exists because the seats can all be filled.</para>
/// <para><b>Liveness.</b> A servable model with jobs waiting, or submitted within the window, and no primary worker is
/// added as an extra queue to one worker that holds it: the one that already had it as an extra, else one with no
/// extra yet, else the one whose primary has the fewest such jobs, then by id. Counting the window's jobs as well as the
/// waiting ones keeps the extra while the model is in use, rather than dropping it each time its queue empties and
/// adding it back with the next job (each change restarts the worker's job server). It is dropped once the model has
/// had no job for a window, or gets a primary worker. Hangfire.PostgreSql does not read a server's queue list as a
/// priority: it fetches the job with no fetch time first, then by queue name, then by job id
/// (<c>ORDER BY fetchedat NULLS FIRST, queue, jobid</c>), so that worker takes waiting jobs of the queue whose name
/// sorts first.</para>
/// </remarks>
public static class ModelAllocation
{
    private const double GiB = 1024d * 1024 * 1024;

    /// <summary>
    /// Whether a device with <paramref name="memoryBytes"/> holds a model needing <paramref name="minVramGiB"/>. On
    /// CUDA the memory is the GPU's. On the CPU it is the system memory and the same rule applies, as the worker applies
    /// it to itself at start: weights that do not fit in memory cannot run there either. Demo weights are tiny and fit
    /// anywhere.
    /// </summary>
    public static bool Fits(double minVramGiB, long memoryBytes, bool demo) => demo || memoryBytes >= minVramGiB * GiB;

    /// <summary>A model's demand weight: <c>queued + recent × (1 + meanWait / waitScaleSeconds)</c>, negative counts and waits read as 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="waitScaleSeconds"/> is not above 0.</exception>
    public static double DemandWeight(ModelDemand demand, double waitScaleSeconds)
    {
        ArgumentNullException.ThrowIfNull(demand);
        ThrowIfNotPositive(waitScaleSeconds, nameof(waitScaleSeconds));
        var wait = double.IsFinite(demand.MeanWaitSeconds) ? Math.Max(0, demand.MeanWaitSeconds) : 0;
        return Math.Max(0, demand.Queued) + (Math.Max(0, demand.Recent) * (1 + (wait / waitScaleSeconds)));
    }

    /// <summary>Each of <paramref name="models"/>' demand weight over the sum of theirs; all 0 when there is no demand.</summary>
    public static IReadOnlyDictionary<string, double> DemandShares(IReadOnlyList<string> models, IEnumerable<ModelDemand> demand, double waitScaleSeconds)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(demand);
        var known = models.ToHashSet(StringComparer.Ordinal);
        var weights = models.ToDictionary(m => m, _ => 0d, StringComparer.Ordinal);
        foreach (var d in demand)
        {
            if (known.Contains(d.ModelId))
            {
                weights[d.ModelId] += DemandWeight(d, waitScaleSeconds);
            }
        }
        return Normalized(models, weights);
    }

    /// <summary>
    /// The voted shares from an allocation proposal's result: each choice that is one of <paramref name="models"/> gets
    /// its score over the sum of those choices' scores (a model named twice gets both). Choices that are not catalog
    /// models and negative scores count for nothing; all 0 when nothing is left.
    /// </summary>
    /// <exception cref="ArgumentException">The choices and scores differ in number.</exception>
    public static IReadOnlyDictionary<string, double> VotedShares(IReadOnlyList<string> models, IReadOnlyList<string> choices, IReadOnlyList<decimal> scores)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(choices);
        ArgumentNullException.ThrowIfNull(scores);
        if (choices.Count != scores.Count)
        {
            throw new ArgumentException($"There are {choices.Count} choices but {scores.Count} scores.", nameof(scores));
        }
        var sums = models.ToDictionary(m => m, _ => 0d, StringComparer.Ordinal);
        for (var i = 0; i < choices.Count; i++)
        {
            if (sums.ContainsKey(choices[i]) && scores[i] > 0)
            {
                sums[choices[i]] += (double)scores[i];
            }
        }
        return Normalized(models, sums);
    }

    /// <summary>The targets of <paramref name="models"/> (see the class remarks), in their order.</summary>
    /// <param name="models">The catalog's image models.</param>
    /// <param name="voted">Voted shares; missing models and an all-zero map mean no votes.</param>
    /// <param name="demand">Demand shares; missing models and an all-zero map mean no demand.</param>
    /// <param name="alpha">The weight of votes, 0 to 1.</param>
    /// <param name="servable">The models some online worker holds and fits.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is outside 0 to 1.</exception>
    public static IReadOnlyList<ModelTarget> Targets(
        IReadOnlyList<string> models,
        IReadOnlyDictionary<string, double> voted,
        IReadOnlyDictionary<string, double> demand,
        double alpha,
        IReadOnlySet<string> servable)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(voted);
        ArgumentNullException.ThrowIfNull(demand);
        ArgumentNullException.ThrowIfNull(servable);
        if (!(alpha is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be between 0 and 1.");
        }
        var v = Normalized(models, voted);
        var d = Normalized(models, demand);
        var hasVote = v.Values.Any(x => x > 0);
        var hasDemand = d.Values.Any(x => x > 0);
        var servableModels = models.Where(servable.Contains).Distinct(StringComparer.Ordinal).ToList();
        double Raw(string m) => (hasVote, hasDemand) switch
        {
            (true, true) => (alpha * v[m]) + ((1 - alpha) * d[m]),
            (true, false) => v[m],
            (false, true) => d[m],
            _ => servable.Contains(m) ? 1d / servableModels.Count : 0,
        };
        var servableSum = servableModels.Sum(Raw);
        return [.. models.Select(m =>
        {
            var raw = Raw(m);
            var target = !servable.Contains(m) ? raw
                : servableSum > 0 ? raw / servableSum
                : 1d / servableModels.Count;
            return new ModelTarget(m, v[m], d[m], target, servable.Contains(m));
        })];
    }

    /// <summary>Targets, then the assignment of <paramref name="input"/>'s workers (see the class remarks).</summary>
    /// <exception cref="ArgumentException">A worker id appears twice, or a field is out of range.</exception>
    public static AllocationPlan Plan(AllocationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var known = input.Models.ToHashSet(StringComparer.Ordinal);
        var servable = input.Workers.SelectMany(w => w.Models).Where(known.Contains).ToHashSet(StringComparer.Ordinal);
        var targets = Targets(
            input.Models,
            input.Voted,
            DemandShares(input.Models, input.Demand, input.WaitScaleSeconds),
            input.Alpha,
            servable);
        var active = input.Demand
            .GroupBy(d => d.ModelId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(d => Math.Max(0, d.Queued) + Math.Max(0, d.Recent)), StringComparer.Ordinal);
        return Assign(targets, input.Workers, active);
    }

    /// <summary>
    /// Gives each worker one primary among the servable models it holds, and extra queues for stranded models (see the
    /// class remarks).
    /// </summary>
    /// <param name="targets">The targets; only the servable ones are assigned.</param>
    /// <param name="workers">The online workers; models they hold that are not servable targets are ignored.</param>
    /// <param name="active">
    /// Jobs per model that keep it served (<see cref="Plan"/> counts those waiting and those submitted within the window);
    /// missing models have none.
    /// </param>
    /// <exception cref="ArgumentException">A worker id appears twice.</exception>
    public static AllocationPlan Assign(IReadOnlyList<ModelTarget> targets, IReadOnlyList<AllocationWorker> workers, IReadOnlyDictionary<string, int> active)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(active);
        var duplicate = workers.GroupBy(w => w.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Worker '{duplicate.Key}' appears {duplicate.Count()} times.", nameof(workers));
        }
        var plan = new SeatPlanner(targets.Where(t => t.Servable).ToList(), workers);
        var seats = plan.ApportionSeats();
        var primaries = plan.FillSeats(seats);
        var extras = Liveness(plan, primaries, active);

        var eligible = plan.Eligible.Count;
        var error = eligible == 0 ? 0 : plan.Models.Max(m =>
            Math.Abs(plan.Target(m) - ((double)primaries.Values.Count(p => p == m) / eligible)));
        var assignments = workers
            .OrderBy(w => w.Id, StringComparer.Ordinal)
            .Select(w => new WorkerAssignment(
                w.Id,
                primaries.GetValueOrDefault(w.Id),
                [.. extras.Where(e => e.WorkerId == w.Id).Select(e => e.ModelId).Order(StringComparer.Ordinal)]))
            .ToList();
        return new AllocationPlan(targets, assignments, seats, error);
    }

    /// <summary>
    /// The actual share of each of <paramref name="models"/> from what the workers serve: each worker that serves at
    /// least one of them counts 1, split equally between the ones it serves, over the number of such workers. All 0
    /// when no worker serves any.
    /// </summary>
    public static IReadOnlyDictionary<string, double> ActualShares(IReadOnlyList<string> models, IEnumerable<IEnumerable<string>> served)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(served);
        var known = models.ToHashSet(StringComparer.Ordinal);
        var parts = models.ToDictionary(m => m, _ => 0d, StringComparer.Ordinal);
        var counted = 0;
        foreach (var worker in served)
        {
            var mine = worker.Where(known.Contains).Distinct(StringComparer.Ordinal).ToList();
            if (mine.Count == 0)
            {
                continue;
            }
            counted++;
            foreach (var m in mine)
            {
                parts[m] += 1d / mine.Count;
            }
        }
        return models.Distinct(StringComparer.Ordinal).ToDictionary(m => m, m => counted == 0 ? 0 : parts[m] / counted, StringComparer.Ordinal);
    }

    /// <summary>The largest |target − actual| over the servable <paramref name="targets"/>; 0 when none is servable.</summary>
    public static double MaxShareError(IReadOnlyList<ModelTarget> targets, IReadOnlyDictionary<string, double> actual)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(actual);
        return targets.Where(t => t.Servable).Select(t => Math.Abs(t.Target - actual.GetValueOrDefault(t.ModelId))).DefaultIfEmpty(0).Max();
    }

    private static List<(string WorkerId, string ModelId)> Liveness(SeatPlanner plan, Dictionary<string, string> primaries, IReadOnlyDictionary<string, int> active)
    {
        var extras = new List<(string WorkerId, string ModelId)>();
        var withPrimary = primaries.Values.ToHashSet(StringComparer.Ordinal);
        foreach (var model in plan.Models.Order(StringComparer.Ordinal))
        {
            if (active.GetValueOrDefault(model) <= 0 || withPrimary.Contains(model))
            {
                continue;
            }
            var chosen = plan.Eligible
                .Where(w => w.Models.Contains(model))
                .OrderByDescending(w => w.Current is { Count: > 1 } current && current.Skip(1).Contains(model, StringComparer.Ordinal))
                .ThenBy(w => extras.Count(e => e.WorkerId == w.Id))
                .ThenBy(w => active.GetValueOrDefault(primaries[w.Id]))
                .ThenBy(w => w.Id, StringComparer.Ordinal)
                .First();
            extras.Add((chosen.Id, model));
        }
        return extras;
    }

    private static Dictionary<string, double> Normalized(IReadOnlyList<string> models, IReadOnlyDictionary<string, double> values)
    {
        var clean = models.Distinct(StringComparer.Ordinal)
            .ToDictionary(m => m, m => values.GetValueOrDefault(m) is var x && double.IsFinite(x) && x > 0 ? x : 0, StringComparer.Ordinal);
        var sum = clean.Values.Sum();
        return clean.ToDictionary(p => p.Key, p => sum > 0 ? p.Value / sum : 0, StringComparer.Ordinal);
    }

    private static void ThrowIfNotPositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be above 0.");
        }
    }
}
