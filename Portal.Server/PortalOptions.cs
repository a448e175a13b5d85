using System.ComponentModel.DataAnnotations;

namespace Heurist.Portal.Server;

/// <summary>Settings of the portal itself (section "Portal").</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>A worker counts as online when its last heartbeat is at most this old.</summary>
    [Range(5, 3600, ErrorMessage = "Portal:OnlineWindowSeconds must be between 5 and 3600.")]
    public int OnlineWindowSeconds { get; set; } = 30;
}
