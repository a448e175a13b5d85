namespace Heurist.Protocol.Network;

/// <summary>A run of heartbeats with no gap longer than <see cref="MinerUptime.MaxGap"/>: the miner was up from Start to LastSeen.</summary>
public readonly record struct UptimeSession(DateTimeOffset Start, DateTimeOffset LastSeen);

/// <summary>
/// Uptime from heartbeats. Consecutive heartbeats close enough together extend one session; a longer silence ends
/// it, and the next heartbeat starts another. Uptime over a window is the time sessions cover inside it, over the
/// window's length.
/// </summary>
public static class MinerUptime
{
    /// <summary>A miner is active (and its GPU counted) when its last heartbeat is at most this old.</summary>
    public static readonly TimeSpan ActiveWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest silence that still continues a session: three heartbeat intervals, so one or two lost heartbeats
    /// do not count as downtime, and at least 30 seconds.
    /// </summary>
    public static TimeSpan MaxGap(TimeSpan heartbeatInterval)
    {
        var threeBeats = heartbeatInterval * 3;
        return threeBeats > TimeSpan.FromSeconds(30) ? threeBeats : TimeSpan.FromSeconds(30);
    }

    /// <summary>Active: not stopped since its last heartbeat, and that heartbeat within <see cref="ActiveWindow"/> of now.</summary>
    public static bool IsActive(DateTimeOffset lastHeartbeatAt, DateTimeOffset? stoppedAt, DateTimeOffset now)
        => !(stoppedAt is { } stopped && stopped >= lastHeartbeatAt) && now - lastHeartbeatAt <= ActiveWindow;

    /// <summary>
    /// The share of [from, to) that the sessions cover, between 0 and 1. Overlapping sessions (two runs of one miner
    /// id at once) count once; a session still open counts up to its last heartbeat, not to now.
    /// </summary>
    public static double Fraction(IEnumerable<UptimeSession> sessions, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        if (to <= from)
        {
            throw new ArgumentException($"The window must end after it starts ({from:O} to {to:O}).", nameof(to));
        }
        var covered = TimeSpan.Zero;
        var reached = from;
        foreach (var session in sessions.OrderBy(s => s.Start))
        {
            var start = session.Start > reached ? session.Start : reached;
            var end = session.LastSeen < to ? session.LastSeen : to;
            if (end > start)
            {
                covered += end - start;
                reached = end;
            }
        }
        return covered / (to - from);
    }

    /// <summary>
    /// Where a heartbeat at <paramref name="at"/> goes: true to extend the latest session (last seen no more than
    /// <paramref name="maxGap"/> before it), false to start a new one.
    /// </summary>
    public static bool Extends(UptimeSession? latest, DateTimeOffset at, TimeSpan maxGap)
        => latest is { } session && at >= session.LastSeen && at - session.LastSeen <= maxGap;
}
