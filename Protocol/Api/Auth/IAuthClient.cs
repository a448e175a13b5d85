namespace Heurist.Protocol.Api.Auth;

/// <summary>
/// The session as the components see it. The browser itself fetches the nonce, signs in and logs out over HTTP, so
/// that the cookie lands in the browser; this interface tells the component side what came of it. WebAssembly asks
/// GET /api/auth/me. On the server (prerendering and interactive Server), a sign-in the browser reports is verified
/// again from the signed message before the components believe it.
/// </summary>
public interface IAuthClient
{
    /// <summary>The account signed in on this browser, or null.</summary>
    Task<SessionResponse?> GetSessionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// After POST /api/auth/siwe answered 200 for <paramref name="request"/>: the account it signed in, or null when
    /// the request did not sign anyone in.
    /// </summary>
    Task<SessionResponse?> ConfirmSignInAsync(SignInRequest request, CancellationToken cancellationToken = default);
}
