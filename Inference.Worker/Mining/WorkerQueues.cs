namespace Heurist.Inference.Worker.Mining;

/// <summary>Which job queues a worker serves, from what it holds and what the portal assigned it.</summary>
public static class WorkerQueues
{
    /// <summary>
    /// The configured queues that are not models it holds (the default queue, probes), then its models: the assigned
    /// ones it holds, in the assignment's order, or every model it holds when <paramref name="assigned"/> is null (no
    /// assignment yet). A configured queue named after a held model is a model queue and follows the assignment.
    /// </summary>
    /// <param name="assigned">The models the portal wants it to serve, primary first; null for none given.</param>
    /// <param name="held">The models it loaded.</param>
    /// <param name="configured">Worker:Queues.</param>
    public static IReadOnlyList<string> For(IReadOnlyList<string>? assigned, IReadOnlyCollection<string> held, IReadOnlyList<string> configured)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(configured);
        var models = assigned is null ? held : assigned.Where(held.Contains);
        return [.. configured.Where(q => !held.Contains(q)).Concat(models).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Whether two queue lists name the same queues, in any order: Hangfire.PostgreSql does not read the order.</summary>
    public static bool SameQueues(IReadOnlyCollection<string> a, IReadOnlyCollection<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.ToHashSet(StringComparer.Ordinal).SetEquals(b);
    }
}
