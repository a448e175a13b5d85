namespace Heurist.Portal.Data.Probes;

/// <summary>
/// A no-op job sent through a queue to measure the round trip from the portal to a worker and back:
/// when it was requested, when a worker started it, and which miner answered.
/// </summary>
public sealed class DispatchProbe
{
    public Guid Id { get; set; }

    public required string Queue { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? MinerId { get; set; }
}
