using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

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

    /// <summary>
    /// The addresses that may open the job dashboard and operator views once signed in (outside Development, where
    /// they are open to everyone who can reach the portal).
    /// </summary>
    public string[] Admins { get; set; } = [];

    /// <summary>How many sign-in nonces one IP address may ask for per minute.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Portal:NonceRequestsPerMinute must be between 1 and 1000000.")]
    public int NonceRequestsPerMinute { get; set; } = 30;

    public bool IsAdmin(string? address)
        => address is not null && Admins.Any(admin => string.Equals(admin, address, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Every entry of Portal:Admins must be a 0x address; the error names the entry (Portal:Admins:N).</summary>
public sealed class PortalOptionsValidator : IValidateOptions<PortalOptions>
{
    public ValidateOptionsResult Validate(string? name, PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        for (var i = 0; i < options.Admins.Length; i++)
        {
            var admin = options.Admins[i];
            if (admin is null || admin.Length != 42 || !admin.StartsWith("0x", StringComparison.Ordinal) || !admin[2..].All(char.IsAsciiHexDigit))
            {
                return ValidateOptionsResult.Fail($"Portal:Admins:{i}: '{admin}' is not an address (0x and 40 hex digits).");
            }
        }
        return ValidateOptionsResult.Success;
    }
}
