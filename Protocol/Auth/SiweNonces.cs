using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Heurist.Protocol.Auth;

/// <summary>What a nonce's stored state says about a sign-in that presents it.</summary>
public enum NonceCheck
{
    /// <summary>Ours, unused and unexpired: the sign-in may use it (and the store marks it used in the same step).</summary>
    Valid,

    /// <summary>Never issued here, or already forgotten.</summary>
    Unknown,

    /// <summary>Issued here and already used by a sign-in: the message is a replay.</summary>
    Used,

    /// <summary>Issued here, never used, but past its expiry.</summary>
    Expired,
}

/// <summary>A nonce as the store keeps it: when it stops being accepted, and when a sign-in used it.</summary>
public sealed record NonceState(DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt);

/// <summary>
/// The nonces of Sign-In with Ethereum: made here, at random; their shape; and the rule that decides whether a
/// stored one may still be used. The store that keeps and consumes them lives with the database.
/// </summary>
public static class SiweNonces
{
    /// <summary>Characters in a nonce from <see cref="Create"/>: 17 alphanumerics are about 101 bits.</summary>
    public const int Length = 17;

    /// <summary>EIP-4361's minimum: 8 alphanumerics.</summary>
    public const int MinLength = 8;

    /// <summary>The longest nonce accepted for a look-up, so a hostile message cannot make the store compare megabytes.</summary>
    public const int MaxLength = 64;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    /// <summary>A fresh nonce: <see cref="Length"/> characters drawn uniformly from the 62 ASCII letters and digits by the OS's CSPRNG.</summary>
    public static string Create() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>True for <see cref="MinLength"/> to <see cref="MaxLength"/> ASCII letters and digits.</summary>
    public static bool IsWellFormed([NotNullWhen(true)] string? nonce)
        => nonce is { Length: >= MinLength and <= MaxLength } && !nonce.AsSpan().ContainsAnyExcept(AlphabetValues);

    /// <summary>
    /// Whether the nonce whose stored state is <paramref name="state"/> (null when the store has none) may be used at
    /// <paramref name="now"/>. A used nonce is reported used even once expired, so a replay is named as one. A nonce
    /// is expired from the instant of its expiry on.
    /// </summary>
    public static NonceCheck Check(NonceState? state, DateTimeOffset now) => state switch
    {
        null => NonceCheck.Unknown,
        { UsedAt: not null } => NonceCheck.Used,
        _ when now >= state.ExpiresAt => NonceCheck.Expired,
        _ => NonceCheck.Valid,
    };
}
