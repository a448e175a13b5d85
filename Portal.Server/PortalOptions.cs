using System.ComponentModel.DataAnnotations;

namespace Heurist.Portal.Server;

/// <summary>Settings of the portal itself (section "Portal").</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>A worker counts as online when its last heartbeat is at most this old.</summary>
    [Range(5, 3600, ErrorMessage = "Portal:OnlineWindowSeconds must be between 5 and 3600.")]
    public int OnlineWindowSeconds { get; set; } = 30;

    /// <summary>
    /// How often the stats, leaderboard and miner numbers are recomputed from the rollups. Pages and the API answer
    /// from the last computation, so they are at most this old.
    /// </summary>
    [Range(1, 3600, ErrorMessage = "Portal:StatsRefreshSeconds must be between 1 and 3600.")]
    public int StatsRefreshSeconds { get; set; } = 30;
}
