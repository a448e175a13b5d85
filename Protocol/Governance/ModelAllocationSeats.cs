namespace Heurist.Protocol.Governance;

/// <summary>
/// The seats of <see cref="ModelAllocation"/>: apportions the workers between the servable models, then fills the seats
/// with workers, keeping each where it is when it can. Workers and models are matched as a bipartite graph (a worker
/// can take a seat of a model it holds); a seat no free worker can take directly is reached by an augmenting path.
/// </summary>
internal sealed class SeatPlanner
{
    // Deficits are compared to this many decimals, so that equal remainders computed along different paths tie.
    private const int DeficitDigits = 9;

    private readonly Dictionary<string, double> _targets;
    private readonly Dictionary<string, List<Candidate>> _holders;

    public SeatPlanner(IReadOnlyList<ModelTarget> servable, IReadOnlyList<AllocationWorker> workers)
    {
        Models = [.. servable.Select(t => t.ModelId).Distinct(StringComparer.Ordinal)];
        _targets = servable.GroupBy(t => t.ModelId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Target, StringComparer.Ordinal);
        Eligible = [.. workers
            .Select(w => new Candidate(w.Id, w.Models.Where(_targets.ContainsKey).ToHashSet(StringComparer.Ordinal), w.Current))
            .Where(c => c.Models.Count > 0)
            .OrderBy(c => c.Models.Count)
            .ThenBy(c => c.Id, StringComparer.Ordinal)];
        _holders = Models.ToDictionary(
            m => m,
            m => Eligible.Where(c => c.Models.Contains(m)).OrderBy(c => c.Id, StringComparer.Ordinal).ToList(),
            StringComparer.Ordinal);
    }

    /// <summary>The servable models.</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>The workers holding at least one servable model, least flexible first, then by id.</summary>
    public IReadOnlyList<Candidate> Eligible { get; }

    public double Target(string model) => _targets[model];

    /// <summary>
    /// One seat at a time to the largest deficit whose seat can still be filled (largest remainder, when every seat can
    /// be), until every eligible worker has one.
    /// </summary>
    public Dictionary<string, int> ApportionSeats()
    {
        var seats = Models.ToDictionary(m => m, _ => 0, StringComparer.Ordinal);
        var matching = new Dictionary<string, string>(StringComparer.Ordinal);
        var cursors = Models.ToDictionary(m => m, _ => 0, StringComparer.Ordinal);
        var n = Eligible.Count;
        for (var seat = 0; seat < n; seat++)
        {
            var order = Models
                .OrderByDescending(m => Math.Round((_targets[m] * n) - seats[m], DeficitDigits))
                .ThenBy(m => m, StringComparer.Ordinal);
            var placed = order.FirstOrDefault(m => TryAddSeat(m, matching, cursors));
            if (placed is null)
            {
                throw new InvalidOperationException("No model could take another seat although a worker is unplaced; the holdings are inconsistent.");
            }
            seats[placed]++;
        }
        return seats;
    }

    /// <summary>
    /// Fills <paramref name="seats"/> (which must be fillable, as <see cref="ApportionSeats"/> makes them): workers keep
    /// their current primary first, the rest go where the fewest moves make room. Returns each eligible worker's primary.
    /// </summary>
    public Dictionary<string, string> FillSeats(IReadOnlyDictionary<string, int> seats)
    {
        var assigned = new Dictionary<string, string>(StringComparer.Ordinal);
        var count = Models.ToDictionary(m => m, _ => 0, StringComparer.Ordinal);
        foreach (var worker in Eligible)
        {
            if (worker.CurrentPrimary is { } current && worker.Models.Contains(current) && count[current] < seats[current])
            {
                assigned[worker.Id] = current;
                count[current]++;
            }
        }
        foreach (var worker in Eligible.Where(w => !assigned.ContainsKey(w.Id)).ToList())
        {
            Place(worker, seats, assigned, count);
        }
        return assigned;
    }

    private void Place(Candidate worker, IReadOnlyDictionary<string, int> seats, Dictionary<string, string> assigned, Dictionary<string, int> count)
    {
        int Spare(string m) => seats[m] - count[m];
        // parent[y] = (x, u): u sits on x and can move to y, which frees a seat on x.
        var parent = new Dictionary<string, (string From, Candidate Mover)>(StringComparer.Ordinal);
        var starts = worker.Models.OrderByDescending(Spare).ThenBy(m => m, StringComparer.Ordinal).ToList();
        var visited = starts.ToHashSet(StringComparer.Ordinal);
        var queue = new Queue<string>(starts);
        while (queue.TryDequeue(out var model))
        {
            if (Spare(model) > 0)
            {
                var at = model;
                while (parent.TryGetValue(at, out var step))
                {
                    assigned[step.Mover.Id] = at;
                    at = step.From;
                }
                assigned[worker.Id] = at;
                count[model]++;
                return;
            }
            // Workers away from their current primary move first: a move costs the sticky ones more.
            var movers = _holders[model]
                .Where(u => assigned.GetValueOrDefault(u.Id) == model)
                .OrderBy(u => u.CurrentPrimary == model)
                .ThenBy(u => u.Id, StringComparer.Ordinal);
            foreach (var mover in movers)
            {
                foreach (var next in mover.Models.Order(StringComparer.Ordinal))
                {
                    if (visited.Add(next))
                    {
                        parent[next] = (model, mover);
                        queue.Enqueue(next);
                    }
                }
            }
        }
        throw new InvalidOperationException($"Worker '{worker.Id}' found no seat although the seats can all be filled.");
    }

    private bool TryAddSeat(string model, Dictionary<string, string> matching, Dictionary<string, int> cursors)
    {
        // parent[y] = (x, w): w sits on y and can move to x, which frees a seat on y.
        var parent = new Dictionary<string, (string To, string Worker)>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal) { model };
        var queue = new Queue<string>([model]);
        while (queue.TryDequeue(out var at))
        {
            if (NextFree(at, matching, cursors) is { } free)
            {
                matching[free.Id] = at;
                while (at != model)
                {
                    var (to, mover) = parent[at];
                    matching[mover] = to;
                    at = to;
                }
                return true;
            }
            foreach (var holder in _holders[at])
            {
                if (matching.TryGetValue(holder.Id, out var on) && on != at && visited.Add(on))
                {
                    parent[on] = (at, holder.Id);
                    queue.Enqueue(on);
                }
            }
        }
        return false;
    }

    // Workers are never unmatched once matched while seats are apportioned, so each model's cursor only moves forward.
    private Candidate? NextFree(string model, Dictionary<string, string> matching, Dictionary<string, int> cursors)
    {
        var holders = _holders[model];
        var i = cursors[model];
        while (i < holders.Count && matching.ContainsKey(holders[i].Id))
        {
            i++;
        }
        cursors[model] = i;
        return i < holders.Count ? holders[i] : null;
    }

    /// <summary>An eligible worker: the servable models it holds, and its current assignment.</summary>
    internal sealed record Candidate(string Id, HashSet<string> Models, IReadOnlyList<string>? Current)
    {
        public string? CurrentPrimary => Current is { Count: > 0 } current ? current[0] : null;
    }
}
