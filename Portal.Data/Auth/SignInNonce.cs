namespace Heurist.Portal.Data.Auth;

/// <summary>
/// A Sign-In with Ethereum nonce the portal handed out. It signs in at most once: <see cref="UsedAt"/> is set in the
/// same statement that checks it was unset, and the message that used it is kept for the session's confirmation.
/// </summary>
public sealed class SignInNonce
{
    public required string Nonce { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>The lowercase 0x address that signed in with it.</summary>
    public string? UsedBy { get; set; }

    /// <summary>The sha256 (lowercase hex) of the message text that used it.</summary>
    public string? MessageSha256 { get; set; }
}
