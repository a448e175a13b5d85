using System.Diagnostics.CodeAnalysis;
using Heurist.Protocol.Auth;

namespace Heurist.Portal.Server.Features.Auth;

/// <summary>What the portal expects of a sign-in message: its own authority, origin and chain.</summary>
/// <param name="Domain">The portal's RFC 3986 authority as browsers write it (<c>location.host</c>): host, and port unless it is the scheme's default.</param>
/// <param name="Origin">The portal's origin (scheme, host, port); a message's URI must be on it.</param>
/// <param name="ChainId">The chain the portal's contracts are on.</param>
public sealed record SiweExpectations(string Domain, Uri Origin, ulong ChainId);

/// <summary>Why a sign-in is refused. Each has a stable snake_case <c>Code</c> for clients.</summary>
public enum SiweRefusal
{
    /// <summary>The text is not an EIP-4361 message (or is too long to be one we read).</summary>
    Malformed,

    /// <summary>The message is for another domain, or another scheme.</summary>
    Domain,

    /// <summary>The message's URI is not on the portal's origin.</summary>
    Uri,

    /// <summary>The message's version is not 1.</summary>
    Version,

    /// <summary>The message is for another chain.</summary>
    Chain,

    /// <summary>Issued At is later than the portal's clock, beyond the allowed skew.</summary>
    IssuedInFuture,

    /// <summary>Expiration Time has passed.</summary>
    Expired,

    /// <summary>Not Before is still ahead, beyond the allowed skew.</summary>
    NotYetValid,

    /// <summary>The address is not EIP-55 checksummed.</summary>
    AddressChecksum,

    /// <summary>The signature is not hex, has the wrong length or v, or recovers no key.</summary>
    BadSignature,

    /// <summary>The signature's s is in the upper half of the curve order (EIP-2).</summary>
    HighS,

    /// <summary>The signature is valid but not the address's: another key made it, or the contract account refused it.</summary>
    WrongAddress,

    /// <summary>The nonce was not issued by this portal (or is forgotten).</summary>
    NonceUnknown,

    /// <summary>The nonce was already used: the message is a replay.</summary>
    NonceUsed,

    /// <summary>The nonce expired before it was used.</summary>
    NonceExpired,
}

public static class SiweRefusals
{
    extension(SiweRefusal refusal)
    {
        /// <summary>The refusal's stable wire name, e.g. "issued_in_future". Clients match on it; it never changes.</summary>
        public string Code => refusal switch
        {
            SiweRefusal.Malformed => "malformed",
            SiweRefusal.Domain => "domain",
            SiweRefusal.Uri => "uri",
            SiweRefusal.Version => "version",
            SiweRefusal.Chain => "chain",
            SiweRefusal.IssuedInFuture => "issued_in_future",
            SiweRefusal.Expired => "expired",
            SiweRefusal.NotYetValid => "not_yet_valid",
            SiweRefusal.AddressChecksum => "address_checksum",
            SiweRefusal.BadSignature => "bad_signature",
            SiweRefusal.HighS => "high_s",
            SiweRefusal.WrongAddress => "wrong_address",
            SiweRefusal.NonceUnknown => "nonce_unknown",
            SiweRefusal.NonceUsed => "nonce_used",
            SiweRefusal.NonceExpired => "nonce_expired",
            _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "No such refusal."),
        };
    }
}

/// <summary>
/// The outcome of verifying a sign-in: the message and its EIP-55 address when it holds, else the refusal and a
/// sentence that names the field. A chain that cannot be asked is neither: <see cref="SiweVerifier"/> throws
/// <see cref="SiweChainUnavailableException"/> for it.
/// </summary>
public sealed class SiweVerification
{
    private SiweVerification(SiweMessage? message, string? address, bool contractAccount, SiweRefusal? refusal, string? reason)
    {
        Message = message;
        Address = address;
        IsContractAccount = contractAccount;
        Refusal = refusal;
        Reason = reason;
    }

    [MemberNotNullWhen(true, nameof(Message), nameof(Address))]
    [MemberNotNullWhen(false, nameof(Refusal), nameof(Reason), nameof(Code))]
    public bool IsVerified => Message is not null;

    /// <summary>The message as parsed, when verified.</summary>
    public SiweMessage? Message { get; }

    /// <summary>The EIP-55 address signed in, when verified.</summary>
    public string? Address { get; }

    /// <summary>True when the address is a contract account whose ERC-1271 <c>isValidSignature</c> accepted the signature.</summary>
    public bool IsContractAccount { get; }

    public SiweRefusal? Refusal { get; }

    /// <summary>The refusal's stable snake_case code (see <see cref="SiweRefusals"/>).</summary>
    public string? Code => Refusal?.Code;

    /// <summary>A sentence for the user that names what is wrong, e.g. "The message is for example.com, not this portal (127.0.0.1:5080)."</summary>
    public string? Reason { get; }

    public static SiweVerification Verified(SiweMessage message, string address, bool contractAccount)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(address);
        return new(message, address, contractAccount, null, null);
    }

    public static SiweVerification Refused(SiweRefusal refusal, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new(null, null, false, refusal, reason);
    }

    /// <summary>
    /// The refusal for a nonce the store found not <see cref="NonceCheck.Valid"/>, or null when it is valid; so the
    /// endpoint reports nonces with the same codes and sentences as the verifier's refusals.
    /// </summary>
    public static SiweVerification? ForNonce(NonceCheck check, string nonce) => check switch
    {
        NonceCheck.Valid => null,
        NonceCheck.Unknown => Refused(SiweRefusal.NonceUnknown, $"The nonce {nonce} was not issued by this portal, or has been forgotten; ask for a new one."),
        NonceCheck.Used => Refused(SiweRefusal.NonceUsed, $"The nonce {nonce} has already been used to sign in; a message signs in once."),
        NonceCheck.Expired => Refused(SiweRefusal.NonceExpired, $"The nonce {nonce} has expired; ask for a new one."),
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "No such nonce check."),
    };
}

/// <summary>
/// The chain could not be asked whether an address is a contract account, or what its ERC-1271 check answers: the
/// node is unreachable, too slow, or failing. Not a refusal of the sign-in: the endpoint answers 503, and the same
/// message may be tried again.
/// </summary>
public sealed class SiweChainUnavailableException : Exception
{
    public SiweChainUnavailableException(string message, Exception innerException) : base(message, innerException) { }

    public SiweChainUnavailableException() : base("The chain could not be reached.") { }

    public SiweChainUnavailableException(string message) : base(message) { }
}
