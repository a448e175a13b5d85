using System.Globalization;
using System.Text;

namespace Heurist.Protocol.Auth;

/// <summary>
/// A Sign-In with Ethereum message (EIP-4361): every field of its grammar. <see cref="ToMessage"/> writes the exact
/// text a wallet shows and signs; <c>SiweMessageParser</c> reads it back and refuses anything off the grammar.
/// </summary>
public sealed record SiweMessage
{
    public const string Preamble = " wants you to sign in with your Ethereum account:";

    /// <summary>The URI scheme of the origin, when the message names one (for example "https").</summary>
    public string? Scheme { get; init; }

    /// <summary>The RFC 3986 authority asking for the sign-in: host and, when not the default, port.</summary>
    public required string Domain { get; init; }

    /// <summary>The EIP-55 address signing in.</summary>
    public required string Address { get; init; }

    /// <summary>A line of text for the user, without newlines; null when the message has none.</summary>
    public string? Statement { get; init; }

    /// <summary>The RFC 3986 URI of the thing being signed in to.</summary>
    public required string Uri { get; init; }

    /// <summary>Always "1".</summary>
    public string Version { get; init; } = "1";

    /// <summary>The EIP-155 chain id the session is for.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>At least 8 alphanumerics, chosen by the portal, used once.</summary>
    public required string Nonce { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public DateTimeOffset? ExpirationTime { get; init; }

    public DateTimeOffset? NotBefore { get; init; }

    public string? RequestId { get; init; }

    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>
    /// The message text, lines joined by "\n", in the order EIP-4361 gives; optional fields only when set. Without a
    /// statement, two blank lines separate the address from "URI: "; an empty statement ("") is an empty line between
    /// two blank lines; both as the siwe package writes them. No line break follows the last field. The fields are
    /// written as they are: <c>SiweMessageParser.Parse</c> refuses the text of a record that is off the grammar.
    /// </summary>
    public string ToMessage()
    {
        var text = new StringBuilder();
        if (Scheme is not null)
        {
            text.Append(Scheme).Append("://");
        }
        text.Append(Domain).Append(Preamble).Append('\n');
        text.Append(Address).Append('\n');
        text.Append('\n');
        // EIP-4361: address LF LF [ statement LF ] LF. Without a statement that is two blank lines before "URI: ".
        if (Statement is not null)
        {
            text.Append(Statement).Append('\n');
        }
        text.Append('\n');
        text.Append("URI: ").Append(Uri).Append('\n');
        text.Append("Version: ").Append(Version).Append('\n');
        text.Append("Chain ID: ").Append(ChainId.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("Nonce: ").Append(Nonce).Append('\n');
        text.Append("Issued At: ").Append(FormatTime(IssuedAt));
        if (ExpirationTime is { } expiration)
        {
            text.Append('\n').Append("Expiration Time: ").Append(FormatTime(expiration));
        }
        if (NotBefore is { } notBefore)
        {
            text.Append('\n').Append("Not Before: ").Append(FormatTime(notBefore));
        }
        if (RequestId is not null)
        {
            text.Append('\n').Append("Request ID: ").Append(RequestId);
        }
        if (Resources.Count > 0)
        {
            text.Append('\n').Append("Resources:");
            foreach (var resource in Resources)
            {
                text.Append('\n').Append("- ").Append(resource);
            }
        }
        return text.ToString();
    }

    /// <summary>Field by field, with the resources compared in order (a record would compare the list by reference).</summary>
    public bool Equals(SiweMessage? other)
        => other is not null
        && string.Equals(Scheme, other.Scheme, StringComparison.Ordinal)
        && string.Equals(Domain, other.Domain, StringComparison.Ordinal)
        && string.Equals(Address, other.Address, StringComparison.Ordinal)
        && string.Equals(Statement, other.Statement, StringComparison.Ordinal)
        && string.Equals(Uri, other.Uri, StringComparison.Ordinal)
        && string.Equals(Version, other.Version, StringComparison.Ordinal)
        && ChainId == other.ChainId
        && string.Equals(Nonce, other.Nonce, StringComparison.Ordinal)
        && IssuedAt == other.IssuedAt
        && ExpirationTime == other.ExpirationTime
        && NotBefore == other.NotBefore
        && string.Equals(RequestId, other.RequestId, StringComparison.Ordinal)
        && Resources.SequenceEqual(other.Resources, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Scheme, StringComparer.Ordinal);
        hash.Add(Domain, StringComparer.Ordinal);
        hash.Add(Address, StringComparer.Ordinal);
        hash.Add(Statement, StringComparer.Ordinal);
        hash.Add(Uri, StringComparer.Ordinal);
        hash.Add(Version, StringComparer.Ordinal);
        hash.Add(ChainId);
        hash.Add(Nonce, StringComparer.Ordinal);
        hash.Add(IssuedAt);
        hash.Add(ExpirationTime);
        hash.Add(NotBefore);
        hash.Add(RequestId, StringComparer.Ordinal);
        foreach (var resource in Resources)
        {
            hash.Add(resource, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    /// <summary>RFC 3339 in UTC with milliseconds, as wallets and the siwe library write it: 2026-12-03T17:40:00.000Z.</summary>
    public static string FormatTime(DateTimeOffset time)
        => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
