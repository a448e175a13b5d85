namespace Heurist.Protocol.Miners;

/// <summary>When a miner counts as online, from its heartbeats.</summary>
public static class MinerPresence
{
    /// <summary>How old a heartbeat may be for its miner to count as online, unless configured otherwise.</summary>
    public static readonly TimeSpan DefaultOnlineWindow = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A miner is online when it has not said it stopped and its last heartbeat is no older than
    /// <paramref name="window"/>. A heartbeat from the future (clock skew) counts as fresh.
    /// </summary>
    public static bool IsOnline(DateTimeOffset lastHeartbeatAt, DateTimeOffset? stoppedAt, DateTimeOffset now, TimeSpan window)
    {
        if (stoppedAt is { } stopped && stopped >= lastHeartbeatAt)
        {
            return false;
        }
        return now - lastHeartbeatAt <= window;
    }
}
