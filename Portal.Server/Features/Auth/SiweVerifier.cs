using System.Diagnostics.CodeAnalysis;
using System.Text;
using Heurist.Contracts.Crypto;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Auth;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;
using Nethereum.Util;
using Nethereum.Web3;

namespace Heurist.Portal.Server.Features.Auth;

/// <summary>
/// Verifies a Sign-In with Ethereum request as EIP-4361 says, except for the nonce, which the endpoint checks
/// against its store (<see cref="SiweNonces.Check"/>, reported with <see cref="SiweVerification.ForNonce"/>) once
/// this has passed, so unsigned garbage never consumes a nonce.
/// <list type="number">
/// <item>The text must follow the grammar (<see cref="SiweMessageParser"/>), within <see cref="MaxMessageLength"/>.</item>
/// <item>The scheme, when the message has one, is the portal's; the domain is the portal's: host in any case, port
/// exactly as written, so "example.com:443" is not "example.com" (browsers omit a default port, and so must the
/// message).</item>
/// <item>The URI is on the portal's origin: same scheme, host and port, a default port written or not.</item>
/// <item>Version 1, the portal's chain id.</item>
/// <item>Issued At no later than the clock plus <see cref="ClockSkew"/>; Not Before no later than the clock plus
/// the skew; Expiration Time strictly after the clock, with no skew (an expired message is never accepted).</item>
/// <item>The address is EIP-55 checksummed (EIP-4361 requires it; an all-lowercase address is refused).</item>
/// <item>The signature is 0x hex, and the address signed the EIP-191 (personal_sign) hash of the message text, as
/// <see cref="AccountSignatureVerifier"/> checks it for the governance hub too: a 65-byte, low-s (EIP-2) signature
/// that recovers the address holds without asking the chain. Otherwise, if the address has code, its ERC-1271
/// <c>isValidSignature(hash, signature)</c> is called with eth_call, with the signature bytes as given, and only the
/// magic value 0x1626ba7e accepts; a revert refuses. If the address has no code, the refusal says what was wrong
/// with the signature (bad_signature, high_s or wrong_address).</item>
/// </list>
/// A chain that cannot be asked (unreachable, timing out, answering errors other than a revert) throws
/// <see cref="SiweChainUnavailableException"/>: the endpoint answers 503, not 401.
/// </summary>
public sealed class SiweVerifier(IWeb3 web3, TimeProvider clock)
{
    private readonly AccountSignatureVerifier _signatures = new(web3);

    /// <summary>How far ahead of the portal's clock a wallet's clock may be, in seconds.</summary>
    public const int ClockSkewSeconds = 60;

    /// <summary>The longest message text read, in characters; EIP-4361 sets none, and a sign-in message is a few hundred.</summary>
    public const int MaxMessageLength = 16 * 1024;

    /// <summary>The longest signature passed on, in bytes; room for multisig and passkey wallets' ERC-1271 signatures.</summary>
    public const int MaxSignatureBytes = 16 * 1024;

    public static TimeSpan ClockSkew { get; } = TimeSpan.FromSeconds(ClockSkewSeconds);

    public async Task<SiweVerification> VerifyAsync(SignInRequest request, SiweExpectations expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(expected);

        if (!TryRead(request, out var message, out var malformed))
        {
            return malformed;
        }
        if (Check(message, request.Signature, expected) is { } refusal)
        {
            return refusal;
        }
        var signature = request.Signature.HexToByteArray();
        var hash = new EthereumMessageSigner().HashPrefixedMessage(Encoding.UTF8.GetBytes(request.Message));
        AccountSignatureCheck check;
        try
        {
            check = await _signatures.VerifyAsync(hash, signature, message.Address, cancellationToken).ConfigureAwait(false);
        }
        catch (SignatureChainUnavailableException ex)
        {
            throw new SiweChainUnavailableException(ex.Message, ex);
        }
        return check.IsValid
            ? SiweVerification.Verified(message, message.Address, check.IsContractAccount)
            : SiweVerification.Refused(Refusal(check.Refusal.Value), check.Reason);
    }

    private static SiweRefusal Refusal(AccountSignatureRefusal refusal) => refusal switch
    {
        AccountSignatureRefusal.HighS => SiweRefusal.HighS,
        AccountSignatureRefusal.WrongAddress => SiweRefusal.WrongAddress,
        _ => SiweRefusal.BadSignature,
    };

    /// <summary>The message text, parsed; or the refusal of a request that has none, or one off the grammar.</summary>
    private static bool TryRead(SignInRequest request, [NotNullWhen(true)] out SiweMessage? message, [NotNullWhen(false)] out SiweVerification? refusal)
    {
        message = null;
        refusal = null;
        if (request.Message is null || request.Signature is null)
        {
            refusal = SiweVerification.Refused(SiweRefusal.Malformed, "The sign-in needs both the message and its signature.");
            return false;
        }
        if (request.Message.Length > MaxMessageLength)
        {
            refusal = SiweVerification.Refused(SiweRefusal.Malformed, $"The message is longer than {MaxMessageLength} characters.");
            return false;
        }
        try
        {
            message = SiweMessageParser.Parse(request.Message);
            return true;
        }
        catch (SiweFormatException ex)
        {
            // A version other than 1 is off the grammar too, but has a refusal of its own.
            refusal = ex.Field == SiweField.Version
                ? SiweVerification.Refused(SiweRefusal.Version, $"The message's version is not 1: {ex.Message}")
                : SiweVerification.Refused(SiweRefusal.Malformed, $"The message is not an EIP-4361 message: {ex.Message}");
            return false;
        }
    }

