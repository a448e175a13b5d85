using Heurist.Portal.Client.Features.Wallet;
using Microsoft.AspNetCore.Components.Authorization;

namespace Heurist.Portal.Server.Components;

/// <summary>
/// The wallet's authentication state on the server. Prerendering and interactive Server pages get the state the
/// framework hands over from the request's cookie; an API request, which renders no component, reads its own user.
/// After that, the wallet code reports sign-ins (confirmed by <c>ServerAuthClient</c>) and sign-outs as in WebAssembly.
/// </summary>
public sealed class ServerAuthenticationState(IHttpContextAccessor http) : WalletAuthenticationStateProvider, IHostEnvironmentAuthenticationStateProvider
{
    public void SetAuthenticationState(Task<AuthenticationState> authenticationStateTask) => ReplaceState(authenticationStateTask);

    protected override Task<AuthenticationState> LoadInitialStateAsync()
        => Task.FromResult(http.HttpContext?.User is { } user ? new AuthenticationState(user) : Anonymous);
}
