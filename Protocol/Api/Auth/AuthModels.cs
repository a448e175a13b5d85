using System.Security.Claims;

namespace Heurist.Protocol.Api.Auth;

/// <summary>The answer of GET /api/auth/nonce: a fresh, single-use nonce for one Sign-In with Ethereum message.</summary>
public sealed record NonceResponse(string Nonce);

/// <summary>The body of POST /api/auth/siwe: the EIP-4361 message as the wallet signed it, and its signature.</summary>
public sealed record SignInRequest(string Message, string Signature);

/// <summary>Who is signed in: the EIP-55 address the session belongs to.</summary>
public sealed record SessionResponse(string Address);

/// <summary>The auth endpoints. Clients outside the project use them, so these paths never change.</summary>
public static class AuthRoutes
{
    public const string Nonce = "/api/auth/nonce";

    public const string SignIn = "/api/auth/siwe";

    public const string Me = "/api/auth/me";

    public const string Logout = "/api/auth/logout";
}

/// <summary>
/// The claim that carries a signed-in account's EIP-55 address, the authentication type, and the principal both the
/// session cookie and the components' authentication state use.
/// </summary>
public static class AuthClaims
{
    public const string Address = "heurist/address";

    public const string AuthenticationType = "siwe";

    /// <summary>A signed-in account: its address as <see cref="Address"/> and as the name.</summary>
    public static ClaimsPrincipal Principal(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        return new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(Address, address), new Claim(ClaimTypes.Name, address)],
            AuthenticationType,
            ClaimTypes.Name,
            ClaimTypes.Role));
    }

    /// <summary>The signed-in address of <paramref name="user"/>, or null when the user is anonymous or has none.</summary>
    public static string? AddressOf(ClaimsPrincipal? user)
        => user?.Identity?.IsAuthenticated == true && user.FindFirst(Address)?.Value is { Length: > 0 } address ? address : null;
}
