using System.Text.RegularExpressions;

namespace Heurist.Protocol.Miners;

/// <summary>
/// The rules for what a miner may call itself and where its rewards go.
/// Both are chosen by whoever runs the worker, so both are checked before they reach the database.
/// </summary>
public static partial class MinerIdentity
{
    /// <summary>The longest miner id accepted.</summary>
    public const int MaxIdLength = 64;

    /// <summary>
    /// Returns null when <paramref name="minerId"/> is acceptable, otherwise a sentence saying what is wrong.
    /// Ids are lowercase letters, digits, '-', '_' and '.', starting with a letter or digit, so they are safe in URLs and logs.
    /// </summary>
    public static string? ValidateId(string? minerId)
    {
        if (string.IsNullOrWhiteSpace(minerId))
        {
            return "is required";
        }
        if (minerId.Length > MaxIdLength)
        {
            return $"must be at most {MaxIdLength} characters";
        }
        return MinerIdPattern().IsMatch(minerId)
            ? null
            : "may contain only lowercase letters, digits, '-', '_' and '.', and must start with a letter or digit";
    }

    /// <summary>
    /// Returns null when <paramref name="address"/> is a 20-byte hex Ethereum address (0x followed by 40 hex digits),
    /// otherwise a sentence saying what is wrong.
    /// </summary>
    public static string? ValidateRewardAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return "is required";
        }
        return AddressPattern().IsMatch(address)
            ? null
            : "must be an Ethereum address: 0x followed by 40 hex digits";
    }

    /// <summary>Turns a host name into a valid miner id (lowercased, other characters replaced by '-').</summary>
    public static string FromHostName(string hostName)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        var cleaned = DisallowedCharacters().Replace(hostName.ToLowerInvariant(), "-").Trim('-', '.', '_');
        if (cleaned.Length == 0)
        {
            cleaned = "miner";
        }
        return cleaned.Length <= MaxIdLength ? cleaned : cleaned[..MaxIdLength];
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex MinerIdPattern();

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex AddressPattern();

    [GeneratedRegex("[^a-z0-9._-]+")]
    private static partial Regex DisallowedCharacters();
}
