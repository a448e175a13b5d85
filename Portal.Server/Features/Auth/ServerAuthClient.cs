using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Auth;
using Microsoft.AspNetCore.Components.Authorization;

namespace Heurist.Portal.Server.Features.Auth;

/// <summary>
/// The server's <see cref="IAuthClient"/>, for components rendered on the server. The browser signed in over HTTP, so
/// the cookie is in the browser, not in this circuit: a sign-in it reports counts only if the store says that very
/// message signed its address in moments ago.
/// </summary>
public sealed class ServerAuthClient(AuthenticationStateProvider authentication, SignInNonceStore nonces) : IAuthClient
{
    public async Task<SessionResponse?> GetSessionAsync(CancellationToken cancellationToken = default)
        => AuthClaims.AddressOf((await authentication.GetAuthenticationStateAsync()).User) is { } address ? new SessionResponse(address) : null;

    public async Task<SessionResponse?> ConfirmSignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!SiweMessageParser.TryParse(request.Message, out var message, out _))
        {
            return null;
        }
        return await nonces.SignedInRecentlyAsync(message!, request.Message, cancellationToken) ? new SessionResponse(message!.Address) : null;
    }
}