    /// <summary>Everything but the signature's maker: the portal's domain, origin and chain, the times, the checksum, the signature's form.</summary>
    private SiweVerification? Check(SiweMessage message, string signature, SiweExpectations expected)
    {
        if (message.Scheme is { } scheme && !string.Equals(scheme, expected.Origin.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return SiweVerification.Refused(SiweRefusal.Domain,
                $"The message is for {scheme}://{message.Domain}, not this portal ({expected.Origin.Scheme}://{expected.Domain}).");
        }
        if (!SameAuthority(message.Domain, expected.Domain))
        {
            return SiweVerification.Refused(SiweRefusal.Domain, $"The message is for {message.Domain}, not this portal ({expected.Domain}).");
        }
        if (!SameOrigin(message.Uri, expected.Origin))
        {
            return SiweVerification.Refused(SiweRefusal.Uri,
                $"The message's URI {message.Uri} is not on this portal's origin ({expected.Origin.GetLeftPart(UriPartial.Authority)}).");
        }
        if (message.Version != "1")
        {
            return SiweVerification.Refused(SiweRefusal.Version, $"The message is version {message.Version}; only version 1 is read.");
        }
        if (message.ChainId != expected.ChainId)
        {
            return SiweVerification.Refused(SiweRefusal.Chain, $"The message is for chain {message.ChainId}, not this portal's chain {expected.ChainId}.");
        }

        var now = clock.GetUtcNow();
        if (message.IssuedAt > now + ClockSkew)
        {
            return SiweVerification.Refused(SiweRefusal.IssuedInFuture,
                $"The message was issued at {SiweMessage.FormatTime(message.IssuedAt)}, more than {ClockSkewSeconds} s after the portal's clock ({SiweMessage.FormatTime(now)}).");
        }
        if (message.ExpirationTime is { } expiration && now >= expiration)
        {
            return SiweVerification.Refused(SiweRefusal.Expired,
                $"The message expired at {SiweMessage.FormatTime(expiration)}; the portal's clock reads {SiweMessage.FormatTime(now)}.");
        }
        if (message.NotBefore is { } notBefore && notBefore > now + ClockSkew)
        {
            return SiweVerification.Refused(SiweRefusal.NotYetValid,
                $"The message is not valid before {SiweMessage.FormatTime(notBefore)}; the portal's clock reads {SiweMessage.FormatTime(now)}.");
        }

        var checksummed = AddressUtil.Current.ConvertToChecksumAddress(message.Address);
        if (!string.Equals(checksummed, message.Address, StringComparison.Ordinal))
        {
            return SiweVerification.Refused(SiweRefusal.AddressChecksum,
                $"The address {message.Address} is not EIP-55 checksummed; EIP-4361 requires it to read {checksummed}.");
        }

        if (signature.Length > 2 + (2 * MaxSignatureBytes))
        {
            return SiweVerification.Refused(SiweRefusal.BadSignature, $"The signature is longer than {MaxSignatureBytes} bytes.");
        }
        if (!IsHex(signature))
        {
            return SiweVerification.Refused(SiweRefusal.BadSignature, "The signature is not 0x followed by hex digits, two per byte.");
        }
        return null;
    }

    private static bool IsHex(string text)
        => text.Length >= 2 && text.StartsWith("0x", StringComparison.Ordinal) && text.Length % 2 == 0 && !text.AsSpan(2).ContainsAnyExcept(HexDigits);

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Host (case-insensitive) and port (exactly as written, absent only when both are) of two authorities.</summary>
    private static bool SameAuthority(string domain, string expected)
    {
        var (host, port) = SplitAuthority(domain);
        var (expectedHost, expectedPort) = SplitAuthority(expected);
        return string.Equals(host, expectedHost, StringComparison.OrdinalIgnoreCase) && string.Equals(port, expectedPort, StringComparison.Ordinal);
    }

    private static (string Host, string? Port) SplitAuthority(string authority)
    {
        var hostEnd = authority.StartsWith('[') ? authority.IndexOf(']', StringComparison.Ordinal) + 1 : 0;
        var colon = authority.IndexOf(':', hostEnd);
        return colon < 0 ? (authority, null) : (authority[..colon], authority[(colon + 1)..]);
    }

    /// <summary>RFC 6454 origins: scheme, host and port (the scheme's default when none is written).</summary>
    private static bool SameOrigin(string uriText, Uri origin)
        => Uri.TryCreate(uriText, UriKind.Absolute, out var uri) && uri.HostNameType != UriHostNameType.Unknown && uri.Host.Length > 0
        && string.Equals(uri.Scheme, origin.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IdnHost, origin.IdnHost, StringComparison.OrdinalIgnoreCase)
        && uri.Port == origin.Port;
}
